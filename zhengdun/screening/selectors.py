"""Reads of the screening. Every function takes the acting user and scopes.

A round's table costs a fixed number of queries whatever the number of
organizations: one for the organizations, one for the records, one for the
cases, and the handful compute_signs needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Func, OuterRef, Q, QuerySet, Subquery

from zhengdun.campaigns.models import Campaign, Criterion
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.core.scoping import get_object_or_404, restrict, subtree_q
from zhengdun.organizations.models import Organization
from zhengdun.screening.models import Conclusion, Finding, ScreeningRecord, ScreeningRound
from zhengdun.screening.signs import GRASSROOTS_LEVELS, Sign, compute_signs, grassroots

FILTERS = {
    "signs": "有预警信号",
    "unscreened": "未排查",
    "pending": "待研判",
    "weak": "软弱涣散",
}


def round_list(user: Any) -> QuerySet[ScreeningRound]:
    """Rounds under the user's subtree, with their progress counted in the same query."""
    org_count = (
        Organization.objects.filter(subtree_q(OuterRef("jurisdiction__path")), level__in=GRASSROOTS_LEVELS)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return (
        restrict(ScreeningRound.objects.select_related("campaign", "jurisdiction", "opened_by"), user)
        .annotate(
            org_count=Subquery(org_count),
            screened=Count("records"),
            weak=Count("records", filter=Q(records__conclusion=Conclusion.WEAK)),
            pending=Count("records", filter=Q(records__conclusion=Conclusion.PENDING)),
        )
        .order_by("-opened_at", "-id")
    )


def round_get(user: Any, pk: int) -> ScreeningRound:
    qs = ScreeningRound.objects.select_related("campaign", "campaign__scope", "jurisdiction", "opened_by", "closed_by")
    return get_object_or_404(qs, user, pk=pk)


def round_org_get(user: Any, rnd: ScreeningRound, org_pk: int) -> Organization:
    """An organization of the round the user may see; anything else is 404."""
    return get_object_or_404(grassroots(rnd.jurisdiction).select_related("parent"), user, pk=org_pk)


def record_get(user: Any, pk: int) -> ScreeningRecord:
    qs = ScreeningRecord.objects.select_related("round", "round__campaign", "round__jurisdiction", "organization")
    return get_object_or_404(qs, user, pk=pk)


def record_of(rnd: ScreeningRound, organization: Organization) -> ScreeningRecord | None:
    """The organization's record in the round with its findings, if there is one."""
    qs = ScreeningRecord.objects.filter(round=rnd, organization=organization).select_related("screened_by")
    return qs.prefetch_related("findings__criterion").first()


def criteria_by_category(rnd: ScreeningRound) -> list[tuple[str, list[Criterion]]]:
    groups: dict[str, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(campaign_id=rnd.campaign_id).order_by("order", "id"):
        groups.setdefault(criterion.category, []).append(criterion)
    return list(groups.items())


@dataclass
class Row:
    organization: Organization
    signs: list[Sign]
    record: ScreeningRecord | None
    case_id: int | None = None
    case_state: str = ""

    @property
    def case_state_label(self) -> str:
        return CaseState(self.case_state).label if self.case_state else ""

    @property
    def proposed(self) -> bool:
        """Already proposed or further along: the record is the evidence of a live case."""
        return bool(self.case_state) and self.case_state != CaseState.SCREENED

    @property
    def can_propose(self) -> bool:
        return self.record is not None and self.record.conclusion == Conclusion.WEAK and not self.proposed

    def matches(self, only: str) -> bool:
        if only == "signs":
            return bool(self.signs)
        if only == "unscreened":
            return self.record is None
        if only in (Conclusion.PENDING, Conclusion.WEAK):
            return self.record is not None and self.record.conclusion == only
        return True


@dataclass
class RoundTable:
    rows: list[Row]
    counts: dict[str, int] = field(default_factory=dict)


def round_table(user: Any, rnd: ScreeningRound, *, only: str = "") -> RoundTable:
    """Every grassroots organization of the round the user may see, with signs, record and case."""
    orgs = list(restrict(grassroots(rnd.jurisdiction).select_related("parent"), user).order_by("path"))
    records = {
        r.organization_id: r
        for r in ScreeningRecord.objects.filter(round=rnd).annotate(findings_count=Count("findings")).order_by()
    }
    cases = {
        org_id: (case_id, state)
        for org_id, case_id, state in Case.objects.filter(
            subtree_q(rnd.jurisdiction.path, "organization__path"), campaign_id=rnd.campaign_id
        ).values_list("organization_id", "id", "state")
    }
    signs = compute_signs(rnd.campaign, rnd.jurisdiction)
    rows = []
    for org in orgs:
        case_id, state = cases.get(org.pk, (None, ""))
        rows.append(Row(org, signs.get(org.pk, []), records.get(org.pk), case_id, state))
    counts = {
        "total": len(rows),
        "screened": sum(1 for r in rows if r.record is not None),
        "unscreened": sum(1 for r in rows if r.record is None),
        "signs": sum(1 for r in rows if r.signs),
        "proposed": sum(1 for r in rows if r.proposed),
    }
    for value in Conclusion.values:
        counts[value] = sum(1 for r in rows if r.record is not None and r.record.conclusion == value)
    return RoundTable(rows=[r for r in rows if r.matches(only)], counts=counts)


def case_of(rnd: ScreeningRound, organization: Organization) -> Case | None:
    """The organization's case in the round's campaign, if it has one."""
    return Case.objects.filter(campaign_id=rnd.campaign_id, organization=organization).first()


def criteria_in_use(campaign: Campaign) -> set[int]:
    """The criteria of a campaign that recorded findings stand on (campaigns.services asks before changing the catalog)."""
    return set(Finding.objects.filter(criterion__campaign=campaign).order_by().values_list("criterion_id", flat=True).distinct())
