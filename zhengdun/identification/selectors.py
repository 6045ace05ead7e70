"""Reads of identification. Every function takes the acting user and scopes."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.cases.selectors import case_list
from zhengdun.cases.states import CaseState
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import restrict, subtree_q
from zhengdun.identification.services import DYNAMIC_LEVELS
from zhengdun.organizations.models import Organization


def proposals(user: Actor, campaign: Campaign) -> QuerySet[Case]:
    """The proposals of a campaign waiting for identification (page them, then with_findings)."""
    return case_list(user, campaign_id=campaign.pk, state=CaseState.PROPOSED)


def with_findings(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Each case's number of screening findings, grouped once for the rows given."""
    return qs.annotate(findings=Count("screening_record__findings"))


def dynamic_candidates(user: Actor, campaign: Campaign) -> QuerySet[Organization]:
    """What may be added dynamically: village-level organizations in the user's scope and the campaign's."""
    qs = Organization.objects.filter(subtree_q(campaign.scope.path), level__in=DYNAMIC_LEVELS)
    return restrict(qs.select_related("parent"), user).order_by("path")
