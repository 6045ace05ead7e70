"""The roster import (名册导入): read a workbook, plan, then apply all of it or nothing.

    plan = preview_roster(data=..., actor=user, year=2025)      # writes nothing
    plan = import_roster(data=..., file_name=..., actor=user, year=2025)

Every row is checked before any is written; one bad row refuses the whole
file (ImportRejected, carrying every row's error). Writing goes through the
organization services, so each created or changed object audits itself; one
IMPORT row sums the import up. A file that matches the tree writes nothing.

Rules worth knowing:
- an empty optional cell keeps what the tree holds; an import never clears;
- a new organization's level follows from its parent's, its kind defaults
  to 党支部 and its domain to its parent's;
- a changed parent for an existing code is refused: moving a subtree is done
  on the organization page (调整隶属), not by a sheet;
- income goes to the given year, by default the previous calendar year,
  since a roster reports last year's income.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.xlsx_reading import RowError
from zhengdun.organizations import services
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import Organization
from zhengdun.roster import messages as msg
from zhengdun.roster.plan import ImportPlan, RowPlan, build_plan
from zhengdun.roster.reader import read_roster

IMPORT_PERM = "organizations.import_organizations"
FIRST_YEAR = 2000


class ImportRejected(ServiceError):
    """At least one row is wrong; nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(msg.ERR_REJECTED.format(n=len(plan.errors)), errors=[str(e) for e in plan.errors])
        self.plan = plan
        self.row_errors: list[RowError] = plan.errors


def default_year() -> int:
    return timezone.localdate().year - 1


def check_year(year: int) -> None:
    high = timezone.localdate().year
    if not FIRST_YEAR <= year <= high:
        raise ServiceError(msg.ERR_YEAR.format(low=FIRST_YEAR, high=high))


def preview_roster(*, data: bytes, actor: Actor, year: int) -> ImportPlan:
    """The plan for this file; its `errors` list every failing row. Writes nothing."""
    if not actor.has_perm(IMPORT_PERM):
        raise NotPermitted(msg.ERR_NOT_PERMITTED)
    check_year(year)
    roster = read_roster(data)
    return build_plan(rows=roster.rows, errors=roster.errors, actor=actor, year=year)


@transaction.atomic
def import_roster(*, data: bytes, file_name: str, actor: Actor, year: int) -> ImportPlan:
    # Planned again inside the transaction: the tree may have changed since the preview.
    plan = preview_roster(data=data, actor=actor, year=year)
    if not plan.ok:
        raise ImportRejected(plan)
    if not plan.changed_rows:
        return plan
    created: dict[str, Organization] = {}
    # Existing rows come first in the plan: their updates save whole rows, which
    # must happen before new children change a parent's child count.
    for item in plan.rows:
        org = _apply_org(item, created, actor)
        _apply_secretary(item, org, actor)
        if item.income is not None:
            services.economy_set(org=org, year=plan.year, income_wan=item.income, actor=actor)
    counts = {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged}
    organization = getattr(actor, "organization", None)
    record(
        Action.IMPORT,
        actor=actor,
        after={"file": file_name, "year": plan.year, **counts},
        note=msg.NOTE_IMPORT.format(file=file_name, year=plan.year, **counts),
        object_repr=f"组织名册 {file_name}",
        org_path=organization.path if organization is not None else "",
    )
    return plan


def _apply_org(item: RowPlan, created: dict[str, Organization], actor: Actor) -> Organization:
    if item.org is not None:
        if item.fields:
            return services.org_update(org=item.org, actor=actor, **item.fields)
        return item.org
    parent = created[item.parent_code] if item.parent_code in created else item.parent_org
    org = services.org_create(parent=parent, actor=actor, **item.fields)
    created[item.code] = org
    return org


def _apply_secretary(item: RowPlan, org: Organization, actor: Actor) -> None:
    plan = item.secretary
    if plan is None:
        return
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
