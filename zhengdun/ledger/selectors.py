"""Reading the ledger: one row per listed organization of a campaign in a subtree.

Two queries whatever the number of rows: the cases (with organization,
parent and current secretary in one statement) and the contact leaders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery

from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.core.errors import ServiceError
from zhengdun.core.masking import can_see_personal_info, phone_for
from zhengdun.core.scoping import ensure_org_in_scope, restrict, scope_for, subtree_q
from zhengdun.ledger import messages as msg
from zhengdun.organizations.choices import Level, PostRole
from zhengdun.organizations.models import Organization, Post

# The 2014 sheet lists organizations under rectification: from filing (认定备案)
# until delisting, plus those sent back or listed again.
CURRENT_STATES: tuple[str, ...] = (
    CaseState.IDENTIFIED,
    CaseState.PLAN_APPROVED,
    CaseState.RECTIFYING,
    CaseState.ACCEPTANCE_REQUESTED,
    CaseState.RE_RECTIFYING,
    CaseState.RELISTED,
)
# Everything ever identified, for year-end archives that also show the delisted.
IDENTIFIED_STATES: tuple[str, ...] = (*CURRENT_STATES, CaseState.DELISTED, CaseState.CONSOLIDATING)

# Levels offered as "填表单位": the units that print and file the sheet.
UNIT_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)


class Listing(models.TextChoices):
    CURRENT = "current", "当前在册（认定后、销号前）"
    ALL = "all", "全部已认定（含已销号、巩固提升）"


def listing_states(listing: str) -> tuple[str, ...]:
    return IDENTIFIED_STATES if listing == Listing.ALL else CURRENT_STATES


@dataclass(frozen=True)
class LedgerRow:
    number: int
    case_id: int
    version: int
    state: str
    state_label: str
    is_key: bool
    organization_id: int
    organization_code: str
    organization_name: str
    parent_name: str
    secretary_name: str
    secretary_phone: str  # already masked for the reader
    main_problems: str
    measures: str
    contact_leaders: str


@dataclass(frozen=True)
class Ledger:
    campaign: Campaign
    unit: Organization
    listing: str
    rows: list[LedgerRow]
    phones_unmasked: bool


def check_overlap(campaign: Campaign, org: Organization) -> None:
    """The subtree must meet the campaign: inside its scope, or above it."""
    scope_path = campaign.scope.path
    if not (org.path.startswith(scope_path) or scope_path.startswith(org.path)):
        raise ServiceError(msg.ERR_OUTSIDE_CAMPAIGN.format(org=org.name, campaign=campaign.name))


def with_secretary_of_case(qs: QuerySet[Case]) -> QuerySet[Case]:
    current = (
        Post.objects.active()
        .filter(organization=OuterRef("organization_id"), role=PostRole.SECRETARY)
        .order_by("-started_on", "-id")
    )
    return qs.annotate(
        secretary_name=Subquery(current.values("person__name")[:1]),
        secretary_phone=Subquery(current.values("person__phone")[:1]),
    )


def listed_cases(user: Any, campaign: Campaign, *, under: Organization | None = None, states: tuple[str, ...]) -> QuerySet[Case]:
    return with_secretary_of_case(_listed(user, campaign, under=under, states=states))


def _listed(user: Any, campaign: Campaign, *, under: Organization | None, states: tuple[str, ...]) -> QuerySet[Case]:
    qs = restrict(Case.objects.filter(campaign=campaign, state__in=states), user)
    if under is not None:
        qs = qs.filter(subtree_q(under.path, "organization__path"))
    return qs.select_related("organization", "organization__parent").order_by("organization__path")


def contact_leaders(user: Any, org_ids: list[int]) -> dict[int, str]:
    """Per organization, its active contact leaders as "张三（B岗：李四）"."""
    posts = (
        restrict(Post.objects.active(), user)
        .filter(organization_id__in=org_ids, role__in=(PostRole.CONTACT_LEADER, PostRole.CONTACT_LEADER_DEPUTY))
        .select_related("person")
        .order_by("organization_id", "started_on", "id")
    )
    leaders: dict[int, list[str]] = defaultdict(list)
    deputies: dict[int, list[str]] = defaultdict(list)
    for post in posts:
        bag = leaders if post.role == PostRole.CONTACT_LEADER else deputies
        bag[post.organization_id].append(post.person.name)
    text: dict[int, str] = {}
    for org_id in set(leaders) | set(deputies):
        main = "、".join(leaders[org_id])
        deputy = f"B岗：{'、'.join(deputies[org_id])}" if deputies[org_id] else ""
        text[org_id] = f"{main}（{deputy}）" if main and deputy else main or deputy
    return text


def _rows_of(user: Any, cases: list[Case], first_number: int) -> list[LedgerRow]:
    leaders = contact_leaders(user, [case.organization_id for case in cases])
    return [_row(user, number, case, leaders) for number, case in enumerate(cases, start=first_number)]


def _row(user: Any, number: int, case: Case, leaders: dict[int, str]) -> LedgerRow:
    """A case of listed_cases (with its secretary annotated) as a ledger row."""
    org = case.organization
    return LedgerRow(
        number=number,
        case_id=case.pk,
        version=case.version,
        state=case.state,
        state_label=case.get_state_display(),
        is_key=case.is_key,
        organization_id=org.pk,
        organization_code=org.code,
        organization_name=org.name,
        parent_name=org.parent.name if org.parent else "",
        secretary_name=case.secretary_name or "",  # type: ignore[attr-defined]
        secretary_phone=phone_for(user, case.secretary_phone),  # type: ignore[attr-defined]
        main_problems=case.main_problems,
        measures=case.measures,
        contact_leaders=leaders.get(org.pk, ""),
    )


def ledger_rows(user: Any, campaign: Campaign, *, under: Organization, listing: str = Listing.CURRENT) -> list[LedgerRow]:
    ensure_org_in_scope(user, under)
    cases = list(listed_cases(user, campaign, under=under, states=listing_states(listing)))
    return _rows_of(user, cases, 1)


def ledger_count(user: Any, campaign: Campaign, *, under: Organization, listing: str = Listing.CURRENT) -> int:
    """How many rows the ledger has, without reading them (decides whether it is exported as a job)."""
    check_overlap(campaign, under)
    ensure_org_in_scope(user, under)
    qs = restrict(Case.objects.filter(campaign=campaign, state__in=listing_states(listing)), user)
    return qs.filter(subtree_q(under.path, "organization__path")).count()


def iter_ledger_rows(
    user: Any, campaign: Campaign, *, under: Organization, listing: str = Listing.CURRENT, chunk: int = 1000
) -> Iterator[LedgerRow]:
    """The ledger's rows in tree order, `chunk` cases at a time, so that a province's
    ledger is never held in memory whole (the export job streams it)."""
    ensure_org_in_scope(user, under)
    check_overlap(campaign, under)
    cases = listed_cases(user, campaign, under=under, states=listing_states(listing)).iterator(chunk_size=chunk)
    number = 1
    while batch := list(islice(cases, chunk)):
        yield from _rows_of(user, batch, number)
        number += len(batch)


def ledger_for(user: Any, campaign: Campaign, *, under: Organization, listing: str = Listing.CURRENT) -> Ledger:
    check_overlap(campaign, under)
    rows = ledger_rows(user, campaign, under=under, listing=listing)
    return Ledger(campaign=campaign, unit=under, listing=listing, rows=rows, phones_unmasked=can_see_personal_info(user))


def ledger_page(
    user: Any, campaign: Campaign, *, under: Organization, listing: str = Listing.CURRENT, number: str | None, per_page: int
) -> tuple[Ledger, Page]:
    """One page of the ledger, for the preview: the secretary subqueries and the
    contact leaders are read for the page's rows only (the download holds them all)."""
    check_overlap(campaign, under)
    ensure_org_in_scope(user, under)
    qs = _listed(user, campaign, under=under, states=listing_states(listing))
    page = Paginator(qs, per_page).get_page(number)
    ids = [case.pk for case in page.object_list]
    cases = list(with_secretary_of_case(qs.filter(pk__in=ids))) if ids else []
    leaders = contact_leaders(user, [case.organization_id for case in cases])
    rows = [_row(user, number, case, leaders) for number, case in enumerate(cases, start=page.start_index())]
    page.object_list = rows  # type: ignore[assignment]  # the page shows rows, not cases
    ledger = Ledger(campaign=campaign, unit=under, listing=listing, rows=rows, phones_unmasked=can_see_personal_info(user))
    return ledger, page


def unit_choices(user: Any, campaign: Campaign) -> QuerySet[Organization]:
    """The subtrees offered on the page (searched as you type, a province holds
    thousands): the user's own roots and the units above village level, as far
    as they meet the campaign (inside its scope, or above it)."""
    scope = scope_for(user)
    qs = restrict(Organization.objects.select_related("parent"), user).filter(
        models.Q(level__in=UNIT_LEVELS) | models.Q(path__in=scope.roots)
    )
    campaign_path = campaign.scope.path
    step = Organization.steplen
    above = [campaign_path[:end] for end in range(step, len(campaign_path) + 1, step)]
    return qs.filter(subtree_q(campaign_path) | models.Q(path__in=above)).order_by("path")


def default_unit(user: Any, campaign: Campaign, choices: QuerySet[Organization]) -> Organization | None:
    """The campaign's own scope when the user reaches it, else the user's top unit in it."""
    own = choices.filter(pk=campaign.scope_id).first()
    if own is not None:
        return own
    return choices.filter(subtree_q(campaign.scope.path)).order_by("path").first()
