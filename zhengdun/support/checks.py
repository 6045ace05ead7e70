"""Rules about the support assigned to an organization (帮扶力量), as warnings.

Seed 001: a county leader links one township and one key village, for a whole
cycle unchanged, with a deputy (AB岗); seed 004: work teams stay until the
organization is transformed (不转化不撤离); seed 001: a supporting department's
head is not promoted while its village stays untransformed for three years.
None of these refuses anything by itself: each returns Chinese sentences that
pages, the API and the audit note show. Which checks run, and their limits,
come from settings.ZHENGDUN_ASSIGNMENT_RULES; the cycle length and whether a
key case needs a contact leader come from the campaign.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhengdun.campaigns.models import Campaign, CampaignStatus
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import STEPLEN, scope_for
from zhengdun.organizations.choices import ASSIGNMENT_ROLES, Level, PostRole
from zhengdun.organizations.models import LINKING_ROLES, Organization, Post
from zhengdun.support.models import SupportUnit

__all__ = ["ASSIGNMENT_ROLES"]
# One holder at a time: a second one is assigned only after the first has ended.
SINGLE_HOLDER_ROLES = (PostRole.CONTACT_LEADER, PostRole.CONTACT_LEADER_DEPUTY, PostRole.FIRST_SECRETARY)
TEAM_ROLES = (PostRole.WORK_TEAM, PostRole.RESIDENT_CADRE)

# A case in these states no longer needs rectification support.
CASE_ENDED = (CaseState.DELISTED, CaseState.CONSOLIDATING, CaseState.REMOVED)
# Listed and not yet transformed: what "不转化不撤离" protects.
UNDER_RECTIFICATION = (
    CaseState.IDENTIFIED,
    CaseState.PLAN_APPROVED,
    CaseState.RECTIFYING,
    CaseState.ACCEPTANCE_REQUESTED,
    CaseState.RE_RECTIFYING,
    CaseState.RELISTED,
    CaseState.REMOVAL_REQUESTED,
)

WARN_LEADER_TOWNSHIPS = "{person}联系了 {count} 个乡镇（街道）（{names}），县级领导应只联系 {limit} 个乡镇（街道）"
WARN_LEADER_VILLAGES = "{person}联系了 {count} 个村（社区）（{names}），县级领导应只联系 {limit} 个整顿重点村（社区）"
WARN_VILLAGE_OUTSIDE_TOWNSHIP = "{person}联系的“{village}”不在其联系的乡镇（街道）（{townships}）之内"
WARN_EARLY_END = "联系点应一定 {years} 年不变：该联系自 {start} 起，应保持至 {due}，现于 {end} 提前调整"
WARN_TEAM_WITHDRAWN = "不转化不撤离：“{org}”尚未整顿转化（{state}），{role}{person}不应撤离"
WARN_KEY_CASE_NO_LEADER = "“{org}”是重点整顿对象（{campaign}），尚未明确联系领导"
WARN_NO_FIRST_SECRETARY = "“{org}”正在整顿（{campaign}），尚未选派第一书记"
WARN_NO_WORK_TEAM = "“{org}”正在整顿（{campaign}），尚未派驻工作队或驻村干部"
WARN_SUPPORT_UNIT_HEAD = "“{org}”列入整顿已满 {years} 年仍未转化，联建部门“{unit}”主要领导{head}不得晋升重用"


@dataclass(frozen=True)
class Rules:
    """The checks' switches and limits; None or False turns a check off."""

    leader_max_townships: int | None = 1
    leader_max_villages: int | None = 1
    village_within_township: bool = True
    link_lasts_cycle: bool = True
    team_stays_until_transformed: bool = True
    first_secretary_required: bool = True
    work_team_required: bool = True
    support_unit_head_years: int | None = 3


def rules() -> Rules:
    overrides = getattr(settings, "ZHENGDUN_ASSIGNMENT_RULES", {}) or {}
    known = {f.name for f in fields(Rules)}
    return Rules(**{k: v for k, v in overrides.items() if k in known})


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _names(rows: Iterable[Mapping[str, Any]], viewer: Actor) -> str:
    """Names the viewer may see; the rest are only counted, never named."""
    scope = scope_for(viewer)
    rows = list(rows)
    visible = [r["organization__name"] for r in rows if scope.covers_path(r["organization__path"])]
    hidden = len(rows) - len(visible)
    text = "、".join(visible)
    if hidden:
        text += f"{'及' if visible else ''}另外 {hidden} 个组织"
    return text


# (a) A county leader links one township and one key village.


