from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, record_change, snapshot
from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.cases.transitions import BY_ACTION, Transition
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations.assignment_checks import has_active_contact_leader
from zhengdun.organizations.models import Organization

ERR_ALREADY_OPEN = "该组织在本次整顿工作中已有记录，不能重复列入"
ERR_OUTSIDE_CAMPAIGN = "该组织不在本次整顿工作的范围内"
ERR_UNKNOWN_ACTION = "未知的操作"
ERR_ILLEGAL = "当前状态为“{state}”，不能执行“{action}”"
ERR_NO_PERMISSION = "您没有执行“{action}”的权限"
ERR_NOTE_REQUIRED = "请填写意见或说明"
ERR_STALE = "该记录已被他人处理（当前状态：{state}），您的操作未生效，请刷新后重试"
ERR_FILED_ON = "请填写有效的备案日期"
ERR_SATISFACTION = "请填写群众满意度（0—100 之间的百分数）"
ERR_SATISFACTION_LOW = "群众满意度 {rate}% 低于本次整顿工作的合格线 {threshold}%，不能验收销号，应重新整顿"
ERR_CAMPAIGN_CLOSED = "该整顿工作已结束，不能再列入组织"
ERR_KEY_NEEDS_LEADER = "重点整顿对象须先明确联系领导，请先在“帮扶力量”中安排联系领导"
ERR_DYNAMIC_STATE = "该组织在本次整顿工作中的状态为“{state}”，不能动态增补"
ERR_PLAN_NOT_APPROVED = "整顿方案尚未经县级审批通过，不能批准；请在“整顿方案”中完成审核"
DYNAMIC_NOTE = "动态增补"


@transaction.atomic
def case_open(*, campaign: Campaign, organization: Organization, actor: Any, is_key: bool = False, note: str = "") -> Case:
    """Put an organization on the campaign's screening list (排查)."""
    ensure_org_in_scope(actor, organization)
    if not actor.has_perm("cases.add_case"):
        raise NotPermitted("您没有列入整顿对象的权限")
    if campaign.status != "active":
        raise ServiceError(ERR_CAMPAIGN_CLOSED)
    if not organization.path.startswith(campaign.scope.path):
        raise ServiceError(ERR_OUTSIDE_CAMPAIGN)
    if Case.objects.filter(campaign=campaign, organization=organization).exists():
        raise ServiceError(ERR_ALREADY_OPEN)
    try:
        with transaction.atomic():
            case = Case.objects.create(campaign=campaign, organization=organization, is_key=is_key, created_by=actor)
    except IntegrityError:
        raise ServiceError(ERR_ALREADY_OPEN) from None
    CaseEvent.objects.create(case=case, from_state="", to_state=case.state, action="open", actor=actor, note=note)
    record(Action.CREATE, case, actor=actor, after=snapshot(case), note=note)
    return case


def _parse_satisfaction(value: Any) -> Decimal:
    try:
        rate = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise ServiceError(ERR_SATISFACTION) from None
    if not Decimal("0") <= rate <= Decimal("100"):
        raise ServiceError(ERR_SATISFACTION)
    return (rate / 100).quantize(Decimal("0.001"))


def _parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError(ERR_FILED_ON) from None


def _check_supplied(case: Case, rule: Transition, note: str, supplied: dict[str, Any]) -> dict[str, Any]:
    """Validate what the step needs; return the field updates and event data."""
    if rule.note_required and not note.strip():
        raise ServiceError(ERR_NOTE_REQUIRED)
    updates: dict[str, Any] = {}
    if "filed_on" in rule.requires:
        updates["filed_on"] = _parse_date(supplied.get("filed_on") or timezone.localdate())
    if "satisfaction" in rule.requires:
        if supplied.get("satisfaction") in (None, ""):
            raise ServiceError(ERR_SATISFACTION)
        rate = _parse_satisfaction(supplied["satisfaction"])
        threshold = case.campaign.satisfaction_threshold
        if rate < threshold:
            raise ServiceError(ERR_SATISFACTION_LOW.format(rate=f"{rate * 100:.1f}", threshold=f"{threshold * 100:.0f}"))
        updates["last_satisfaction"] = rate
    elif supplied.get("satisfaction") not in (None, ""):
        updates["last_satisfaction"] = _parse_satisfaction(supplied["satisfaction"])
    if rule.action == "identify" and supplied.get("is_key") is not None:
        updates["is_key"] = bool(supplied["is_key"])
    if rule.action == "identify" and updates.get("is_key", case.is_key) and case.campaign.key_requires_contact_leader:
        if not has_active_contact_leader(case.organization_id):
            raise ServiceError(ERR_KEY_NEEDS_LEADER)
    if "approved_plan" in rule.requires and not has_approved_plan(case):
        raise ServiceError(ERR_PLAN_NOT_APPROVED)
    if rule.target == CaseState.DELISTED:
        updates["delisted_on"] = timezone.localdate()
    return updates


def has_approved_plan(case: Case) -> bool:
    """Whether the county has approved a version of the case's plan."""
    # Imported here: the plans app builds on the cases app, not the other way round.
    from zhengdun.plans.models import Plan

    return Plan.objects.filter(case_id=case.pk, approved_version__isnull=False).exists()


