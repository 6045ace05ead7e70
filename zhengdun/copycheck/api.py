"""Copy detection: the plans and samples most like a plan (一村一策 in name only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zhengdun.copycheck.index import plan_display_text
from zhengdun.copycheck.score import SectionShare
from zhengdun.copycheck.selectors import SeenCheck, SeenMatch, ensure_can_compare, similar_box
from zhengdun.core.api import ErrorOut, caller
from zhengdun.core.scoping import get_object_or_404
from zhengdun.plans.models import Plan

router = Router(tags=["整顿方案"])


class CopiedSectionOut(Schema):
    key: str = Field(description="本方案的部分（字段名；整改任务为 tasks）")
    heading: str
    share: Decimal = Field(description="该部分文字见于对方的比例，0—1")


class SimilarMatchOut(Schema):
    kind: str = Field(description="plan：本整顿工作中的其他方案；sample：系统自带的范本")
    plan_id: int | None
    sample: str = Field(description="范本名称（kind 为 sample 时）")
    title: str
    organization: str = Field(description="对方党组织名称（范本为空）")
    parent: str
    score: Decimal = Field(description="雷同程度，0—1：本方案的文字（逐部分比对）见于对方的比例")
    containment: Decimal = Field(description="本方案全部文字见于对方的比例")
    jaccard: Decimal = Field(description="两份文本的对称重合度")
    copied_sections: list[CopiedSectionOut] = Field(description="照搬自对方的部分")
    in_scope: bool = Field(description="对方方案是否在调用者的管辖范围内")
    text: str | None = Field(description="对方全文；不在调用者管辖范围内时为 null")


class SubmittedCheckOut(Schema):
    score: Decimal = Field(description="提交时的最高雷同程度")
    kind: str = Field(description="plan 或 sample")
    plan_id: int | None = Field(description="来源方案；不在管辖范围内且未达阈值时为 null")
    sample: str
    title: str = Field(description="来源标题；不在管辖范围内且未达阈值时为空")
    organization: str
    copied_sections: list[CopiedSectionOut]
    checked_at: str


class SimilarOut(Schema):
    plan_id: int
    threshold: Decimal = Field(description="本整顿工作的雷同提示阈值")
    similarity: Decimal | None = Field(description="提交时记录的最高相似度")
    submitted: SubmittedCheckOut | None = Field(description="提交时的比对结果：来源和照搬的部分")
    matches: list[SimilarMatchOut]


def _sections_out(sections: tuple[SectionShare, ...]) -> list[dict[str, Any]]:
    return [{"key": s.key, "heading": s.heading, "share": s.share} for s in sections]


def _match_out(seen: SeenMatch) -> dict[str, Any]:
    match, other = seen.match, seen.match.plan
    common = {
        "score": match.score,
        "containment": match.result.containment,
        "jaccard": match.result.jaccard,
        "copied_sections": _sections_out(match.copied),
    }
    if other is None:
        return common | {
            "kind": "sample",
            "plan_id": None,
            "sample": match.sample,
            "title": match.title,
            "organization": "",
            "parent": "",
            "in_scope": True,
            "text": match.sample_text,
        }
    org = other.case.organization
    return common | {
        "kind": "plan",
        "plan_id": other.pk,
        "sample": "",
        "title": other.title,
        "organization": org.name,
        "parent": org.parent.name if org.parent else "",
        "in_scope": seen.in_scope,
        "text": plan_display_text(other) if seen.in_scope else None,
    }


def _submitted_out(seen: SeenCheck | None) -> dict[str, Any] | None:
    if seen is None:
        return None
    check, source = seen.check, seen.check.source_plan
    return {
        "score": check.score,
        "kind": "sample" if check.source_sample else "plan",
        "plan_id": source.pk if source is not None and seen.named else None,
        "sample": check.source_sample,
        "title": seen.source_title if seen.named else "",
        "organization": source.case.organization.name if source is not None and seen.named else "",
        "copied_sections": [{"key": s["key"], "heading": s["heading"], "share": Decimal(s["share"])} for s in check.sections],
        "checked_at": check.checked_at.isoformat(),
    }


@router.get(
    "/plans/{plan_id}/similar",
    response={200: SimilarOut, 403: ErrorOut, 404: ErrorOut},
    summary="方案雷同比对",
    description=(
        "与本整顿工作中其他方案及系统范本逐部分比对，返回雷同程度达到阈值（默认取整顿工作设置）的最多 5 条，"
        "以及每条照搬的部分；submitted 为提交时记录的比对结果。"
    ),
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
        "submitted": _submitted_out(box.submitted),
        "matches": [_match_out(m) for m in box.matches],
    }
