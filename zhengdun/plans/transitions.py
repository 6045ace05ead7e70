"""The plan's and the task's state machines, as data, on core.workflow.

A plan goes draft → submitted → township reviewed → approved; either review
may return it; editing an approved plan reopens it as a draft while its
approved version stays in force. A task (a measure of the plan) goes from not
started to done; "done needs evidence" and "only the level above reopens a
done task" are guards the rectification app registers on these steps.
"""

from __future__ import annotations

from django.db import models

from zhengdun.cases.services import case_transition
from zhengdun.cases.states import CaseState
from zhengdun.core.workflow import Step, Transition, Workflow
from zhengdun.plans.models import Plan, PlanEvent, PlanStatus, ReviewDecision, ReviewLevel, Task, TaskEvent, TaskStatus

P = PlanStatus
T = TaskStatus

PLAN_TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", "提交审核", (P.DRAFT, P.RETURNED), P.SUBMITTED, "plans.change_plan"),
    Transition("township_pass", "乡镇（街道）审核通过", (P.SUBMITTED,), P.TOWNSHIP_REVIEWED, "plans.review_plan"),
    Transition(
        "township_return", "乡镇（街道）审核退回修改", (P.SUBMITTED,), P.RETURNED, "plans.review_plan", note_required=True
    ),
    Transition("county_pass", "县级审批通过", (P.TOWNSHIP_REVIEWED,), P.APPROVED, "cases.approve_plan"),
    Transition("county_return", "县级审批退回修改", (P.TOWNSHIP_REVIEWED,), P.RETURNED, "cases.approve_plan", note_required=True),
    # Saving a change to an approved plan takes this step (plan_update), never a button of its own.
    Transition("reopen", "修改已批准的方案", (P.APPROVED,), P.DRAFT, "plans.change_plan"),
)

PLAN_WORKFLOW: Workflow[Plan] = Workflow(
    model=Plan, event_model=PlanEvent, event_field="plan", transitions=PLAN_TRANSITIONS, states=P, state_field="status"
)

# The review page's decisions per level, as actions of the table.
REVIEW_ACTIONS: dict[tuple[str, str], str] = {
    (level, decision): f"{level}_{decision}" for level in ReviewLevel.values for decision in ReviewDecision.values
}
# Actions the plan page links to the review page instead of running at once.
REVIEW_PAGE_OF: dict[str, str] = {action: level for (level, _), action in REVIEW_ACTIONS.items()}


@PLAN_WORKFLOW.effect("county_pass")
def _case_plan_approved(step: Step[Plan], event: models.Model) -> None:
    """The county's approval moves an identified case to "plan approved", in the same transaction,
    through the case's own table; a case already past that step stays where it is."""
    case = step.obj.case
    if case.state != CaseState.IDENTIFIED:
        return
    number = step.obj.approved_version.number if step.obj.approved_version else ""
    case_transition(case=case, action="approve_plan", actor=step.actor, note=f"整顿方案第 {number} 版经县级审批通过")


TASK_TRANSITIONS: tuple[Transition, ...] = (
    Transition("start", "开始推进", (T.NOT_STARTED,), T.IN_PROGRESS, "plans.change_task"),
    Transition("complete", "标记完成", (T.NOT_STARTED, T.IN_PROGRESS), T.DONE, "plans.change_task"),
    Transition("reopen", "重新打开", (T.DONE,), T.IN_PROGRESS, "plans.change_task"),
    Transition("reset", "改为未开始", (T.IN_PROGRESS, T.DONE), T.NOT_STARTED, "plans.change_task"),
)

TASK_WORKFLOW: Workflow[Task] = Workflow(
    model=Task, event_model=TaskEvent, event_field="task", transitions=TASK_TRANSITIONS, states=T, state_field="status"
)


def task_action(source: str, target: str) -> str | None:
    """The action of the task table that leads from `source` to `target`, if any."""
    return next((t.action for t in TASK_TRANSITIONS if source in t.sources and t.target == target), None)
