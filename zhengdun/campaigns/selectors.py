from typing import Any

from django.db.models import QuerySet

from zhengdun.campaigns.models import Campaign
from zhengdun.core.scoping import restrict


def campaign_list(user: Any) -> QuerySet[Campaign]:
    return restrict(Campaign.objects.select_related("scope"), user).order_by("-start_year", "-id")
