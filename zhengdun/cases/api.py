"""Cases: the listed organizations of a campaign and their state machine."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhengdun.campaigns.models import Campaign
from zhengdun.cases import selectors, services
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.cases.transitions import CASE_WORKFLOW
from zhengdun.core.api import WRITE_ERRORS, BlockedOfferOut, OfferOut, Page, Ref, caller, offer_out
from zhengdun.core.scoping import get_object_or_404
from zhengdun.organizations.models import Organization

router = Router(tags=["整顿对象"])

STATE_LABELS = dict(CaseState.choices)


class CaseOrgOut(Schema):
    id: int
    name: str
    parent_name: str

    @staticmethod
    def resolve_parent_name(obj: Organization) -> str:
        return obj.parent.name if obj.parent else ""


class CaseOut(Schema):
    id: int
    campaign: Ref
    organization: CaseOrgOut
    state: str
    state_label: str
    is_key: bool
    filed_on: datetime.date | None
    delisted_on: datetime.date | None
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_state_label(obj: Case) -> str:
        return obj.get_state_display()


class CaseDetailOut(CaseOut):
    main_problems: str
    measures: str
    last_satisfaction: Decimal | None
    created_at: datetime.datetime
    transitions: list[OfferOut] = Field(description="调用者在当前状态下可执行的操作")
    blocked_transitions: list[BlockedOfferOut] = Field(description="调用者有权限但当前尚不能执行的操作及原因")

    @staticmethod
    def resolve_transitions(obj: Case, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in CASE_WORKFLOW.offers(obj, context["request"].auth) if o.allowed]

    @staticmethod
    def resolve_blocked_transitions(obj: Case, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in CASE_WORKFLOW.offers(obj, context["request"].auth) if not o.allowed]


class EventOut(Schema):
    id: int
    action: str
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    actor: str
    at: datetime.datetime
    note: str
    data: dict[str, Any]

    @staticmethod
    def resolve_from_label(obj: CaseEvent) -> str:
        return STATE_LABELS.get(obj.from_state, "")

    @staticmethod
    def resolve_to_label(obj: CaseEvent) -> str:
        return STATE_LABELS.get(obj.to_state, "")

    @staticmethod
    def resolve_actor(obj: CaseEvent) -> str:
        return str(obj.actor) if obj.actor else ""


class CaseIn(Schema):
    campaign_id: int
    organization_id: int
    is_key: bool = False
    note: str = ""


class TransitionIn(Schema):
    action: str
    version: int = Field(description="调用者看到的版本号；他人已先处理时返回 409")
    note: str = ""
    filed_on: datetime.date | None = None
    # Text too ("86.5%"): the service parses it and answers in Chinese.
    satisfaction: Decimal | str | None = Field(None, description="群众满意度，0—100 的百分数")
    is_key: bool | None = Field(None, description="认定时是否列为重点整顿对象")


class CasePatch(Schema):
    version: int
    main_problems: str | None = None
    measures: str | None = None
    is_key: bool | None = None


def case_out(request: HttpRequest, case_id: int) -> Case:
    """The case as CaseDetailOut reads it, scoped; other apps' endpoints answer with it too."""
    qs = Case.objects.select_related("campaign", "organization", "organization__parent")
    return get_object_or_404(qs, caller(request), pk=case_id)


@router.get("/cases", response=list[CaseOut], summary="整顿对象列表")
@paginate(Page)
def case_list(request: HttpRequest, campaign: int | None = None, state: CaseState | None = None, q: str = "") -> Any:
    return selectors.case_list(caller(request), campaign_id=campaign, state=state or "", q=q)


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="整顿对象详情")
def case_detail(request: HttpRequest, case_id: int) -> Any:
    return case_out(request, case_id)


@router.post("/cases", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="列入排查")
def case_open(request: HttpRequest, payload: CaseIn) -> Any:
    user = caller(request)
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), user, pk=payload.campaign_id)
    org = get_object_or_404(Organization.objects.all(), user, pk=payload.organization_id)
    case = services.case_open(campaign=campaign, organization=org, actor=user, is_key=payload.is_key, note=payload.note)
    return Status(201, case_out(request, case.pk))


@router.post("/cases/{case_id}/transitions", response={200: CaseDetailOut, **WRITE_ERRORS}, summary="状态变更")
def case_transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> Any:
    supplied = payload.dict(include={"filed_on", "satisfaction", "is_key"}, exclude_none=True)
    services.case_transition(
        case=case_out(request, case_id),
        action=payload.action,
        actor=caller(request),
        note=payload.note,
        expected_version=payload.version,
        **supplied,
    )
    return case_out(request, case_id)


@router.get("/cases/{case_id}/events", response=list[EventOut], summary="状态记录")
@paginate(Page)
def case_events(request: HttpRequest, case_id: int) -> Any:
    return selectors.case_events(caller(request), case_out(request, case_id))


@router.patch("/cases/{case_id}", response={200: CaseDetailOut, **WRITE_ERRORS}, summary="修改台账信息")
def case_update(request: HttpRequest, case_id: int, payload: CasePatch) -> Any:
    case = case_out(request, case_id)
    services.case_update(
        case=case,
        actor=caller(request),
        expected_version=payload.version,
        main_problems=case.main_problems if payload.main_problems is None else payload.main_problems,
        measures=case.measures if payload.measures is None else payload.measures,
        is_key=case.is_key if payload.is_key is None else payload.is_key,
    )
    return case_out(request, case_id)