def _township_paths(paths: Iterable[str]) -> set[str]:
    """Of all ancestors-or-self of `paths`, those that are township-level: one query."""
    prefixes = {p[:i] for p in paths for i in range(STEPLEN, len(p) + 1, STEPLEN)}
    if not prefixes:
        return set()
    return set(Organization.objects.filter(path__in=prefixes, level=Level.TOWNSHIP).values_list("path", flat=True))


def leader_link_warnings(person_ids: Iterable[int], *, viewer: Actor) -> dict[int, list[str]]:
    """Warnings per person about their contact-leader (A岗) links, in two queries.

    Only A岗 links count: a deputy post backs up someone else's point. A person
    registered inside a township is a township cadre (包村领导), who may link
    several villages; the county-leader rule is not theirs.
    """
    r = rules()
    ids = set(person_ids)
    if not ids:
        return {}
    links = list(
        contact_leaders()
        .filter(person_id__in=ids)
        .values(
            "person_id",
            "person__name",
            "person__organization__path",
            "organization__name",
            "organization__path",
            "organization__level",
        )
        .order_by("person_id", "organization__path")
    )
    township_cadres = _township_paths(row["person__organization__path"] for row in links)
    by_person: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in links:
        home = row["person__organization__path"]
        if not any(home.startswith(t) for t in township_cadres):
            by_person[row["person_id"]].append(row)
    warnings: dict[int, list[str]] = {}
    for person_id, rows in by_person.items():
        name = rows[0]["person__name"]
        towns = [x for x in rows if x["organization__level"] == Level.TOWNSHIP]
        villages = [x for x in rows if x["organization__level"] == Level.VILLAGE]
        found: list[str] = []
        if r.leader_max_townships is not None and len(towns) > r.leader_max_townships:
            found.append(
                WARN_LEADER_TOWNSHIPS.format(
                    person=name, count=len(towns), names=_names(towns, viewer), limit=r.leader_max_townships
                )
            )
        if r.leader_max_villages is not None and len(villages) > r.leader_max_villages:
            found.append(
                WARN_LEADER_VILLAGES.format(
                    person=name, count=len(villages), names=_names(villages, viewer), limit=r.leader_max_villages
                )
            )
        if r.village_within_township and towns:
            for village in villages:
                if not any(village["organization__path"].startswith(t["organization__path"]) for t in towns):
                    found.append(
                        WARN_VILLAGE_OUTSIDE_TOWNSHIP.format(
                            person=name, village=_names([village], viewer), townships=_names(towns, viewer)
                        )
                    )
        if found:
            warnings[person_id] = found
    return warnings


# (b) A link lasts the whole campaign cycle.


def cycle_years_for(organization: Organization) -> int | None:
    """The longest cycle of the active campaigns covering the organization."""
    ancestors = [organization.path[:i] for i in range(STEPLEN, len(organization.path) + 1, STEPLEN)]
    return (
        Campaign.objects.filter(status=CampaignStatus.ACTIVE, scope__path__in=ancestors)
        .order_by("-cycle_years")
        .values_list("cycle_years", flat=True)
        .first()
    )


def _cycle(post: Post) -> tuple[int, datetime.date] | None:
    """(cycle years, due day) of a contact-leader link, when both are known."""
    if post.started_on is None or post.role not in LINKING_ROLES:
        return None
    years = cycle_years_for(post.organization)
    return (years, add_years(post.started_on, years)) if years else None


def link_due(post: Post) -> datetime.date | None:
    """The day a contact-leader link may end at the earliest without a warning."""
    cycle = _cycle(post)
    return cycle[1] if cycle else None


def early_end_warnings(post: Post, ended_on: datetime.date) -> list[str]:
    if not rules().link_lasts_cycle:
        return []
    cycle = _cycle(post)
    if cycle is None or ended_on >= cycle[1]:
        return []
    years, due = cycle
    return [WARN_EARLY_END.format(years=years, start=post.started_on, due=due, end=ended_on)]


# Work teams stay until the organization is transformed (seed 004).


def open_cases(organization_id: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(organization_id=organization_id, campaign__status=CampaignStatus.ACTIVE)
        .exclude(state__in=CASE_ENDED)
        .select_related("campaign", "organization")
    )


def withdrawal_warnings(post: Post) -> list[str]:
    if not rules().team_stays_until_transformed or post.role not in TEAM_ROLES:
        return []
    case = open_cases(post.organization_id).filter(state__in=UNDER_RECTIFICATION).first()
    if case is None:
        return []
    return [
        WARN_TEAM_WITHDRAWN.format(
            org=post.organization.name, state=case.get_state_display(), role=post.get_role_display(), person=post.person.name
        )
    ]


