"""Reads for the 帮扶力量 page, its API and the county overview. All scoped."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from zhengdun.campaigns.models import CampaignStatus
from zhengdun.cases.models import Case
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import STEPLEN, restrict
from zhengdun.organizations.models import Organization, Post
from zhengdun.support import checks
from zhengdun.support.models import SupportUnit

# The page's sections, in the order a reader looks for them.
SECTIONS = (
    ("contact_leader", "联系领导（A岗）"),
    ("contact_leader_deputy", "联系领导（B岗）"),
    ("first_secretary", "第一书记"),
    ("work_team", "工作队员"),
    ("resident_cadre", "驻村干部"),
    ("instructor", "党建指导员"),
)


@dataclass
class Section:
    role: str
    label: str
    posts: list[Post]


@dataclass
class Board:
    """Everything assigned to one organization, current and ended."""

    organization: Organization
    sections: list[Section]
    ended: list[Post]
    units: list[SupportUnit]
    ended_units: list[SupportUnit]
    warnings: list[str]

    @property
    def current(self) -> list[Post]:
        return [p for s in self.sections for p in s.posts]


def _is_ended(ended_on: datetime.date | None, today: datetime.date) -> bool:
    # A post ending today still holds today (PostQuerySet.active); it is shown
    # as ended at once so that the page answers the click that ended it.
    return ended_on is not None and ended_on <= today


def assignments_of(user: Actor, organization: Organization) -> QuerySet[Post]:
    qs = Post.objects.filter(organization=organization, role__in=checks.ASSIGNMENT_ROLES).select_related("person")
    return restrict(qs, user).order_by("role", "-started_on", "-id")


def support_units_of(user: Actor, organization: Organization) -> QuerySet[SupportUnit]:
    qs = SupportUnit.objects.filter(organization=organization).select_related("head")
    return restrict(qs, user).order_by("-started_on", "-id")


def split_units(units: Iterable[SupportUnit]) -> tuple[list[SupportUnit], list[SupportUnit]]:
    """(current, ended) support units."""
    today = timezone.localdate()
    units = list(units)
    return [u for u in units if not _is_ended(u.ended_on, today)], [u for u in units if _is_ended(u.ended_on, today)]


def board(user: Actor, organization: Organization) -> Board:
    today = timezone.localdate()
    posts = list(assignments_of(user, organization))
    units, ended_units = split_units(support_units_of(user, organization))
    sections = [
        Section(role, label, [p for p in posts if p.role == role and not _is_ended(p.ended_on, today)])
        for role, label in SECTIONS
    ]
    ended = sorted((p for p in posts if _is_ended(p.ended_on, today)), key=lambda p: (p.ended_on, p.pk), reverse=True)
    return Board(
        organization=organization,
        sections=sections,
        ended=ended,
        units=units,
        ended_units=ended_units,
        warnings=checks.organization_warnings(organization, viewer=user),
    )


def keepers_for(user: Actor, organization: Organization) -> QuerySet[Organization]:
    """Where a person entered on the spot may be registered: the organization or an ancestor in scope."""
    paths = [organization.path[:i] for i in range(STEPLEN, len(organization.path) + 1, STEPLEN)]
    return restrict(Organization.objects.filter(path__in=paths), user).order_by("path")


@dataclass
class Overview:
    key_cases_without_leader: list[Case] = field(default_factory=list)
    leader_warnings: list[str] = field(default_factory=list)
    unsupported: list[tuple[Case, list[str]]] = field(default_factory=list)


def overview(user: Actor) -> Overview:
    """What a county sees at a glance for its subtree, in a fixed number of queries."""
    cases = checks.with_support_flags(
        restrict(Case.objects.filter(campaign__status=CampaignStatus.ACTIVE), user)
        .exclude(state__in=checks.CASE_ENDED)
        .select_related("organization", "organization__parent", "campaign")
        .order_by("organization__path", "campaign_id")
    )
    result = Overview()
    for case in cases:
        lacking = checks.lacks(case)
        if checks.LACKS_LEADER in lacking:
            result.key_cases_without_leader.append(case)
        missing = [lack for lack in lacking if lack != checks.LACKS_LEADER]
        if missing:
            result.unsupported.append((case, missing))
    links = restrict(checks.contact_leaders(), user)
    leader_ids = list(links.order_by().values_list("person_id", flat=True).distinct())
    for found in checks.leader_link_warnings(leader_ids, viewer=user).values():
        result.leader_warnings.extend(found)
    return result
