"""Reads of campaigns, through the scoping chokepoint."""

from __future__ import annotations

from django.db.models import QuerySet

from zhengdun.campaigns.models import Campaign, CampaignEvent
from zhengdun.campaigns.transitions import CAMPAIGN_WORKFLOW
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import get_object_or_404, restrict


def campaign_list(user: Actor) -> QuerySet[Campaign]:
    return restrict(Campaign.objects.select_related("scope"), user).order_by("-start_year", "-id")


def campaign_get(user: Actor, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("scope"), user, pk=pk)


def campaign_events(user: Actor, campaign: Campaign) -> QuerySet[CampaignEvent]:
    """The status changes of a campaign the user may read, newest first."""
    return CAMPAIGN_WORKFLOW.events(campaign_get(user, campaign.pk)).order_by("-at", "-id")
