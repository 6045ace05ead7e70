"""Matching an uploaded ledger to the listed cases, and what it would change.

A row matches by 后进基层党组织名称 + 上级党组织名称 to one organization in the
uploader's scope that has a currently listed case in the campaign. Every
row is checked before anything is written; the planner itself writes
nothing and runs a fixed number of queries (organizations, cases, parents).

Rules worth knowing:
- an empty 主要问题 or 整改措施 cell keeps what the system holds (an upload
  never clears), as in the roster import;
- the secretary's name is compared, not written: a different name means the
  sheet and the roster disagree, and the roster is fixed first;
- phones and contact leaders are not read (phones may be masked, leaders are
  posts kept on the organization page).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.core.scoping import restrict, subtree_q
from zhengdun.ledger import messages as msg
from zhengdun.ledger.selectors import CURRENT_STATES, with_secretary_of_case
from zhengdun.ledger.upload import Sheet, SheetRow, text
from zhengdun.organizations.models import Organization

UNMATCHED = "unmatched"
CONFLICTING = "conflicting"
INVALID = "invalid"
KIND_LABELS = {UNMATCHED: "未匹配", CONFLICTING: "冲突", INVALID: "填写有误"}


@dataclass(frozen=True)
class Problem:
    row: int
    kind: str  # UNMATCHED, CONFLICTING or INVALID
    message: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def __str__(self) -> str:
        return f"第 {self.row} 行（{self.kind_label}）：{self.message}" if self.row else self.message


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    row: int
    case: Case
    main_problems: str
    measures: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class UploadPlan:
    campaign: Campaign
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed_rows(self) -> list[RowPlan]:
        return [item for item in self.rows if item.changes]

    @property
    def changed(self) -> int:
        return len(self.changed_rows)

    @property
    def unchanged(self) -> int:
        return len(self.rows) - self.changed

    @property
    def rejected_message(self) -> str:
        counts = [(label, sum(1 for p in self.problems if p.kind == kind)) for kind, label in KIND_LABELS.items()]
        detail = "、".join(f"{label} {n} 处" for label, n in counts if n)
        return msg.ERR_REJECTED.format(n=len(self.problems), detail=detail)

    def seen_versions(self) -> dict[int, int]:
        """case id -> version, for the rows that would change: confirm applies exactly these."""
        return {item.case.pk: item.case.version for item in self.changed_rows}


def build_plan(*, sheet: Sheet, campaign: Campaign, actor: Any) -> UploadPlan:
    plan = UploadPlan(campaign=campaign)
    for error in sheet.errors:
        plan.problems.append(Problem(error.row, INVALID, error.message))
    failed = {error.row for error in sheet.errors}
    rows = [row for row in sheet.rows if row.row not in failed]
    candidates = _candidates(rows, campaign, actor)
    cases = _cases(campaign, [org.pk for orgs in candidates.values() for org in orgs], actor)
    versions = sheet.meta.versions if sheet.meta is not None else {}
    first_row_of: dict[int, int] = {}
    for row in rows:
        problem_kind, message, case = _match(row, candidates, cases)
        if case is None:
            plan.problems.append(Problem(row.row, problem_kind, message))
            continue
        if case.organization_id in first_row_of:
            other = first_row_of[case.organization_id]
            plan.problems.append(Problem(row.row, CONFLICTING, msg.ERR_REPEATED.format(other=other)))
            continue
        first_row_of[case.organization_id] = row.row
        item = _row_plan(row, case)
        problems = _conflicts(row, case, item, versions)
        if problems:
            plan.problems.extend(Problem(row.row, CONFLICTING, m) for m in problems)
            continue
        plan.rows.append(item)
    plan.problems.sort(key=lambda p: p.row)
    return plan


def _candidates(rows: list[SheetRow], campaign: Campaign, actor: Any) -> dict[str, list[Organization]]:
    """Organizations in scope and in the campaign, by name; one query."""
    names = {row.name for row in rows}
    qs = restrict(Organization.objects.filter(subtree_q(campaign.scope.path), name__in=names), actor)
    found: dict[str, list[Organization]] = defaultdict(list)
    for org in qs.select_related("parent").order_by("path"):
        found[org.name].append(org)
    return found


def _cases(campaign: Campaign, org_ids: list[int], actor: Any) -> dict[int, Case]:
    """Every case of these organizations in the campaign, whatever its state; one query."""
    qs = restrict(Case.objects.filter(campaign=campaign, organization_id__in=org_ids), actor)
    qs = with_secretary_of_case(qs.select_related("organization", "organization__parent", "campaign"))
    return {case.organization_id: case for case in qs}


def _match(row: SheetRow, candidates: dict[str, list[Organization]], cases: dict[int, Case]) -> tuple[str, str, Case | None]:
    orgs = candidates.get(row.name, [])
    if row.parent:
        orgs = [org for org in orgs if org.parent is not None and org.parent.name == row.parent]
    if not orgs:
        if row.parent:
            return UNMATCHED, msg.ERR_NOT_FOUND.format(name=row.name, parent=row.parent), None
        return UNMATCHED, msg.ERR_NOT_FOUND_NO_PARENT.format(name=row.name), None
    # Among same-named organizations, the one listed in the campaign is meant.
    listed = [org for org in orgs if org.pk in cases and cases[org.pk].state in CURRENT_STATES]
    if len(listed) > 1 or (not listed and len(orgs) > 1):
        return CONFLICTING, msg.ERR_AMBIGUOUS.format(name=row.name), None
    if not listed:
        case = cases.get(orgs[0].pk)
        if case is None or case.state in (CaseState.SCREENED, CaseState.PROPOSED):
            return UNMATCHED, msg.ERR_NOT_LISTED.format(name=row.name), None
        return UNMATCHED, msg.ERR_NOT_CURRENT.format(name=row.name, state=case.get_state_display()), None
    return "", "", cases[listed[0].pk]


def _row_plan(row: SheetRow, case: Case) -> RowPlan:
    item = RowPlan(row=row.row, case=case, main_problems=case.main_problems, measures=case.measures)
    for key, label in (("main_problems", "主要问题"), ("measures", "整改措施")):
        new = getattr(row, key)
        old = getattr(case, key)
        if new and new != text(old):
            setattr(item, key, new)
            item.changes.append(Change(label=label, old=old, new=new))
    return item


def _conflicts(row: SheetRow, case: Case, item: RowPlan, versions: dict[int, int]) -> list[str]:
    problems = []
    system_secretary = case.secretary_name or ""  # type: ignore[attr-defined]
    if row.secretary_name and row.secretary_name != system_secretary:
        problems.append(msg.ERR_SECRETARY.format(sheet=row.secretary_name, system=system_secretary or "（无现任书记）"))
    # Only a row that would overwrite something can be stale; an equal one is harmless.
    downloaded = versions.get(case.organization_id)
    if item.changes and downloaded is not None and downloaded != case.version:
        problems.append(msg.ERR_STALE)
    return problems
