"""The campaign's status (草稿 / 进行中 / 已结束) as data, on core.workflow.

A campaign made from a template starts active unless its author keeps it as a
draft to adjust the rules first. Closing ends the campaign's work (no new
rounds, no new cases); reopening a closed one undoes that decision, so it needs
a reason and its own right (campaigns.reopen_campaign, the county's).
"""

from __future__ import annotations

from zhengdun.campaigns.models import Campaign, CampaignEvent
from zhengdun.campaigns.models import CampaignStatus as S
from zhengdun.core.workflow import Transition, Workflow

TRANSITIONS: tuple[Transition, ...] = (
    Transition("activate", "启动整顿工作", (S.DRAFT,), S.ACTIVE, "campaigns.change_campaign"),
    Transition("close", "结束整顿工作", (S.ACTIVE,), S.CLOSED, "campaigns.change_campaign"),
    Transition("reopen", "重新启动", (S.CLOSED,), S.ACTIVE, "campaigns.reopen_campaign", note_required=True),
)

CAMPAIGN_WORKFLOW: Workflow[Campaign] = Workflow(
    model=Campaign, event_model=CampaignEvent, event_field="campaign", transitions=TRANSITIONS, states=S, state_field="status"
)
