"""Rules of the rectification app that guard steps of the task's table (plans/transitions.py)."""

from __future__ import annotations

from django.urls import reverse

from zhengdun.core.errors import ServiceError
from zhengdun.core.workflow import Step
from zhengdun.plans.models import Task
from zhengdun.plans.transitions import TASK_WORKFLOW
from zhengdun.rectification.models import Evidence
from zhengdun.rectification.rules import ERR_DONE_NEEDS_EVIDENCE, ensure_may_change_done


@TASK_WORKFLOW.guard("complete")
def done_needs_evidence(step: Step[Task]) -> None:
    if not Evidence.objects.filter(task_id=step.obj.pk).exists():
        raise ServiceError(
            ERR_DONE_NEEDS_EVIDENCE,
            remedy_url=reverse("rectification:task_detail", args=[step.obj.pk]) + "#evidence",
            remedy_label="上传佐证材料",
        )


@TASK_WORKFLOW.guard("reopen", "reset")
def done_reopened_by_the_level_above(step: Step[Task]) -> None:
    ensure_may_change_done(step.actor, step.obj)
