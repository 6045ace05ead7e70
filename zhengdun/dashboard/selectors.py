"""The summary under the to-do list: the user's part of the tree, its
campaigns and its cases by state, each through the scoping chokepoint.
(The to-do list itself is todo.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases.selectors import state_counts
from zhengdun.core.actors import Actor
from zhengdun.organizations.models import Organization
from zhengdun.organizations.selectors import org_roots_for

CAMPAIGNS_SHOWN = 10


@dataclass(frozen=True)
class Summary:
    roots: list[Organization]
    campaigns: list[Campaign]
    counts: list[dict[str, Any]]


def summary_for(user: Actor) -> Summary:
    return Summary(
        roots=list(org_roots_for(user)),
        campaigns=list(campaign_list(user)[:CAMPAIGNS_SHOWN]),
        counts=state_counts(user),
    )
