"""The extension request's state machine, as data, on core.workflow.

Only the level above the organization that asked decides, never the requester
itself; an approval moves the task's deadline in the same transaction.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone

from zhengdun.audit.services import record_change, snapshot
from zhengdun.core.errors import NotPermitted
from zhengdun.core.workflow import Step, Transition, Workflow, different_actor
from zhengdun.plans.models import Task
from zhengdun.rectification.models import ExtensionEvent, ExtensionRequest, ExtensionStatus
from zhengdun.rectification.rules import is_above, requester_path

E = ExtensionStatus

ERR_DECIDE_OWN = "不能审批本人提出的延期申请"
ERR_DECIDE_LEVEL = "延期申请须由申请单位的上一级审批"

EXTENSION_TRANSITIONS: tuple[Transition, ...] = (
    Transition("approve", "同意延期", (E.PENDING,), E.APPROVED, "rectification.decide_extension"),
    Transition("refuse", "不同意延期", (E.PENDING,), E.REFUSED, "rectification.decide_extension", note_required=True),
)

EXTENSION_WORKFLOW: Workflow[ExtensionRequest] = Workflow(
    model=ExtensionRequest,
    event_model=ExtensionEvent,
    event_field="extension",
    transitions=EXTENSION_TRANSITIONS,
    states=E,
    state_field="status",
)


# Separation of duties: whoever asked for the extension does not decide it.
EXTENSION_WORKFLOW.guard()(different_actor(EXTENSION_WORKFLOW, message=ERR_DECIDE_OWN, field="requested_by"))


@EXTENSION_WORKFLOW.guard()
def from_above(step: Step[ExtensionRequest]) -> None:
    if not is_above(step.actor, requester_path(step.obj)):
        raise NotPermitted(ERR_DECIDE_LEVEL)


@EXTENSION_WORKFLOW.effect("approve")
def _move_deadline(step: Step[ExtensionRequest], event: models.Model) -> None:
    extension = step.obj
    task = Task.objects.select_for_update(of=("self",)).get(pk=extension.task_id)
    before = snapshot(task)
    Task.objects.filter(pk=task.pk).update(deadline=extension.new_deadline, version=F("version") + 1, updated_at=timezone.now())
    task.refresh_from_db()
    record_change(task, before, actor=step.actor, note=f"同意延期至 {extension.new_deadline.isoformat()}")
