"""Reading tasks, their progress reports, evidence and extension requests, always through the scoping chokepoint."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhengdun.core.actors import Actor
from zhengdun.core.scoping import get_object_or_404, restrict, subtree_q
from zhengdun.plans.models import Plan, Task, TaskEvent, TaskStatus
from zhengdun.plans.transitions import TASK_WORKFLOW
from zhengdun.rectification.models import Evidence, ExtensionEvent, ExtensionRequest, ExtensionStatus, ProgressReport
from zhengdun.rectification.transitions import EXTENSION_WORKFLOW

# A task page shows this many progress reports; the API pages through all of them.
RECENT_REPORTS = 20

TASK_RELATED = ("plan__case__organization", "plan__case__campaign")


def _annotated(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Evidence count and a pending-extension flag in the same query, not one query per row."""
    pending = ExtensionRequest.objects.filter(task=OuterRef("pk"), status=ExtensionStatus.PENDING)
    live = Count("evidence", filter=Q(evidence__deleted_at__isnull=True), distinct=True)
    return qs.annotate(evidence_count=live, has_pending_extension=Exists(pending))


def is_overdue(today: datetime.date) -> Q:
    """The one definition of "overdue": past its deadline and not done."""
    return Q(deadline__lt=today) & ~Q(status=TaskStatus.DONE)


def overdue_days(task: Task, today: datetime.date | None = None) -> int:
    """Days past the deadline of a task not done, else 0 (the same rule as `is_overdue`, for one row)."""
    today = today or timezone.localdate()
    late = task.status != TaskStatus.DONE and task.deadline < today
    return (today - task.deadline).days if late else 0


def mark_overdue(tasks: Iterable[Task], today: datetime.date | None = None) -> list[Task]:
    """Set `overdue_days` on each task."""
    today = today or timezone.localdate()
    rows = list(tasks)
    for task in rows:
        task.overdue_days = overdue_days(task, today)  # type: ignore[attr-defined]
    return rows


def plan_get(user: Actor, plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("case__organization", "case__campaign"), user, pk=plan_id)


def plan_tasks(user: Actor, plan: Plan) -> QuerySet[Task]:
    qs = restrict(Task.objects.filter(plan=plan).select_related("plan"), user)
    return _annotated(qs).order_by("order", "id")


def task_get(user: Actor, pk: int) -> Task:
    qs = _annotated(Task.objects.select_related(*TASK_RELATED, "owner"))
    return get_object_or_404(qs, user, pk=pk)


def task_evidence(user: Actor, task: Task) -> QuerySet[Evidence]:
    return restrict(Evidence.objects.filter(task=task).select_related("uploaded_by"), user).order_by("uploaded_at", "id")


def task_extensions(user: Actor, task: Task) -> QuerySet[ExtensionRequest]:
    qs = ExtensionRequest.objects.filter(task=task).select_related("requested_by", "decided_by")
    return restrict(qs, user).order_by("-requested_at", "-id")


def task_reports(user: Actor, task: Task) -> QuerySet[ProgressReport]:
    """The task's progress reports with their notes (进展说明), newest first."""
    qs = ProgressReport.objects.filter(task=task).select_related("reported_by")
    return restrict(qs, user).order_by("-reported_at", "-id")


def task_events(user: Actor, task: Task) -> QuerySet[TaskEvent]:
    return restrict(TASK_WORKFLOW.events(task), user).order_by("at", "id")


def extension_events(user: Actor, extension: ExtensionRequest) -> QuerySet[ExtensionEvent]:
    return restrict(EXTENSION_WORKFLOW.events(extension), user).order_by("at", "id")


def evidence_get(user: Actor, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.select_related("task__plan__case__organization"), user, pk=pk)


def extension_get(user: Actor, pk: int) -> ExtensionRequest:
    qs = ExtensionRequest.objects.select_related("task__plan__case__organization", "requested_by__organization")
    return get_object_or_404(qs, user, pk=pk)


def extensions_to_decide(user: Actor) -> QuerySet[ExtensionRequest]:
    """Pending requests this user may decide: asked from below its own level, never by itself."""
    qs = ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).select_related(
        "task__plan__case__organization", "requested_by__organization"
    )
    if not user.has_perm("rectification.decide_extension"):
        return qs.none()
    qs = restrict(qs, user).exclude(requested_by_id=user.pk)
    if not user.is_superuser:
        if not user.organization_id:
            return qs.none()
        own = user.organization.path  # type: ignore[attr-defined]
        by_requester = subtree_q(own, "requested_by__organization__path") & ~Q(requested_by__organization__path=own)
        task_org = "task__plan__case__organization__path"
        # A request whose account is gone counts as asked by the task's own organization.
        by_task = Q(requested_by__organization__isnull=True) & subtree_q(own, task_org) & ~Q(**{task_org: own})
        qs = qs.filter(by_requester | by_task)
    return qs.order_by("requested_at", "id")


def overdue_tasks(user: Actor, today: datetime.date | None = None) -> QuerySet[Task]:
    """Tasks of approved plans past their deadline and not done, most late first."""
    today = today or timezone.localdate()
    qs = Task.objects.filter(is_overdue(today), plan__approved_version__isnull=False)
    return _annotated(restrict(qs.select_related(*TASK_RELATED), user)).order_by(
        "deadline", "plan__case__organization__path", "id"
    )
