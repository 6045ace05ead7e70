"""Campaigns: read by everyone below their scope, created from templates.

Shares (quota_share, satisfaction_threshold, plan_similarity_threshold) are
fractions here, as stored: 0.7 is 70%. Pages take them as percentages.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Field, ModelSchema, Router, Schema, Status
from ninja.pagination import paginate

from zhengdun.campaigns import selectors, services
from zhengdun.campaigns.models import Campaign, CampaignEvent, Criterion, Stage
from zhengdun.campaigns.rulebooks import RULEBOOKS, Rulebook
from zhengdun.campaigns.services import RULE_FIELDS, THRESHOLD_FIELDS, CriterionSpec, StageDates
from zhengdun.campaigns.transitions import CAMPAIGN_WORKFLOW
from zhengdun.core.api import WRITE_ERRORS, BlockedOfferOut, OfferOut, Page, Ref, caller, offer_out
from zhengdun.core.scoping import get_object_or_404, scope_for
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
    quota_share: Decimal | None = Field(description="整顿比例参考，小数：0.05 表示 5%；null 表示应定尽定、不设比例")
    satisfaction_threshold: Decimal = Field(description="群众满意度合格线，小数：0.7 表示 70%")
    cycle_years: int
    target: str
    status: str = Field(description="draft 草稿 / active 进行中 / closed 已结束")
    status_label: str
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_reporting_period_label(obj: Campaign) -> str:
        return obj.get_reporting_period_display()

    @staticmethod
    def resolve_status_label(obj: Campaign) -> str:
        return obj.get_status_display()


class StageOut(Schema):
    id: int
    order: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class CriterionOut(Schema):
    id: int = Field(description="登记排查发现时作为 criterion_id 传入")
    code: str
    category: str
    item: str
    lead_office: str
    cooperating_offices: str


class ThresholdsOut(ModelSchema):
    class Meta:
        model = Campaign
        fields = list(THRESHOLD_FIELDS)


class CampaignDetailOut(CampaignOut):
    thresholds: ThresholdsOut = Field(description="预警与提示阈值；plan_similarity_threshold 为小数（0.8 表示 80%）")
    stages: list[StageOut]
    criteria: list[CriterionOut]
    transitions: list[OfferOut] = Field(description="调用者现在可执行的状态变更")
    blocked_transitions: list[BlockedOfferOut] = Field(description="有权限但暂不能执行的状态变更及原因")

    @staticmethod
    def resolve_thresholds(obj: Campaign) -> Campaign:
        return obj

    @staticmethod
    def resolve_transitions(obj: Campaign, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in _offers(obj, context["request"].auth) if o.allowed]

    @staticmethod
    def resolve_blocked_transitions(obj: Campaign, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in _offers(obj, context["request"].auth) if not o.allowed]


class EventOut(Schema):
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    action: str
    actor: str
    at: datetime.datetime
    note: str

    @staticmethod
    def resolve_from_label(obj: CampaignEvent) -> str:
        return obj.get_from_state_display() if obj.from_state else ""

    @staticmethod
    def resolve_to_label(obj: CampaignEvent) -> str:
        return obj.get_to_state_display()

    @staticmethod
    def resolve_actor(obj: CampaignEvent) -> str:
        return str(obj.actor) if obj.actor else ""


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
    draft: bool = Field(False, description="true 则存为草稿，稍后再启动；默认创建后即开始")
    confirm: bool = Field(False, description="同一范围、年度和模板已有整顿工作时须为 true 才再创建一个")


class CampaignPatch(ModelSchema):
    """Any of the rules and thresholds; fields left out stay as they are.
    null clears only the quota (应定尽定) and the thresholds that may be off."""

    version: int | None = Field(None, description="调用者看到的版本号；他人已先修改时返回 409")

    class Meta:
        model = Campaign
        fields = [*RULE_FIELDS, *THRESHOLD_FIELDS]
        fields_optional = "__all__"


class StageIn(Schema):
    id: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class StagesIn(Schema):
    version: int | None = None
    stages: list[StageIn]


class CriterionIn(Schema):
    id: int | None = Field(None, description="已有标准的 id；新增的留空")
    code: str
    category: str
    item: str
    lead_office: str = ""
    cooperating_offices: str = ""


class CriteriaIn(Schema):
    version: int | None = None
    criteria: list[CriterionIn] = Field(description="完整的认定标准清单，按顺序；未列出的已有标准被删除")


class TransitionIn(Schema):
    action: str = Field(description="activate 启动 / close 结束 / reopen 重新启动（须填理由）")
    version: int = Field(description="调用者看到的版本号；他人已先处理时返回 409")
    note: str = ""


def _offers(campaign: Campaign, user: Any) -> list[Any]:
    # Steps on a campaign are its county's: below its scope none are offered.
    return CAMPAIGN_WORKFLOW.offers(campaign, user) if scope_for(user).covers_path(campaign.scope.path) else []


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


@router.get("/campaigns/{campaign_id}/events", response=list[EventOut], summary="整顿工作状态记录")
@paginate(Page)
def campaign_events(request: HttpRequest, campaign_id: int) -> Any:
    user = caller(request)
    return selectors.campaign_events(user, selectors.campaign_get(user, campaign_id))


@router.post("/campaigns", response={201: CampaignDetailOut, **WRITE_ERRORS}, summary="由模板创建整顿工作")
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Any:
    user = caller(request)
    scope = get_object_or_404(Organization.objects.all(), user, pk=payload.scope_id)
    campaign = services.campaign_create_from_template(
        template_key=payload.template_key,
        scope=scope,
        start_year=payload.start_year,
        actor=user,
        name=payload.name,
        draft=payload.draft,
        confirm_duplicate=payload.confirm,
    )
    return Status(201, _detail(request, campaign.pk))


def _changeable(request: HttpRequest, campaign_id: int) -> Campaign:
    """Readable from below, changeable only within its county's scope: 404 otherwise."""
    campaign = selectors.campaign_get(caller(request), campaign_id)
    if not scope_for(caller(request)).covers_path(campaign.scope.path):
        raise Http404
    return campaign


