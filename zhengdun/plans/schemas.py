"""Request and response bodies of the plan routes (api/plans.py)."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from ninja import Field, Schema
from pydantic import create_model

from zhengdun.core.api import BlockedOfferOut, OfferOut, Ref, offer_out
from zhengdun.plans.models import SECTIONS, Plan, PlanReview, PlanVersion, Task
from zhengdun.plans.selectors import plan_offers


class PlanOut(Schema):
    id: int
    case_id: int
    organization: Ref
    campaign: Ref
    title: str
    status: str
    status_label: str
    version: int = Field(description="编辑版本；修改、提交、审核时带上，他人已先修改时返回 409")
    approved_version: int | None = Field(description="已批准的版本号")
    similarity: Decimal | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_organization(obj: Plan) -> dict[str, Any]:
        return {"id": obj.case.organization_id, "name": obj.case.organization.name}

    @staticmethod
    def resolve_campaign(obj: Plan) -> dict[str, Any]:
        return {"id": obj.case.campaign_id, "name": obj.case.campaign.name}

    @staticmethod
    def resolve_status_label(obj: Plan) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_approved_version(obj: Plan) -> int | None:
        return obj.approved_version.number if obj.approved_version else None


class PlanListOut(PlanOut):
    task_count: int


class MeasureOut(Schema):
    id: int
    order: int
    title: str
    detail: str
    owner_name: str
    owner_id: int | None
    deadline: datetime.date
    target: str
    target_value: Decimal | None
    unit: str
    status: str
    version: int


class VersionOut(Schema):
    number: int
    reason: str
    created_by: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_created_by(obj: PlanVersion) -> str:
        return str(obj.created_by) if obj.created_by else ""


class VersionDetailOut(VersionOut):
    content: dict[str, Any]


class ReviewOut(Schema):
    id: int
    level: str
    level_label: str
    decision: str
    decision_label: str
    comments: str
    reviewer: str
    version_number: int
    at: datetime.datetime

    @staticmethod
    def resolve_level_label(obj: PlanReview) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_decision_label(obj: PlanReview) -> str:
        return obj.get_decision_display()

    @staticmethod
    def resolve_reviewer(obj: PlanReview) -> str:
        return str(obj.reviewer) if obj.reviewer else ""

    @staticmethod
    def resolve_version_number(obj: PlanReview) -> int:
        return obj.version.number


class PlanDetailOut(PlanOut):
    issuing_body: str
    households: int | None
    population: int | None
    member_count: int | None
    income_wan: Decimal | None
    sections: dict[str, str] = Field(description="各部分正文：" + "、".join(f"{k}（{h}）" for k, h in SECTIONS))
    criteria: list[str] = Field(description="对应认定标准编号")
    measures: list[MeasureOut]
    versions: list[VersionOut]
    reviews: list[ReviewOut]
    transitions: list[OfferOut] = Field(description="调用者可执行的状态变更（提交审核、乡镇审核、县级审批）")
    blocked_transitions: list[BlockedOfferOut] = Field(description="调用者有权限但尚不能执行的状态变更及原因")

    @staticmethod
    def resolve_transitions(obj: Plan, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in plan_offers(context["request"].auth, obj) if o.allowed]

    @staticmethod
    def resolve_blocked_transitions(obj: Plan, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in plan_offers(context["request"].auth, obj) if not o.allowed]

    @staticmethod
    def resolve_sections(obj: Plan) -> dict[str, str]:
        return {name: getattr(obj, name) for name, _ in SECTIONS}

    @staticmethod
    def resolve_criteria(obj: Plan) -> list[str]:
        return [c.code for c in obj.criteria.all()]

    @staticmethod
    def resolve_measures(obj: Plan) -> list[Task]:
        return list(obj.tasks.all())

    @staticmethod
    def resolve_versions(obj: Plan) -> list[PlanVersion]:
        return list(obj.versions.all())

    @staticmethod
    def resolve_reviews(obj: Plan) -> list[PlanReview]:
        return list(obj.reviews.all())


class SectionDiffOut(Schema):
    key: str
    heading: str
    html: str = Field(description="已转义的正文，删除的文字在 <del> 中，新增的在 <ins> 中")


class DiffOut(Schema):
    since: int | None = Field(description="比较的基准版本；未指定且调用者从未查看过时为空")
    sections: list[SectionDiffOut] = Field(description="只列出有变化的部分")


class PlanCreateIn(Schema):
    from_findings: bool = Field(False, description="根据排查发现生成“存在的问题”并关联认定标准")


# The text sections come from the model's SECTIONS, the same list plan_update takes.
PlanPatch = create_model(
    "PlanPatch",
    __base__=Schema,
    version=(int, ...),
    title=(str | None, None),
    **{name: (str | None, Field(None, description=heading)) for name, heading in SECTIONS},  # type: ignore[call-overload]
    criteria_ids=(list[int] | None, Field(None, description="对应认定标准的 id；不传则不变")),
)


def _label(name: str) -> str:
    """A measure field's description in the API: its label on the model, as the form shows it."""
    field = Task._meta.get_field(name)
    assert isinstance(field, models.Field), name  # a concrete field, not a reverse relation
    return str(field.verbose_name)


# A measure as an API body: the fields of measures.FIELDS, `owner` by its id
# (tests/plans/test_plan_api.py keeps them in step). Everything is optional,
# since the service answers what is missing in Chinese; a patch sends only
# the fields to change.
class MeasureIn(Schema):
    order: int | None = Field(None, description=_label("order"))
    title: str = Field("", description=_label("title"))
    detail: str = Field("", description=_label("detail"))
    owner_name: str = Field("", description=_label("owner_name"))
    owner_id: int | None = Field(None, description=_label("owner"))
    deadline: datetime.date | None = Field(None, description=_label("deadline"))
    target: str = Field("", description=_label("target"))
    target_value: Decimal | None = Field(None, description=_label("target_value"))
    unit: str = Field("", description=_label("unit"))


class MeasurePatch(Schema):
    version: int | None = Field(None, description="该措施的版本；他人已先修改时返回 409")
    order: int | None = Field(None, description=_label("order"))
    title: str | None = Field(None, description=_label("title"))
    detail: str | None = Field(None, description=_label("detail"))
    owner_name: str | None = Field(None, description=_label("owner_name"))
    owner_id: int | None = Field(None, description=_label("owner"))
    deadline: datetime.date | None = Field(None, description=_label("deadline"))
    target: str | None = Field(None, description=_label("target"))
    target_value: Decimal | None = Field(None, description=_label("target_value"))
    unit: str | None = Field(None, description=_label("unit"))


class VersionIn(Schema):
    version: int


class ReviewIn(Schema):
    level: str = Field("", description="township（乡镇审核）或 county（县级审批）")
    decision: str = Field("", description="pass（通过）或 return（退回修改）")
    comments: str = ""
    version: int | None = None


class FourReviewIn(Schema):
    item: str = Field("", description="plan、team、funds 或 summary")
    year: int = 0
    note: str = ""
    reviewed_on: datetime.date | None = None


class FourReviewRowOut(Schema):
    item: str
    label: str
    done: bool
    reviewed_on: datetime.date | None
    reviewed_by: str
    note: str