# (c) Key cases need a contact leader; cases under rectification need their support.


def contact_leaders() -> QuerySet[Post]:
    """Active A岗 links: what "has a contact leader" means, everywhere. A B岗 deputy alone is not one."""
    return Post.objects.active().filter(role=PostRole.CONTACT_LEADER)


def has_active_contact_leader(organization_id: int, *, excluding: int | None = None) -> bool:
    qs = contact_leaders().filter(organization_id=organization_id)
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.exists()


def key_case_missing_contact_leader(case: Case, *, is_key: bool | None = None) -> bool:
    """True when the case is (or is about to be made) key and nobody holds the A岗 link.

    The identification step refuses with guards.ERR_KEY_NEEDS_LEADER when this
    is true and campaign.key_requires_contact_leader is set; pass `is_key` when
    the flag is being set in the same step.
    """
    key = case.is_key if is_key is None else is_key
    return key and not has_active_contact_leader(case.organization_id)


def with_support_flags(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate, in the same query, whether each case's organization has its support."""

    def holder(*roles: str) -> Exists:
        return Exists(Post.objects.active().filter(organization=OuterRef("organization"), role__in=roles))

    return cases.annotate(
        has_leader=Exists(contact_leaders().filter(organization=OuterRef("organization"))),
        has_first_secretary=holder(PostRole.FIRST_SECRETARY),
        has_team=holder(*TEAM_ROLES),
    )


# What a case may lack; the words are those of the county overview's list.
LACKS_LEADER = "联系领导"
LACKS_FIRST_SECRETARY = "第一书记"
LACKS_TEAM = "工作队或驻村干部"


def lacks(case: Case) -> list[str]:
    """What support one annotated case (see with_support_flags) lacks, by the rules.

    The one test behind the organization's warnings and the county overview.
    """
    r = rules()
    found: list[str] = []
    if case.is_key and not case.has_leader:  # type: ignore[attr-defined]
        found.append(LACKS_LEADER)
    if case.state in UNDER_RECTIFICATION:
        if r.first_secretary_required and not case.has_first_secretary:  # type: ignore[attr-defined]
            found.append(LACKS_FIRST_SECRETARY)
        if r.work_team_required and not case.has_team:  # type: ignore[attr-defined]
            found.append(LACKS_TEAM)
    return found


WARN_FOR_LACK = {
    LACKS_LEADER: WARN_KEY_CASE_NO_LEADER,
    LACKS_FIRST_SECRETARY: WARN_NO_FIRST_SECRETARY,
    LACKS_TEAM: WARN_NO_WORK_TEAM,
}


def case_warnings(case: Case) -> list[str]:
    """Warnings for one annotated case (see with_support_flags)."""
    return [WARN_FOR_LACK[lack].format(org=case.organization.name, campaign=case.campaign.name) for lack in lacks(case)]


def active_units(units: QuerySet[SupportUnit], on: datetime.date | None = None) -> QuerySet[SupportUnit]:
    """Support units paired on `on` (today), the same test as PostQuerySet.active."""
    on = on or timezone.localdate()
    return units.filter(Q(started_on__isnull=True) | Q(started_on__lte=on)).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))


def support_unit_warnings(cases: list[Case], units: list[SupportUnit], today: datetime.date) -> list[str]:
    """Seed 001: a paired department's head is not promoted after three untransformed years."""
    years = rules().support_unit_head_years
    if not years:
        return []
    found: list[str] = []
    for case in cases:
        since = case.filed_on or timezone.localtime(case.created_at).date()
        if case.state not in UNDER_RECTIFICATION or add_years(since, years) > today:
            continue
        for unit in units:
            if unit.organization_id == case.organization_id and unit.head is not None:
                found.append(
                    WARN_SUPPORT_UNIT_HEAD.format(
                        org=case.organization.name, years=years, unit=unit.unit_name, head=unit.head.name
                    )
                )
    return found


def organization_warnings(organization: Organization, *, viewer: Actor) -> list[str]:
    """Everything the 帮扶力量 page warns about for one organization."""
    today = timezone.localdate()
    cases = list(with_support_flags(open_cases(organization.pk)))
    found = [w for case in cases for w in case_warnings(case)]
    leaders = contact_leaders().filter(organization=organization).values_list("person_id", flat=True)
    for person_warnings in leader_link_warnings(list(leaders), viewer=viewer).values():
        found.extend(person_warnings)
    units = list(active_units(SupportUnit.objects.filter(organization=organization)).select_related("head"))
    found.extend(support_unit_warnings(cases, units, today))
    return list(dict.fromkeys(found))
