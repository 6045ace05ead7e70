"""{% similar_box_for plan as box %}: lets copycheck/_similar.html be included
with only `plan` in the context, so the plan page needs no copy-detection code."""

from __future__ import annotations

from typing import Any

from django import template

from zhengdun.copycheck.selectors import SimilarBox, can_compare, similar_box
from zhengdun.plans.models import Plan

register = template.Library()


@register.simple_tag(takes_context=True)
def similar_box_for(context: dict[str, Any], plan: Plan | None) -> SimilarBox | None:
    user = context.get("user")
    if plan is None or user is None or not can_compare(user):
        return None
    return similar_box(user, plan)
