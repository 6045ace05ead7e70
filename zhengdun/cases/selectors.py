from typing import Any

from django.db.models import Count, QuerySet

from zhengdun.campaigns.models import Campaign, CampaignStatus
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.cases.transitions import CASE_WORKFLOW
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import restrict, subtree_q
from zhengdun.organizations.models import Organization

# States in which a case waits for someone's decision (a proposal, a removal
# request, an acceptance request).
AWAITING_DECISION = (CaseState.PROPOSED, CaseState.REMOVAL_REQUESTED, CaseState.ACCEPTANCE_REQUESTED)


def open_candidates(user: Actor, campaign: Campaign) -> QuerySet[Organization]:
    """What a user may list for screening in a campaign: grassroots organizations in both scopes."""
    from zhengdun.cases.services import CASE_LEVELS

    qs = Organization.objects.filter(subtree_q(campaign.scope.path), level__in=CASE_LEVELS)
    return restrict(qs.select_related("parent"), user).order_by("path")


def case_list(user: Actor, *, campaign_id: int | None = None, state: str = "", q: str = "") -> QuerySet[Case]:
    qs = restrict(Case.objects.select_related("organization", "organization__parent", "campaign"), user)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(organization__name__icontains=q)
    return qs.order_by("organization__path", "campaign_id")


def case_events(user: Actor, case: Case) -> QuerySet[CaseEvent]:
    return restrict(CaseEvent.objects.filter(case=case).select_related("actor"), user).order_by("at", "id")


def state_counts(user: Actor) -> list[dict[str, Any]]:
    rows = restrict(Case.objects.all(), user).values("state").annotate(n=Count("id"))
    labels = dict(CaseState.choices)
    order = [s for s, _ in CaseState.choices]
    return sorted(
        ({"state": r["state"], "label": labels.get(r["state"], r["state"]), "n": r["n"]} for r in rows),
        key=lambda r: order.index(r["state"]) if r["state"] in order else 99,
    )


def awaiting_states(user: Actor) -> set[str]:
    """The states of cases that wait for a decision this user may take."""
    return {
        state
        for rule in CASE_WORKFLOW.transitions
        if user.has_perm(rule.permission)
        for state in rule.sources
        if state in AWAITING_DECISION
    }


def default_campaign(user: Actor) -> Campaign | None:
    """The campaign a page opens on: the one with cases waiting for the user's
    decision, then a running one, newest first (a second, newer campaign must
    not hide the proposals waiting in the other)."""
    campaigns = list(campaign_list(user))
    states = awaiting_states(user)
    waiting = (
        set(restrict(Case.objects.filter(state__in=states), user).order_by().values_list("campaign_id", flat=True).distinct())
        if states and campaigns
        else set()
    )
    # campaign_list is newest first and sorted() is stable.
    ranked = sorted(campaigns, key=lambda c: (c.pk not in waiting, c.status != CampaignStatus.ACTIVE))
    return ranked[0] if ranked else None