def _previous_state(case: Case) -> str:
    """The state the case had before it entered its current one."""
    last = CaseEvent.objects.filter(case=case, to_state=case.state).order_by("-at", "-id").first()
    if last is None or not last.from_state:
        raise ServiceError(ERR_ILLEGAL.format(state=case.get_state_display(), action="退回原状态"))
    return last.from_state


def case_transition(
    *,
    case: Case,
    action: str,
    actor: Any,
    note: str = "",
    expected_version: int | None = None,
    **supplied: Any,
) -> Case:
    """Move a case one step along the table. All or nothing.

    `expected_version` is the version the actor saw; when someone else moved
    the case since, the step is refused rather than applied on top.
    """
    rule = BY_ACTION.get(action)
    if rule is None:
        raise ServiceError(ERR_UNKNOWN_ACTION)
    ensure_org_in_scope(actor, case.organization)
    if not actor.has_perm(rule.permission):
        raise NotPermitted(ERR_NO_PERMISSION.format(action=rule.label))
    with transaction.atomic():
        current = Case.objects.select_for_update().select_related("campaign", "organization").get(pk=case.pk)
        seen = expected_version if expected_version is not None else case.version
        if current.version != seen:
            raise ConflictError(ERR_STALE.format(state=current.get_state_display()))
        if current.state not in rule.sources:
            raise ServiceError(ERR_ILLEGAL.format(state=current.get_state_display(), action=rule.label))
        updates = _check_supplied(current, rule, note, supplied)
        source = current.state
        target = rule.target if rule.target is not None else _previous_state(current)
        before = snapshot(current)
        # The version guard in the WHERE clause makes the step safe even where
        # SELECT ... FOR UPDATE is a no-op (SQLite): only one writer matches.
        changed = Case.objects.filter(pk=current.pk, version=current.version, state=source).update(
            state=target, version=F("version") + 1, updated_at=timezone.now(), **updates
        )
        if changed != 1:
            current.refresh_from_db()
            raise ConflictError(ERR_STALE.format(state=current.get_state_display()))
        current.refresh_from_db()
        data = {k: (str(v) if not isinstance(v, str) else v) for k, v in updates.items()}
        CaseEvent.objects.create(
            case=current, from_state=source, to_state=target, action=rule.action, actor=actor, note=note, data=data
        )
        record(
            Action.TRANSITION,
            current,
            actor=actor,
            before=before,
            after=snapshot(current),
            note=f"{rule.label}：{note}".rstrip("："),
        )
    case.refresh_from_db()
    return case


@transaction.atomic
def case_update(*, case: Case, actor: Any, expected_version: int, main_problems: str, measures: str, is_key: bool) -> Case:
    """Edit the ledger fields of a case; a stale form is refused."""
    ensure_org_in_scope(actor, case.organization)
    if not actor.has_perm("cases.propose_case"):
        raise NotPermitted("您没有修改整顿对象信息的权限")
    before = snapshot(case)
    changed = Case.objects.filter(pk=case.pk, version=expected_version).update(
        main_problems=main_problems, measures=measures, is_key=is_key, version=F("version") + 1, updated_at=timezone.now()
    )
    if changed != 1:
        case.refresh_from_db()
        raise ConflictError(ERR_STALE.format(state=case.get_state_display()))
    case.refresh_from_db()
    from zhengdun.audit.services import diff

    old, new = diff(before, snapshot(case))
    record(Action.UPDATE, case, actor=actor, before=old, after=new)
    return case


def case_add_dynamic(
    *,
    campaign: Campaign,
    organization: Organization,
    actor: Any,
    note: str,
    filed_on: Any = None,
    is_key: bool = False,
) -> Case:
    """Dynamic management (seed 003): an organization found weak at any time is
    listed at once, proposal and identification in one step by the county."""
    if not note.strip():
        raise ServiceError(ERR_NOTE_REQUIRED)
    if not actor.has_perm("cases.identify_case"):
        raise NotPermitted(ERR_NO_PERMISSION.format(action="动态增补认定"))
    with transaction.atomic():
        case = Case.objects.filter(campaign=campaign, organization=organization).first()
        if case is None:
            case = case_open(
                campaign=campaign, organization=organization, actor=actor, is_key=is_key, note=f"{DYNAMIC_NOTE}：{note}"
            )
        elif case.state != CaseState.SCREENED:
            raise ServiceError(ERR_DYNAMIC_STATE.format(state=case.get_state_display()))
        case = case_transition(case=case, action="propose", actor=actor, note=f"{DYNAMIC_NOTE}：{note}")
        return case_transition(
            case=case, action="identify", actor=actor, note=f"{DYNAMIC_NOTE}：{note}", filed_on=filed_on, is_key=is_key
        )


def case_link_screening(*, case: Case, record: Any, main_problems: str, actor: Any) -> Case:
    """Point a case at the screening record it is proposed from, and fill
    "主要问题" from the findings unless someone already wrote it."""
    ensure_org_in_scope(actor, case.organization)
    updates: dict[str, Any] = {"screening_record": record}
    if not case.main_problems.strip():
        updates["main_problems"] = main_problems
    with transaction.atomic():
        before = snapshot(case)
        changed = Case.objects.filter(pk=case.pk, version=case.version).update(
            **updates, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            case.refresh_from_db()
            raise ConflictError(ERR_STALE.format(state=case.get_state_display()))
        case.refresh_from_db()
        record_change(case, before, actor=actor, note="关联排查记录")
    return case
