"""Campaigns: read by everyone below their scope, created from templates."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhengdun.api.common import WRITE_ERRORS, Page, Ref, caller
from zhengdun.campaigns import selectors, services
from zhengdun.campaigns.models import Campaign, CampaignStatus, Criterion, ReportingPeriod, Stage
from zhengdun.campaigns.rulebooks import RULEBOOKS, Rulebook
from zhengdun.core.scoping import get_object_or_404
from zhengdun.organizations.models import Organization

router = Router(tags=["整顿工作"])


class CampaignOut(Schema):
    id: int
    name: str
    scope: Ref
    template_key: str
    start_year: int
    end_year: int
    reporting_period: str
    reporting_period_label: str
    quota_share: Decimal | None
    satisfaction_threshold: Decimal
    cycle_years: int
    target: str
    status: str
    status_label: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_reporting_period_label(obj: Campaign) -> str:
        return obj.get_reporting_period_display()

    @staticmethod
    def resolve_status_label(obj: Campaign) -> str:
        return obj.get_status_display()


class StageOut(Schema):
    order: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class CriterionOut(Schema):
    code: str
    category: str
    item: str
    lead_office: str
    cooperating_offices: str


class CampaignDetailOut(CampaignOut):
    stages: list[StageOut]
    criteria: list[CriterionOut]


class StageRuleOut(Schema):
    name: str
    starts: str = Field(description="相对起始年度的日期，如“第2年11月30日”")
    ends: str


class CriterionRuleOut(Schema):
    category: str
    item: str
    lead_office: str
    cooperating_offices: str


class RulesOut(Schema):
    years: int
    reporting_period: str
    quota_share: Decimal | None
    satisfaction_threshold: Decimal
    cycle_years: int
    target: str
    stages: list[StageRuleOut]
    criteria: list[CriterionRuleOut]


class TemplateOut(Schema):
    key: str
    title: str
    source: str
    default_start_year: int
    rules: RulesOut


class CampaignIn(Schema):
    template_key: str
    scope_id: int = Field(description="整顿范围：一个组织及其全部下级")
    start_year: int = Field(ge=2000, le=2100)
    name: str = ""


class CampaignPatch(Schema):
    name: str | None = None
    start_year: int | None = Field(None, ge=2000, le=2100)
    end_year: int | None = Field(None, ge=2000, le=2100)
    reporting_period: ReportingPeriod | None = None
    quota_share: Decimal | None = Field(None, max_digits=5, decimal_places=4, description="留空（null）表示不设比例")
    satisfaction_threshold: Decimal | None = Field(None, max_digits=4, decimal_places=3)
    cycle_years: int | None = Field(None, ge=1)
    target: str | None = None
    status: CampaignStatus | None = None


def _relative_day(day: tuple[int, int, int]) -> str:
    offset, month, dom = day
    return f"第{offset + 1}年{month}月{dom}日"


def _template(book: Rulebook) -> dict[str, Any]:
    return {
        "key": book.key,
        "title": book.title,
        "source": book.source,
        "default_start_year": book.default_start_year,
        "rules": {
            "years": book.years,
            "reporting_period": book.reporting_period,
            "quota_share": book.quota_share,
            "satisfaction_threshold": book.satisfaction_threshold,
            "cycle_years": book.cycle_years,
            "target": book.target,
            "stages": [{"name": s.name, "starts": _relative_day(s.starts), "ends": _relative_day(s.ends)} for s in book.stages],
            "criteria": [
                {"category": c, "item": i, "lead_office": lead, "cooperating_offices": coop} for c, i, lead, coop in book.criteria
            ],
        },
    }


def _detail(request: HttpRequest, campaign_id: int) -> Campaign:
    qs = Campaign.objects.select_related("scope").prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("order")),
        Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")),
    )
    return get_object_or_404(qs, caller(request), pk=campaign_id)


@router.get("/campaigns", response=list[CampaignOut], summary="整顿工作列表")
@paginate(Page)
def campaign_list(request: HttpRequest) -> Any:
    return selectors.campaign_list(caller(request))


@router.get("/campaigns/templates", response=list[TemplateOut], summary="整顿工作模板")
def template_list(request: HttpRequest) -> Any:
    return [_template(book) for book in RULEBOOKS.values()]


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut, summary="整顿工作详情（含阶段与认定标准）")
def campaign_detail(request: HttpRequest, campaign_id: int) -> Any:
    return _detail(request, campaign_id)


@router.post("/campaigns", response={201: CampaignDetailOut, **WRITE_ERRORS}, summary="由模板创建整顿工作")
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Any:
    user = caller(request)
    scope = get_object_or_404(Organization.objects.all(), user, pk=payload.scope_id)
    campaign = services.campaign_create_from_template(
        template_key=payload.template_key, scope=scope, start_year=payload.start_year, actor=user, name=payload.name
    )
    return Status(201, _detail(request, campaign.pk))


@router.patch("/campaigns/{campaign_id}", response={200: CampaignDetailOut, **WRITE_ERRORS}, summary="修改整顿工作")
def campaign_update(request: HttpRequest, campaign_id: int, payload: CampaignPatch) -> Any:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), caller(request), pk=campaign_id)
    # null clears only the quota (应定尽定); elsewhere it means "leave as is".
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "quota_share"}
    services.campaign_update(campaign=campaign, actor=caller(request), **fields)
    return _detail(request, campaign_id)
