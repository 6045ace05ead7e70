"""{% similar_box_for plan as box %}: lets plans/_similar.html be included with
only `plan` in the context, so the plan page needs no similarity code."""

from __future__ import annotations

from typing import Any

from django import template

from zhengdun.plans.similarity_selectors import SimilarBox, can_compare, similar_box

register = template.Library()


@register.simple_tag(takes_context=True)
def similar_box_for(context: dict[str, Any], plan: Any) -> SimilarBox | None:
    user = context.get("user")
    if plan is None or not can_compare(user):
        return None
    return similar_box(user, plan)
