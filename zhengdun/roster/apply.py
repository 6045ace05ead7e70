"""Writing a checked import plan with set-based writes: a province's roster in seconds.

The per-object services cost 5-10 ms an organization (a read of the parent, an
INSERT, an UPDATE of the parent, an audit row with its chain lock). Here the
rules were checked for the whole file by checks.py and plan.py (the same ones:
codes, names, scope, own root, parents, levels), the rights are asked once
(organizations.services.require_rights), and rows go in batches:

- new organizations through organizations.bulk (treebeard paths computed in
  Python), with their secretary (person and post) and income;
- changed fields of existing organizations in one bulk UPDATE per batch, their
  income records likewise;
- a new secretary of an existing organization goes through the services
  (post_end carries the support app's rules on ending a post): a handful a year.

Audit (every change is recorded, at two grains):
- one IMPORT row for the file: its name, SHA-256, the year, the counts, and the
  codes created and changed (the first CODES_LISTED of each, and how many more);
  it stands for the new organizations with their secretary and income, which
  get no row each: a row per object cost more than the object itself, and a
  province's import would write four rows per village;
- a row per change to what existed before (an organization's fields, its income
  record, its secretary through the services), as a change on its page would
  write, so an organization's history still shows every change made to it.
Rows are chained in batches (audit.services.record_many).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.services import build, record_many, snapshot
from zhengdun.core.actors import Actor
from zhengdun.organizations import services
from zhengdun.organizations.bulk import BATCH, NewNode, add_nodes, chunks
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post
from zhengdun.roster import messages as msg
from zhengdun.roster.plan import ImportPlan, RowPlan

CODES_LISTED = 1000


def apply_plan(*, plan: ImportPlan, actor: Actor, file_name: str, sha256: str) -> None:
    """Write every change of `plan` (checked, inside the caller's transaction) and audit it."""
    creates = [item for item in plan.rows if item.org is None]
    updates = [item for item in plan.rows if item.org is not None and item.changes]
    rights = [services.ADD_ORG] if creates else []
    if any(item.fields or item.income is not None for item in updates):
        rights.append(services.CHANGE_ORG)
    if any(item.secretary is not None for item in plan.rows):
        rights += [services.ADD_PERSON, services.ADD_POST]
    services.require_rights(actor, *rights)
    events: list[AuditEvent] = []
    _update_orgs(updates, actor, events)
    new = _create_orgs(creates)
    orgs = {item.code: item.org for item in plan.rows if item.org is not None} | new
    incomes = [(orgs[i.code], i.income, i.code in new) for i in plan.rows if i.income is not None]
    _write_income(incomes, plan.year, actor, events)
    for item in updates:
        if item.secretary is not None:
            assert item.org is not None
            _replace_secretary(item, item.org, actor)
    events.append(_summary(plan, actor, file_name, sha256, creates, updates))
    record_many(events)


def _update_orgs(updates: list[RowPlan], actor: Actor, events: list[AuditEvent]) -> None:
    now = timezone.now()
    changed: list[Organization] = []
    fields: set[str] = set()
    for item in updates:
        org = item.org
        if org is None or not item.fields:
            continue
        before = {key: getattr(org, key) for key in item.fields}
        for key, value in item.fields.items():
            setattr(org, key, value)
        org.updated_at = now
        fields.update(item.fields)
        changed.append(org)
        events.append(build(Action.UPDATE, org, actor=actor, before=before, after=dict(item.fields)))
    if changed:
        Organization.objects.bulk_update(changed, sorted(fields), batch_size=BATCH // 4)
        # One time for every row: a plain UPDATE, not a CASE per row as bulk_update writes.
        for batch in chunks([org.pk for org in changed]):
            Organization.objects.filter(pk__in=batch).update(updated_at=now)


def _create_orgs(creates: list[RowPlan]) -> dict[str, Organization]:
    """The new organizations by code."""
    if not creates:
        return {}
    existing = {item.parent_code: item.parent_org for item in creates if item.parent_code and item.parent_org}
    nodes = [NewNode(Organization(**item.fields), item.parent_code) for item in creates]
    add_nodes(nodes, existing)
    today = timezone.localdate()
    people: list[Person] = []
    for item, node in zip(creates, nodes, strict=True):
        if item.secretary is not None:
            people.append(Person(organization=node.org, name=item.secretary.name, phone=item.secretary.phone or ""))
    Person.objects.bulk_create(people, batch_size=BATCH)
    posts = [Post(person=p, organization=p.organization, role=PostRole.SECRETARY, started_on=today) for p in people]
    Post.objects.bulk_create(posts, batch_size=BATCH)
    return {node.org.code: node.org for node in nodes}


def _write_income(items: list[tuple[Organization, Decimal, bool]], year: int, actor: Actor, events: list[AuditEvent]) -> None:
    """Income per (organization, amount, organization is new); only an existing one's record is audited by itself."""
    held: dict[int, EconomyRecord] = {}
    for batch in chunks([org.pk for org, _, is_new in items if not is_new]):
        held.update((r.organization_id, r) for r in EconomyRecord.objects.filter(organization_id__in=batch, year=year))
    new: list[EconomyRecord] = []
    audited: list[EconomyRecord] = []  # new records of existing organizations
    changed: list[EconomyRecord] = []
    for org, income, is_new in items:
        record = held.get(org.pk)
        if record is None:
            record = EconomyRecord(organization=org, year=year, income_wan=income)
            new.append(record)
            if not is_new:
                audited.append(record)
            continue
        record.organization = org  # the audit row hangs on it: no query per record
        before = {"income_wan": record.income_wan}
        record.income_wan = income
        events.append(build(Action.UPDATE, record, actor=actor, before=before, after={"income_wan": income}))
        changed.append(record)
    EconomyRecord.objects.bulk_create(new, batch_size=BATCH)
    EconomyRecord.objects.bulk_update(changed, ["income_wan"], batch_size=BATCH // 4)
    events += [build(Action.CREATE, r, actor=actor, after=snapshot(r)) for r in audited]


def _replace_secretary(item: RowPlan, org: Organization, actor: Actor) -> None:
    plan = item.secretary
    assert plan is not None
    if plan.update_person is not None:
        services.person_update(person=plan.update_person, actor=actor, phone=plan.phone)
        return
    today = timezone.localdate()
    for post in plan.end_posts:
        services.post_end(post=post, actor=actor, ended_on=today)
    # The plan matched people within this organization and the preview showed a
    # new record; the import applies what was shown rather than stopping halfway
    # on a namesake kept elsewhere.
    person = plan.person or services.person_create(
        organization=org, actor=actor, name=plan.name, phone=plan.phone or "", confirm_duplicate=True
    )
    services.post_assign(person=person, organization=org, role=PostRole.SECRETARY, actor=actor, started_on=today)


def _codes(items: list[RowPlan]) -> dict[str, Any]:
    return {"listed": [item.code for item in items[:CODES_LISTED]], "more": max(0, len(items) - CODES_LISTED)}


def _summary(
    plan: ImportPlan, actor: Actor, file_name: str, sha256: str, creates: list[RowPlan], updates: list[RowPlan]
) -> AuditEvent:
    counts = {"created": len(creates), "updated": len(updates), "unchanged": plan.unchanged}
    organization = getattr(actor, "organization", None)
    return build(
        Action.IMPORT,
        actor=actor,
        after={
            "file": file_name,
            "year": plan.year,
            **counts,
            "sha256": sha256,
            "codes_created": _codes(creates),
            "codes_updated": _codes(updates),
        },
        note=msg.NOTE_IMPORT.format(file=file_name, year=plan.year, **counts),
        object_repr=f"组织名册 {file_name}",
        org_path=organization.path if organization is not None else "",
    )
