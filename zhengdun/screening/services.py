"""Writes of the screening (排查): rounds, records with their findings, proposals.

A record is what a township found about one organization; proposing a weak one
hands it to the case state machine (cases.services), which stays the only
writer of a case's state.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record as audit_record
from zhengdun.audit.services import snapshot
from zhengdun.campaigns.models import Campaign, CampaignStatus, Criterion
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_link_screening, case_open, case_transition
from zhengdun.cases.states import CaseState
from zhengdun.core.actors import Actor
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations.models import Organization
from zhengdun.screening.models import Conclusion, Finding, Method, RoundStatus, ScreeningRecord, ScreeningRound
from zhengdun.screening.signs import GRASSROOTS_LEVELS, grassroots
from zhengdun.screening.transitions import ERR_PENDING_RECORDS, ERR_UNSCREENED, ROUND_WORKFLOW

__all__ = ["ERR_PENDING_RECORDS", "ERR_UNSCREENED"]

ERR_NO_ROUND_PERMISSION = "您没有发起或结束排查的权限"
ERR_NO_RECORD_PERMISSION = "您没有登记排查记录或提出拟定的权限"
ERR_CAMPAIGN_CLOSED = "该整顿工作已结束，不能再发起排查"
ERR_CAMPAIGN_DRAFT = "该整顿工作尚未启动（草稿），不能发起排查"
ERR_OUTSIDE_CAMPAIGN = "排查范围不在本次整顿工作的范围内"
ERR_NOTHING_TO_SCREEN = "该范围内没有村（社区）等基层党组织，无需排查"
ERR_ROUND_ALREADY_OPEN = "“{jurisdiction}”在本次整顿工作中已有进行中的排查，请在该排查中继续登记"
ERR_ROUND_CLOSED = "本轮排查已结束，不能再登记或修改排查记录"
ERR_ROUND_ALREADY_CLOSED = "本轮排查已经结束"
ERR_ORG_NOT_GRASSROOTS = "只能对村（社区）等基层党组织登记排查记录"
ERR_ORG_OUTSIDE_ROUND = "该组织不在本轮排查范围内"
ERR_METHOD = "请选择排查方式（组织自查、党员群众评查、信访核查或实地调查）"
ERR_CONCLUSION = "请选择研判结论"
ERR_DATE_FUTURE = "排查日期不能晚于今天"
ERR_CRITERION_FOREIGN = "所选认定标准不属于本次整顿工作"
ERR_EVIDENCE_REQUIRED = "请填写认定标准 {code} 的事实依据"
ERR_WEAK_NEEDS_FINDING = "研判为“软弱涣散”的，请至少勾选一项认定标准并填写事实依据"
ERR_RECORD_STALE = "该排查记录已被他人修改，您的内容未保存，请刷新后在最新记录上修改"
ERR_RECORD_EXISTS = "该组织已有排查记录（可能刚被他人登记），您的内容未保存，请刷新后在最新记录上修改"
ERR_RECORD_LOCKED = "该组织已据此记录提出拟定（当前状态：{state}），排查记录不能再修改"
ERR_PROPOSE_NOT_WEAK = "只有研判结论为“软弱涣散”的组织才能提出拟定"
ERR_ALREADY_PROPOSED = "该组织在本次整顿工作中已被拟定或认定（当前状态：{state}），不能重复提出"

# How much of a criterion's wording goes into the case's "主要问题" line.
ITEM_CHARS = 16


def _require(actor: Actor, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise NotPermitted(message)


def round_open(*, campaign: Campaign, jurisdiction: Organization, actor: Actor, note: str = "") -> ScreeningRound:
    """Start screening the grassroots organizations under `jurisdiction` for `campaign`."""
    ensure_org_in_scope(actor, jurisdiction)
    _require(actor, "cases.add_case", ERR_NO_ROUND_PERMISSION)
    if campaign.status == CampaignStatus.DRAFT:
        raise ServiceError(ERR_CAMPAIGN_DRAFT)
    if campaign.status != CampaignStatus.ACTIVE:
        raise ServiceError(ERR_CAMPAIGN_CLOSED)
    if not jurisdiction.path.startswith(campaign.scope.path):
        raise ServiceError(ERR_OUTSIDE_CAMPAIGN)
    if not grassroots(jurisdiction).exists():
        raise ServiceError(ERR_NOTHING_TO_SCREEN)
    already = ServiceError(ERR_ROUND_ALREADY_OPEN.format(jurisdiction=jurisdiction.name))
    if ScreeningRound.objects.filter(campaign=campaign, jurisdiction=jurisdiction, status=RoundStatus.OPEN).exists():
        raise already
    with transaction.atomic():
        try:
            # The partial unique constraint settles two simultaneous openings.
            with transaction.atomic():
                rnd = ScreeningRound.objects.create(
                    campaign=campaign, jurisdiction=jurisdiction, opened_by_id=actor.pk, note=note.strip()
                )
        except IntegrityError:
            raise already from None
        ROUND_WORKFLOW.record_creation(rnd, actor=actor, note="发起排查", action="open")
        audit_record(Action.CREATE, rnd, actor=actor, after=snapshot(rnd), note="发起排查")
    return rnd


def round_close(
    *, round: ScreeningRound, actor: Actor, confirm: bool = False, note: str = "", expected_version: int | None = None
) -> ScreeningRound:
    """End a round (screening/transitions.py): refused while any record still waits
    for a conclusion; with organizations still unscreened, only when `confirm`."""
    ensure_org_in_scope(actor, round.jurisdiction)
    _require(actor, "cases.add_case", ERR_NO_ROUND_PERMISSION)
    if ScreeningRound.objects.filter(pk=round.pk).values_list("status", flat=True).first() != RoundStatus.OPEN:
        raise ServiceError(ERR_ROUND_ALREADY_CLOSED)
    return ROUND_WORKFLOW.run(
        round,
        action="close",
        actor=actor,
        scope_path=round.jurisdiction.path,
        note=note,
        expected_version=expected_version,
        supplied={"confirm": confirm},
        updates={"closed_by": actor, "closed_at": timezone.now()},
    )


def _check_record_input(
    rnd: ScreeningRound,
    organization: Organization,
    method: str,
    conclusion: str,
    findings: dict[int, str],
    screened_on: datetime.date,
) -> list[tuple[Criterion, str]]:
    """Refuse bad input before anything is written; return the findings in catalog order."""
    if organization.level not in GRASSROOTS_LEVELS:
        raise ServiceError(ERR_ORG_NOT_GRASSROOTS)
    if not organization.path.startswith(rnd.jurisdiction.path):
        raise ServiceError(ERR_ORG_OUTSIDE_ROUND)
    if method not in Method.values:
        raise ServiceError(ERR_METHOD)
    if conclusion not in Conclusion.values:
        raise ServiceError(ERR_CONCLUSION)
    if screened_on > timezone.localdate():
        raise ServiceError(ERR_DATE_FUTURE)
    try:
        ids = {int(key) for key in findings}
    except (TypeError, ValueError):
        raise ServiceError(ERR_CRITERION_FOREIGN) from None
    criteria = list(Criterion.objects.filter(campaign_id=rnd.campaign_id, pk__in=ids).order_by("order", "id"))
    if len(criteria) != len(ids):
        raise ServiceError(ERR_CRITERION_FOREIGN)
    evidence = {int(key): (text or "").strip() for key, text in findings.items()}
    missing = [c.code for c in criteria if not evidence[c.pk]]
    if missing:
        raise ServiceError(ERR_EVIDENCE_REQUIRED.format(code="、".join(missing)), errors=missing)
    if conclusion == Conclusion.WEAK and not criteria:
        raise ServiceError(ERR_WEAK_NEEDS_FINDING)
    return [(c, evidence[c.pk]) for c in criteria]


def _full_snapshot(rec: ScreeningRecord) -> dict[str, Any]:
    data = snapshot(rec)
    data["findings"] = {
        f.criterion.code: f.evidence for f in rec.findings.select_related("criterion").order_by("criterion__order")
    }
    return data


def _replace_findings(rec: ScreeningRecord, wanted: list[tuple[Criterion, str]]) -> None:
    existing = {f.criterion_id: f for f in rec.findings.all()}
    keep = {c.pk for c, _ in wanted}
    Finding.objects.filter(record=rec).exclude(criterion_id__in=keep).delete()
    changed = []
    for criterion, evidence in wanted:
        finding = existing.get(criterion.pk)
        if finding is not None and finding.evidence != evidence:
            finding.evidence = evidence
            changed.append(finding)
    Finding.objects.bulk_update(changed, ["evidence"])
    Finding.objects.bulk_create(Finding(record=rec, criterion=c, evidence=e) for c, e in wanted if c.pk not in existing)


def _proposed_case_state(rec: ScreeningRecord) -> str | None:
    """The state of a case proposed from this record and not returned, if any."""
    case = Case.objects.filter(screening_record=rec).exclude(state=CaseState.SCREENED).first()
    return case.get_state_display() if case else None


def record_save(
    *,
    round: ScreeningRound,
    organization: Organization,
    method: str,
    conclusion: str,
    findings: dict[int, str],
    screened_on: datetime.date,
    actor: Actor,
    note: str = "",
    expected_version: int | None = None,
) -> ScreeningRecord:
    """Create or update the record of one organization in a round.

    `expected_version` is the version the actor edited (None or 0 for a new
    record); a record someone else saved meanwhile is never overwritten.
    """
    ensure_org_in_scope(actor, round.jurisdiction)
    ensure_org_in_scope(actor, organization)
    _require(actor, "cases.propose_case", ERR_NO_RECORD_PERMISSION)
    wanted = _check_record_input(round, organization, method, conclusion, findings, screened_on)
    fields = {"method": method, "conclusion": conclusion, "note": note.strip(), "screened_on": screened_on}
    with transaction.atomic():
        # Locking the round orders saves against round_close on PostgreSQL.
        if ScreeningRound.objects.select_for_update().get(pk=round.pk).status != RoundStatus.OPEN:
            raise ServiceError(ERR_ROUND_CLOSED)
        rec = ScreeningRecord.objects.filter(round=round, organization=organization).first()
        if rec is None:
            if expected_version:
                raise ConflictError(ERR_RECORD_STALE)
            try:
                with transaction.atomic():
                    rec = ScreeningRecord.objects.create(
                        round=round, organization=organization, screened_by_id=actor.pk, **fields
                    )
            except IntegrityError:
                raise ConflictError(ERR_RECORD_EXISTS) from None
            _replace_findings(rec, wanted)
            audit_record(Action.CREATE, rec, actor=actor, after=_full_snapshot(rec), note="登记排查记录")
            return rec
        if expected_version is None:
            raise ConflictError(ERR_RECORD_EXISTS)
        locked = _proposed_case_state(rec)
        if locked:
            raise ServiceError(ERR_RECORD_LOCKED.format(state=locked))
        before = _full_snapshot(rec)
        # The version in the WHERE clause is the guard: only the writer who saw
        # the current version matches, on every database.
        changed = ScreeningRecord.objects.filter(pk=rec.pk, version=expected_version).update(
            **fields, screened_by=actor, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            raise ConflictError(ERR_RECORD_STALE)
        rec.refresh_from_db()
        _replace_findings(rec, wanted)
        after = _full_snapshot(rec)
        old = {k: v for k, v in before.items() if after.get(k) != v}
        new = {k: v for k, v in after.items() if before.get(k) != v}
        audit_record(Action.UPDATE, rec, actor=actor, before=old, after=new, note="修改排查记录")
    return rec


def _short(item: str) -> str:
    return item if len(item) <= ITEM_CHARS else item[:ITEM_CHARS] + "…"


def main_problems_from(rec: ScreeningRecord) -> str:
    """One ledger line per finding: "1.2 党组织书记长期缺职或不胜任现职…：<evidence>"."""
    findings = rec.findings.select_related("criterion").order_by("criterion__order", "criterion_id")
    return "\n".join(f"{f.criterion.code} {_short(f.criterion.item)}：{f.evidence}" for f in findings)


def record_propose(*, record: ScreeningRecord, actor: Actor) -> Case:
    """Propose a weak organization for the list (拟定): its case goes to "proposed".

    The case is created if the organization has none in the campaign; a case
    the county returned (back in "screened") may be proposed again. Any other
    state means it is already proposed or listed: refused, nothing duplicated.
    """
    ensure_org_in_scope(actor, record.organization)
    _require(actor, "cases.propose_case", ERR_NO_RECORD_PERMISSION)
    with transaction.atomic():
        # of=("self",): lock the record and the case only, not the joined campaign and organization rows.
        rec = (
            ScreeningRecord.objects.select_for_update(of=("self",))
            .select_related("round__campaign__scope", "organization")
            .get(pk=record.pk)
        )
        if rec.conclusion != Conclusion.WEAK:
            raise ServiceError(ERR_PROPOSE_NOT_WEAK)
        campaign = rec.round.campaign
        case = (
            Case.objects.select_for_update(of=("self",))
            .filter(campaign=campaign, organization=rec.organization)
            .order_by()
            .first()
        )
        if case is not None and case.state != CaseState.SCREENED:
            raise ServiceError(ERR_ALREADY_PROPOSED.format(state=case.get_state_display()))
        if case is None:
            case = case_open(campaign=campaign, organization=rec.organization, actor=actor, note="由排查提出")
        case = case_link_screening(case=case, record=rec, main_problems=main_problems_from(rec), actor=actor)
        case = case_transition(case=case, action="propose", actor=actor, note=f"排查研判为软弱涣散（{rec.get_method_display()}）")
    return case
