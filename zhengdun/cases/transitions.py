"""The case state machine, as data. Nothing else changes Case.state.

Each rule says from which states it may be taken, which permission may take
it and what must be supplied. Later stages (plans, acceptance with the survey,
delisting) deepen the checks behind these steps; they do not add paths around
this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zhengdun.cases.states import CaseState as S

# A target of None sends the case back to the state it had before the current one
# (a refused removal returns the case to wherever it was).
PREVIOUS = None

LISTED = (S.IDENTIFIED, S.PLAN_APPROVED, S.RECTIFYING, S.RE_RECTIFYING)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[S, ...]
    target: S | None
    permission: str
    note_required: bool = False
    # What the step must be given or find, e.g. "satisfaction" for acceptance,
    # "approved_plan" for a plan the county has approved.
    requires: tuple[str, ...] = field(default_factory=tuple)

    @property
    def target_label(self) -> str:
        return self.target.label if self.target is not None else "原状态"


TRANSITIONS: tuple[Transition, ...] = (
    Transition("propose", "提出拟定", (S.SCREENED,), S.PROPOSED, "cases.propose_case"),
    Transition("identify", "认定备案", (S.PROPOSED,), S.IDENTIFIED, "cases.identify_case", requires=("filed_on",)),
    Transition("return", "退回", (S.PROPOSED,), S.SCREENED, "cases.identify_case", note_required=True),
    # The plan's county approval takes this step itself (plans.services.plan_review);
    # offered elsewhere, it still needs a plan the county has approved.
    Transition(
        "approve_plan",
        "批准整顿方案",
        (S.IDENTIFIED,),
        S.PLAN_APPROVED,
        "cases.approve_plan",
        requires=("approved_plan",),
    ),
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

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def available_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if state in t.sources]
