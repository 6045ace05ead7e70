"""Reading tasks, their evidence and extension requests, always through the scoping chokepoint."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhengdun.core.scoping import get_object_or_404, restrict
from zhengdun.plans.models import Evidence, ExtensionRequest, ExtensionStatus, Plan, Task, TaskStatus

TASK_RELATED = ("plan__case__organization", "plan__case__campaign")


def _annotated(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Evidence count and a pending-extension flag in the same query, not one query per row."""
    pending = ExtensionRequest.objects.filter(task=OuterRef("pk"), status=ExtensionStatus.PENDING)
    return qs.annotate(evidence_count=Count("evidence", distinct=True), has_pending_extension=Exists(pending))


def mark_overdue(tasks: Iterable[Task], today: datetime.date | None = None) -> list[Task]:
    """Set `overdue_days` on each task: days past the deadline while not done, else 0."""
    today = today or timezone.localdate()
    rows = list(tasks)
    for task in rows:
        late = task.status != TaskStatus.DONE and task.deadline < today
        task.overdue_days = (today - task.deadline).days if late else 0  # type: ignore[attr-defined]
    return rows


def plan_get(user: Any, plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("case__organization", "case__campaign"), user, pk=plan_id)


def plan_tasks(user: Any, plan: Plan) -> QuerySet[Task]:
    qs = restrict(Task.objects.filter(plan=plan).select_related("plan"), user)
    return _annotated(qs).order_by("order", "id")


def task_get(user: Any, pk: int) -> Task:
    qs = _annotated(Task.objects.select_related(*TASK_RELATED, "owner"))
    return get_object_or_404(qs, user, pk=pk)


def task_evidence(user: Any, task: Task) -> QuerySet[Evidence]:
    return restrict(Evidence.objects.filter(task=task).select_related("uploaded_by"), user).order_by("uploaded_at", "id")


def task_extensions(user: Any, task: Task) -> QuerySet[ExtensionRequest]:
    qs = ExtensionRequest.objects.filter(task=task).select_related("requested_by", "decided_by")
    return restrict(qs, user).order_by("-requested_at", "-id")


def evidence_get(user: Any, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.select_related("task__plan__case__organization"), user, pk=pk)


def extension_get(user: Any, pk: int) -> ExtensionRequest:
    qs = ExtensionRequest.objects.select_related("task__plan__case__organization", "requested_by__organization")
    return get_object_or_404(qs, user, pk=pk)


def extensions_to_decide(user: Any) -> QuerySet[ExtensionRequest]:
    """Pending requests this user may decide: asked from below its own level, never by itself."""
    qs = ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).select_related(
        "task__plan__case__organization", "requested_by__organization"
    )
    if not user.has_perm("plans.decide_extension"):
        return qs.none()
    qs = restrict(qs, user).exclude(requested_by=user)
    if not user.is_superuser:
        if not user.organization_id:
            return qs.none()
        own = user.organization.path
        by_requester = Q(requested_by__organization__path__startswith=own) & ~Q(requested_by__organization__path=own)
        task_org = "task__plan__case__organization__path"
        # A request whose account is gone counts as asked by the task's own organization.
        by_task = Q(requested_by__organization__isnull=True) & Q(**{f"{task_org}__startswith": own}) & ~Q(**{task_org: own})
        qs = qs.filter(by_requester | by_task)
    return qs.order_by("requested_at", "id")


def overdue_tasks(user: Any, today: datetime.date | None = None) -> QuerySet[Task]:
    """Tasks of approved plans past their deadline and not done, most late first."""
    today = today or timezone.localdate()
    qs = Task.objects.filter(deadline__lt=today, plan__approved_version__isnull=False).exclude(status=TaskStatus.DONE)
    return _annotated(restrict(qs.select_related(*TASK_RELATED), user)).order_by(
        "deadline", "plan__case__organization__path", "id"
    )
