"""Rules of the screening app that guard steps of other apps' workflows."""

from __future__ import annotations

from django.urls import reverse

from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.transitions import CAMPAIGN_WORKFLOW
from zhengdun.core.errors import ServiceError
from zhengdun.core.workflow import Step
from zhengdun.screening.models import RoundStatus, ScreeningRound

ERR_ROUNDS_OPEN = "还有 {count} 个排查未结束（{names}），请先结束排查再结束整顿工作"


@CAMPAIGN_WORKFLOW.guard("close")
def campaign_without_open_rounds(step: Step[Campaign]) -> None:
    """A campaign closes once its rounds are closed: an open round would keep taking records in a closed campaign."""
    names = list(
        ScreeningRound.objects.filter(campaign_id=step.obj.pk, status=RoundStatus.OPEN)
        .order_by("jurisdiction__path")
        .values_list("jurisdiction__name", flat=True)
    )
    if names:
        raise ServiceError(
            ERR_ROUNDS_OPEN.format(count=len(names), names="、".join(names)),
            errors=names,
            remedy_url=reverse("screening:list"),
            remedy_label="去结束排查",
        )
