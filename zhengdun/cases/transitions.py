"""The case state machine, as data, on the one workflow mechanism (core.workflow).

Each rule says from which states it may be taken, which permission may take
it and what must be supplied. Rules that belong to other apps are guards those
apps register on this workflow (the plans app: "a county-approved plan"; the
support app: "a key case needs a contact leader"); they add checks behind
these steps, never paths around this table.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState as S
from zhengdun.core.errors import ServiceError
from zhengdun.core.workflow import Step, Transition, Workflow, different_actor

# A target of None sends the case back to the state it had before the current one
# (a refused removal returns the case to wherever it was).
PREVIOUS = None

LISTED = (S.IDENTIFIED, S.PLAN_APPROVED, S.RECTIFYING, S.RE_RECTIFYING)

ERR_FILED_ON = "请填写有效的备案日期"
ERR_SATISFACTION = "请填写群众满意度（0—100 之间的百分数）"
ERR_APPROVE_OWN_REMOVAL = "不相容职责分离：申请移出名单的人不能同意本人的申请，请由其他人员审批"
ERR_SATISFACTION_LOW = "群众满意度 {rate}% 低于本次整顿工作的合格线 {threshold}%，不能验收销号，应重新整顿"

TRANSITIONS: tuple[Transition, ...] = (
    Transition("propose", "提出拟定", (S.SCREENED,), S.PROPOSED, "cases.propose_case"),
    Transition("identify", "认定备案", (S.PROPOSED,), S.IDENTIFIED, "cases.identify_case", requires=("filed_on",)),
    Transition("return", "退回", (S.PROPOSED,), S.SCREENED, "cases.identify_case", note_required=True),
    # The plan's county approval takes this step itself (plans); the plans app
    # guards it so that it is never taken without a plan the county approved.
    Transition("approve_plan", "批准整顿方案", (S.IDENTIFIED,), S.PLAN_APPROVED, "cases.approve_plan"),
    Transition("start", "开始整顿", (S.PLAN_APPROVED,), S.RECTIFYING, "cases.manage_rectification"),
    Transition(
        "request_acceptance",
        "申请验收",
        (S.RECTIFYING, S.RE_RECTIFYING),
        S.ACCEPTANCE_REQUESTED,
        "cases.request_acceptance",
        note_required=True,
    ),
    Transition(
        "pass",
        "验收通过并销号",
        (S.ACCEPTANCE_REQUESTED,),
        S.DELISTED,
        "cases.decide_acceptance",
        note_required=True,
        requires=("satisfaction",),
    ),
    Transition(
        "fail", "验收未通过，重新整顿", (S.ACCEPTANCE_REQUESTED,), S.RE_RECTIFYING, "cases.decide_acceptance", note_required=True
    ),
    Transition("consolidate", "转入巩固提升", (S.DELISTED,), S.CONSOLIDATING, "cases.manage_rectification"),
    Transition("relist", "重新列入整顿", (S.DELISTED, S.CONSOLIDATING), S.RELISTED, "cases.relist_case", note_required=True),
    Transition("restart", "重新开始整顿", (S.RELISTED,), S.RECTIFYING, "cases.manage_rectification"),
    Transition("request_removal", "申请移出名单", LISTED, S.REMOVAL_REQUESTED, "cases.propose_case", note_required=True),
    Transition("approve_removal", "同意移出", (S.REMOVAL_REQUESTED,), S.REMOVED, "cases.identify_case", note_required=True),
    Transition("reject_removal", "不同意移出", (S.REMOVAL_REQUESTED,), PREVIOUS, "cases.identify_case", note_required=True),
)

CASE_WORKFLOW: Workflow[Case] = Workflow(model=Case, event_model=CaseEvent, event_field="case", transitions=TRANSITIONS, states=S)

BY_ACTION: dict[str, Transition] = CASE_WORKFLOW.by_action

# Separation of duties: whoever asked for the removal does not approve it.
CASE_WORKFLOW.guard("approve_removal")(
    different_actor(CASE_WORKFLOW, message=ERR_APPROVE_OWN_REMOVAL, after=("request_removal",))
)


def parse_satisfaction(value: Any) -> Decimal:
    """A satisfaction rate typed as a percentage ("85", "85%", "85.5") as a fraction."""
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


@CASE_WORKFLOW.preparer("identify")
def _filed_and_key(step: Step[Case]) -> None:
    step.updates["filed_on"] = _parse_date(step.supplied.get("filed_on") or timezone.localdate())
    if step.supplied.get("is_key") is not None:
        step.updates["is_key"] = bool(step.supplied["is_key"])


@CASE_WORKFLOW.preparer()
def _satisfaction(step: Step[Case]) -> None:
    value = step.supplied.get("satisfaction")
    if "satisfaction" in step.rule.requires:
        if value in (None, ""):
            raise ServiceError(ERR_SATISFACTION)
        rate = parse_satisfaction(value)
        threshold = step.obj.campaign.satisfaction_threshold
        if rate < threshold:
            raise ServiceError(ERR_SATISFACTION_LOW.format(rate=f"{rate * 100:.1f}", threshold=f"{threshold * 100:.0f}"))
        step.updates["last_satisfaction"] = rate
    elif value not in (None, ""):
        step.updates["last_satisfaction"] = parse_satisfaction(value)


@CASE_WORKFLOW.preparer("pass")
def _delisted_on(step: Step[Case]) -> None:
    step.updates["delisted_on"] = timezone.localdate()
