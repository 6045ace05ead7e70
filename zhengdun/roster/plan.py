"""What a roster import would change, row by row; nothing here writes.

`build_plan` checks the rows (checks.py), then compares each with what
the tree holds today, loading secretaries, candidate people and the year's
income for all existing organizations in three queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhengdun.core.xlsx_reading import RowError
from zhengdun.organizations.bulk import chunks
from zhengdun.organizations.choices import Domain, Kind, Level, PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post
from zhengdun.roster.checks import Checked
from zhengdun.roster.reader import COUNT_FIELDS, LABELS, RosterRow

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {CREATE: "新建", UPDATE: "修改", UNCHANGED: "未变"}

# The level of a new organization follows from its parent's; the roster has no level column.
CHILD_LEVEL = {
    Level.PROVINCE: Level.CITY,
    Level.CITY: Level.COUNTY,
    Level.COUNTY: Level.TOWNSHIP,
    Level.TOWNSHIP: Level.VILLAGE,
    Level.VILLAGE: Level.VILLAGE,
    Level.OTHER: Level.OTHER,
}
# Offices, schools and enterprises under a county are not townships.
TERRITORIAL_DOMAINS = (Domain.RURAL, Domain.COMMUNITY)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    personal: bool = False  # a phone number: pages mask it for viewers without the right


@dataclass
class SecretaryPlan:
    name: str
    phone: str | None
    # Same name as the sitting secretary: only the phone changes.
    update_person: Person | None = None
    # A different person: these posts end today and `person` (or a new one) takes over.
    end_posts: list[Post] = field(default_factory=list)
    person: Person | None = None


@dataclass
class RowPlan:
    row: int
    code: str
    name: str
    parent_code: str | None
    parent_name: str
    parent_org: Organization | None  # the parent when it exists already, else it is a row of the file
    org: Organization | None  # the existing organization, None for a new one
    fields: dict[str, Any] = field(default_factory=dict)  # to create with, or the changed ones
    secretary: SecretaryPlan | None = None
    income: Decimal | None = None  # to write; None when unchanged or not given
    changes: list[Change] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.org is None:
            return CREATE
        return UPDATE if self.changes else UNCHANGED

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ImportPlan:
    year: int
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def changed_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action != UNCHANGED]


def _label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value else ""


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def build_plan(*, rows: list[RosterRow], errors: list[RowError], actor: Any, year: int) -> ImportPlan:
    """Validate every row and work out the changes; writes nothing."""
    checked = Checked(rows, actor, list(errors)).run()
    plan = ImportPlan(year=year, errors=checked.errors)
    if not plan.ok:
        return plan
    ordered = checked.ordered()
    existing = [checked.db_by_code[r.code] for r in ordered if r.code in checked.db_by_code]
    context = _Context.load(existing, ordered, year)
    # Domain and level as they will be after the import, so a new child can inherit them.
    domains: dict[str, str] = {}
    levels: dict[str, str] = {}
    for row in ordered:
        parent_code = checked.parent_of[row.code]
        org = checked.db_by_code.get(row.code)
        item = RowPlan(
            row=row.row,
            code=row.code,
            name=row.name,
            parent_code=parent_code,
            parent_name=checked.parent_name(parent_code) if parent_code else "",
            parent_org=checked.db_by_code.get(parent_code) if parent_code else None,
            org=org,
        )
        if org is not None:
            _plan_update(item, row)
            domains[row.code], levels[row.code] = row.domain or org.domain, org.level
        else:
            parent = item.parent_org
            domain = row.domain or domains.get(parent_code or "") or (parent.domain if parent else Domain.RURAL)
            parent_level = levels.get(parent_code or "") or (parent.level if parent else None)
            level = _new_level(parent_level, domain)
            domains[row.code], levels[row.code] = domain, level
            _plan_create(item, row, domain, level)
        _plan_secretary(item, row, context)
        _plan_income(item, row, context, year)
        plan.rows.append(item)
    return plan


def _new_level(parent_level: str | None, domain: str) -> str:
    if parent_level is None:
        return Level.COUNTY
    if parent_level == Level.COUNTY and domain not in TERRITORIAL_DOMAINS:
        return Level.OTHER
    return CHILD_LEVEL[Level(parent_level)]


def _plan_create(item: RowPlan, row: RosterRow, domain: str, level: str) -> None:
    item.fields = {"code": row.code, "name": row.name, "kind": row.kind or Kind.BRANCH, "domain": domain, "level": level}
    item.changes.append(Change(LABELS["name"], "", row.name))
    item.changes.append(Change(LABELS["kind"], "", _label(Kind, item.fields["kind"])))
    item.changes.append(Change(LABELS["domain"], "", _label(Domain, domain)))
    for key in COUNT_FIELDS:
        value = getattr(row, key)
        if value is not None:
            item.fields[key] = value
            item.changes.append(Change(LABELS[key], "", str(value)))


def _plan_update(item: RowPlan, row: RosterRow) -> None:
    org = item.org
    assert org is not None
    wanted: dict[str, Any] = {"name": row.name, "kind": row.kind, "domain": row.domain}
    wanted.update({key: getattr(row, key) for key in COUNT_FIELDS})
    for key, value in wanted.items():
        old = getattr(org, key)
        if value is None or value == old:
            continue
        item.fields[key] = value
        if key == "kind":
            item.changes.append(Change(LABELS[key], _label(Kind, old), _label(Kind, value)))
        elif key == "domain":
            item.changes.append(Change(LABELS[key], _label(Domain, old), _label(Domain, value)))
        else:
            item.changes.append(Change(LABELS[key], _show(old), _show(value)))


@dataclass
class _Context:
    """What the existing organizations hold today, loaded in bulk."""

    secretaries: dict[int, list[Post]]
    people: dict[tuple[int, str], list[Person]]
    income: dict[int, Decimal]
    today: datetime.date

    @classmethod
    def load(cls, orgs: list[Organization], rows: list[RosterRow], year: int) -> _Context:
        secretaries: dict[int, list[Post]] = defaultdict(list)
        people: dict[tuple[int, str], list[Person]] = defaultdict(list)
        income: dict[int, Decimal] = {}
        names = {r.secretary_name for r in rows if r.secretary_name}
        # A batch of organizations at a time: SQLite takes at most 32,766 parameters a query.
        for ids in chunks([o.pk for o in orgs]):
            posts = Post.objects.active().filter(organization_id__in=ids, role=PostRole.SECRETARY).select_related("person")
            for post in posts:
                secretaries[post.organization_id].append(post)
            for person in Person.objects.filter(organization_id__in=ids).order_by("id"):
                if person.name in names:
                    people[(person.organization_id, person.name)].append(person)
            records = EconomyRecord.objects.filter(organization_id__in=ids, year=year)
            income.update(records.values_list("organization_id", "income_wan"))
        for held in secretaries.values():
            held.sort(key=_sitting_first)
        return cls(secretaries=secretaries, people=people, income=income, today=timezone.localdate())


def _sitting_first(post: Post) -> tuple[bool, int, int]:
    # A post ended today still counts as active today; the open-ended, latest one is the sitting secretary.
    started = post.started_on.toordinal() if post.started_on else 0
    return (post.ended_on is not None, -started, -post.pk)


def _plan_secretary(item: RowPlan, row: RosterRow, context: _Context) -> None:
    name, phone = row.secretary_name, row.secretary_phone
    if not name:
        return
    held = context.secretaries.get(item.org.pk, []) if item.org else []
    sitting = held[0].person if held else None
    if sitting is not None and sitting.name == name:
        if phone and phone != sitting.phone:
            item.secretary = SecretaryPlan(name=name, phone=phone, update_person=sitting)
            item.changes.append(Change(LABELS["secretary_phone"], sitting.phone, phone, personal=True))
        return
    candidates = context.people.get((item.org.pk, name), []) if item.org else []
    if phone:
        candidates = [p for p in candidates if p.phone == phone]
    still_open = [p for p in held if p.ended_on is None or p.ended_on > context.today]
    item.secretary = SecretaryPlan(name=name, phone=phone, end_posts=still_open, person=candidates[0] if candidates else None)
    item.changes.append(Change(LABELS["secretary_name"], sitting.name if sitting else "", name))
    if phone:
        item.changes.append(Change(LABELS["secretary_phone"], sitting.phone if sitting else "", phone, personal=True))


def _plan_income(item: RowPlan, row: RosterRow, context: _Context, year: int) -> None:
    if row.income is None:
        return
    old = context.income.get(item.org.pk) if item.org else None
    if old is not None and old == row.income:
        return
    item.income = row.income
    item.changes.append(Change(f"{year} 年集体经济收入（万元）", _show(old), str(row.income)))
