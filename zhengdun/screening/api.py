"""Screening (排查): rounds per campaign and jurisdiction, records, proposals."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.core.api import WRITE_ERRORS, BlockedOfferOut, OfferOut, Page, Ref, caller, offer_out
from zhengdun.core.scoping import get_object_or_404, scope_for
from zhengdun.organizations.models import Organization
from zhengdun.screening import selectors, services
from zhengdun.screening.models import ScreeningRecord, ScreeningRound
from zhengdun.screening.selectors import Row
from zhengdun.screening.transitions import ROUND_WORKFLOW

router = Router(tags=["排查"])


class RoundOut(Schema):
    id: int
    campaign: Ref
    jurisdiction: Ref
    status: str
    status_label: str
    version: int
    note: str
    opened_by: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(obj: ScreeningRound) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_opened_by(obj: ScreeningRound) -> str:
        return str(obj.opened_by) if obj.opened_by else ""


class RoundListOut(RoundOut):
    org_count: int = Field(description="范围内基层党组织数")
    screened: int
    weak: int
    pending: int


class SignOut(Schema):
    code: str
    label: str
    detail: str


class RowRecordOut(Schema):
    id: int
    method: str
    method_label: str
    conclusion: str
    conclusion_label: str
    findings_count: int
    screened_on: datetime.date
    version: int


class RowCaseOut(Schema):
    id: int
    state: str
    state_label: str


class RowOut(Schema):
    organization: Ref
    parent_name: str
    signs: list[SignOut] = Field(description="预警信号：仅作排查线索，不作为认定依据")
    record: RowRecordOut | None
    case: RowCaseOut | None
    can_propose: bool


class RoundDetailOut(RoundOut):
    counts: dict[str, int]
    rows: list[RowOut]
    transitions: list[OfferOut] = Field(description="调用者现在可执行的状态变更")
    blocked_transitions: list[BlockedOfferOut] = Field(description="有权限但暂不能执行的状态变更及原因")

    @staticmethod
    def resolve_transitions(obj: ScreeningRound, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in _offers(obj, context["request"].auth) if o.allowed]

    @staticmethod
    def resolve_blocked_transitions(obj: ScreeningRound, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in _offers(obj, context["request"].auth) if not o.allowed]


def _offers(rnd: ScreeningRound, user: Any) -> list[Any]:
    return ROUND_WORKFLOW.offers(rnd, user) if scope_for(user).covers_path(rnd.jurisdiction.path) else []


class RoundCloseIn(Schema):
    confirm: bool = Field(False, description="范围内还有未登记排查记录的组织时须为 true；否则返回 400 并说明有几个")
    note: str = ""
    version: int | None = Field(None, description="调用者看到的版本号；他人已先处理时返回 409")


class RoundIn(Schema):
    campaign_id: int
    jurisdiction_id: int
    note: str = ""


class FindingIn(Schema):
    criterion_id: int
    evidence: str


class RecordIn(Schema):
    method: str = Field(description="self_check / member_review / petition_check / field_check")
    conclusion: str = Field("pending", description="pending / weak / not_weak")
    screened_on: datetime.date
    note: str = ""
    findings: list[FindingIn] = []
    version: int | None = Field(None, description="修改时为调用者看到的版本号；新登记时留空。他人已先修改时返回 409")


class FindingOut(Schema):
    criterion_id: int
    code: str
    item: str
    evidence: str


class RecordOut(Schema):
    id: int
    round_id: int
    organization: Ref
    method: str
    method_label: str
    conclusion: str
    conclusion_label: str
    note: str
    screened_on: datetime.date
    screened_by: str
    version: int
    findings: list[FindingOut]


class ProposeOut(Schema):
    record_id: int
    case: RowCaseOut


def _round(request: HttpRequest, round_id: int) -> ScreeningRound:
    return selectors.round_get(caller(request), round_id)


def _row(row: Row) -> dict[str, Any]:
    rec, org = row.record, row.organization
    return {
        "organization": org,
        "parent_name": org.parent.name if org.parent else "",
        "signs": [s.__dict__ for s in row.signs],
        "record": None
        if rec is None
        else {
            "id": rec.pk,
            "method": rec.method,
            "method_label": rec.get_method_display(),
            "conclusion": rec.conclusion,
            "conclusion_label": rec.get_conclusion_display(),
            "findings_count": rec.findings_count,  # type: ignore[attr-defined]
            "screened_on": rec.screened_on,
            "version": rec.version,
        },
        "case": None
        if row.case_id is None
        else {"id": row.case_id, "state": row.case_state, "state_label": row.case_state_label},
        "can_propose": row.can_propose,
    }


def _detail(request: HttpRequest, rnd: ScreeningRound) -> ScreeningRound:
    """The round with its table attached, for RoundDetailOut to read."""
    table = selectors.round_table(caller(request), rnd)
    rnd.counts = table.counts  # type: ignore[attr-defined]
    rnd.rows = [_row(r) for r in table.rows]  # type: ignore[attr-defined]
    return rnd


def _record_out(rec: ScreeningRecord) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "round_id": rec.round_id,
        "organization": rec.organization,
        "method": rec.method,
        "method_label": rec.get_method_display(),
        "conclusion": rec.conclusion,
        "conclusion_label": rec.get_conclusion_display(),
        "note": rec.note,
        "screened_on": rec.screened_on,
        "screened_by": str(rec.screened_by) if rec.screened_by else "",
        "version": rec.version,
        "findings": [
            {"criterion_id": f.criterion_id, "code": f.criterion.code, "item": f.criterion.item, "evidence": f.evidence}
            for f in rec.findings.select_related("criterion").order_by("criterion__order")
        ],
    }


@router.get("/screening/rounds", response=list[RoundListOut], summary="排查列表")
@paginate(Page)
def round_list(request: HttpRequest) -> Any:
    return selectors.round_list(caller(request))


@router.post("/screening/rounds", response={201: RoundDetailOut, **WRITE_ERRORS}, summary="发起排查")
def round_open(request: HttpRequest, payload: RoundIn) -> Any:
    user = caller(request)
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), user, pk=payload.campaign_id)
    jurisdiction = get_object_or_404(Organization.objects.all(), user, pk=payload.jurisdiction_id)
    rnd = services.round_open(campaign=campaign, jurisdiction=jurisdiction, actor=user, note=payload.note)
    return Status(201, _detail(request, _round(request, rnd.pk)))


@router.get("/screening/rounds/{round_id}", response=RoundDetailOut, summary="排查详情（含各组织预警信号、排查记录和状态）")
def round_detail(request: HttpRequest, round_id: int) -> Any:
    return _detail(request, _round(request, round_id))


@router.post("/screening/rounds/{round_id}/close", response={200: RoundDetailOut, **WRITE_ERRORS}, summary="结束排查")
def round_close(request: HttpRequest, round_id: int, payload: RoundCloseIn) -> Any:
    rnd = _round(request, round_id)
    services.round_close(
        round=rnd, actor=caller(request), confirm=payload.confirm, note=payload.note, expected_version=payload.version
    )
    return _detail(request, _round(request, round_id))


@router.put(
    "/screening/rounds/{round_id}/records/{org_id}", response={200: RecordOut, **WRITE_ERRORS}, summary="登记或修改排查记录"
)
def record_save(request: HttpRequest, round_id: int, org_id: int, payload: RecordIn) -> Any:
    user = caller(request)
    rnd = _round(request, round_id)
    org = selectors.round_org_get(user, rnd, org_id)
    rec = services.record_save(
        round=rnd,
        organization=org,
        method=payload.method,
        conclusion=payload.conclusion,
        note=payload.note,
        findings={f.criterion_id: f.evidence for f in payload.findings},
        screened_on=payload.screened_on,
        actor=user,
        expected_version=payload.version,
    )
    return _record_out(selectors.record_get(user, rec.pk))


@router.post("/screening/records/{record_id}/propose", response={200: ProposeOut, **WRITE_ERRORS}, summary="提出拟定")
def record_propose(request: HttpRequest, record_id: int) -> Any:
    rec = selectors.record_get(caller(request), record_id)
    case: Case = services.record_propose(record=rec, actor=caller(request))
    return {"record_id": rec.pk, "case": {"id": case.pk, "state": case.state, "state_label": case.get_state_display()}}