@router.patch("/campaigns/{campaign_id}", response={200: CampaignDetailOut, **WRITE_ERRORS}, summary="修改整顿工作规则与阈值")
def campaign_update(request: HttpRequest, campaign_id: int, payload: CampaignPatch) -> Any:
    user = caller(request)
    campaign = _changeable(request, campaign_id)
    sent = payload.dict(exclude_unset=True)
    version = sent.pop("version", None)
    # null clears what may be empty (the quota, a threshold that is off); elsewhere it means "leave as is".
    nullable = {f.name for f in Campaign._meta.concrete_fields if f.null}
    sent = {k: v for k, v in sent.items() if v is not None or k in nullable}
    for fields, save in ((RULE_FIELDS, services.campaign_update), (THRESHOLD_FIELDS, services.campaign_set_thresholds)):
        if any(k in sent for k in fields):
            values = {k: sent.get(k, getattr(campaign, k)) for k in fields}
            campaign = save(campaign=campaign, actor=user, expected_version=version, **values)
            version = None if version is None else campaign.version
    return _detail(request, campaign_id)


@router.put(
    "/campaigns/{campaign_id}/stages", response={200: CampaignDetailOut, **WRITE_ERRORS}, summary="修改工作阶段的名称和日期"
)
def campaign_stages(request: HttpRequest, campaign_id: int, payload: StagesIn) -> Any:
    services.campaign_set_stages(
        campaign=_changeable(request, campaign_id),
        actor=caller(request),
        expected_version=payload.version,
        stages=[StageDates(**s.dict()) for s in payload.stages],
    )
    return _detail(request, campaign_id)


@router.put("/campaigns/{campaign_id}/criteria", response={200: CampaignDetailOut, **WRITE_ERRORS}, summary="修改认定标准")
def campaign_criteria(request: HttpRequest, campaign_id: int, payload: CriteriaIn) -> Any:
    services.campaign_set_criteria(
        campaign=_changeable(request, campaign_id),
        actor=caller(request),
        expected_version=payload.version,
        criteria=[CriterionSpec(**c.dict()) for c in payload.criteria],
    )
    return _detail(request, campaign_id)


@router.post(
    "/campaigns/{campaign_id}/transitions", response={200: CampaignDetailOut, **WRITE_ERRORS}, summary="启动、结束或重新启动"
)
def campaign_transition(request: HttpRequest, campaign_id: int, payload: TransitionIn) -> Any:
    services.campaign_transition(
        campaign=_changeable(request, campaign_id),
        action=payload.action,
        actor=caller(request),
        note=payload.note,
        expected_version=payload.version,
    )
    return _detail(request, campaign_id)
