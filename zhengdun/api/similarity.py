"""Copy detection: the plans and samples most like a plan (一村一策 in name only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zhengdun.api.common import ErrorOut, caller
from zhengdun.core.scoping import get_object_or_404
from zhengdun.plans.models import Plan
from zhengdun.plans.similarity import plan_display_text
from zhengdun.plans.similarity_selectors import SeenMatch, ensure_can_compare, similar_box

router = Router(tags=["整顿方案"])


class SimilarMatchOut(Schema):
    kind: str = Field(description="plan：本整顿工作中的其他方案；sample：系统自带的范本")
    plan_id: int | None
    sample: str = Field(description="范本名称（kind 为 sample 时）")
    title: str
    organization: str = Field(description="对方党组织名称（范本为空）")
    parent: str
    score: Decimal = Field(description="估算的相似度，0—1")
    in_scope: bool = Field(description="对方方案是否在调用者的管辖范围内")
    text: str | None = Field(description="对方全文；不在调用者管辖范围内时为 null")


class SimilarOut(Schema):
    plan_id: int
    threshold: Decimal = Field(description="本整顿工作的雷同提示阈值")
    similarity: Decimal | None = Field(description="提交时记录的最高相似度")
    matches: list[SimilarMatchOut]


def _match_out(seen: SeenMatch) -> dict[str, Any]:
    match, other = seen.match, seen.match.plan
    if other is None:
        return {
            "kind": "sample",
            "plan_id": None,
            "sample": match.sample,
            "title": match.title,
            "organization": "",
            "parent": "",
            "score": match.score,
            "in_scope": True,
            "text": match.sample_text,
        }
    org = other.case.organization
    return {
        "kind": "plan",
        "plan_id": other.pk,
        "sample": "",
        "title": other.title,
        "organization": org.name,
        "parent": org.parent.name if org.parent else "",
        "score": match.score,
        "in_scope": seen.in_scope,
        "text": plan_display_text(other) if seen.in_scope else None,
    }


@router.get(
    "/plans/{plan_id}/similar",
    response={200: SimilarOut, 403: ErrorOut, 404: ErrorOut},
    summary="方案雷同比对",
    description="与本整顿工作中其他方案及系统范本比对，返回相似度达到阈值（默认取整顿工作设置）的最多 5 条。",
)
def plan_similar(request: HttpRequest, plan_id: int, min_score: Decimal | None = None) -> Any:
    user = caller(request)
    plan = get_object_or_404(Plan.objects.select_related("case__campaign", "case__organization__parent"), user, pk=plan_id)
    ensure_can_compare(user)
    box = similar_box(user, plan, min_score=min_score)
    return {
        "plan_id": plan.pk,
        "threshold": box.threshold,
        "similarity": plan.similarity,
        "matches": [_match_out(m) for m in box.matches],
    }
