"""Tasks of approved plans: progress, evidence files, extension requests, overdue."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from zhengdun.api.common import WRITE_ERRORS, Page, Ref, caller
from zhengdun.plans import task_selectors as selectors
from zhengdun.plans import tasks
from zhengdun.plans.models import Evidence, ExtensionRequest, ExtensionStatus, Task, TaskStatus
from zhengdun.plans.uploads import serve

router = Router(tags=["整改任务"])


def _overdue_days(task: Task) -> int:
    today = timezone.localdate()
    return (today - task.deadline).days if task.status != TaskStatus.DONE and task.deadline < today else 0


class TaskOut(Schema):
    id: int
    plan_id: int
    order: int
    title: str
    owner_name: str
    deadline: datetime.date
    target: str
    target_value: Decimal | None
    unit: str
    actual_value: Decimal | None
    status: TaskStatus
    status_label: str
    progress: int
    completed_on: datetime.date | None
    version: int
    overdue_days: int = Field(description="逾期天数；未逾期或已完成为 0")
    evidence_count: int
    has_pending_extension: bool

    @staticmethod
    def resolve_status_label(obj: Task) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue_days(obj: Task) -> int:
        return _overdue_days(obj)


class EvidenceOut(Schema):
    id: int
    task_id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    note: str
    uploaded_by: str
    uploaded_at: datetime.datetime
    url: str = Field(description="下载地址（本 API）")

    @staticmethod
    def resolve_uploaded_by(obj: Evidence) -> str:
        return str(obj.uploaded_by) if obj.uploaded_by else ""

    @staticmethod
    def resolve_url(obj: Evidence) -> str:
        return reverse("api:evidence_file", kwargs={"evidence_id": obj.pk})


class ExtensionOut(Schema):
    id: int
    task_id: int
    old_deadline: datetime.date
    new_deadline: datetime.date
    reason: str
    status: ExtensionStatus
    status_label: str
    requested_by: str
    requested_at: datetime.datetime
    decided_by: str
    decided_at: datetime.datetime | None
    decision_note: str

    @staticmethod
    def resolve_status_label(obj: ExtensionRequest) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_requested_by(obj: ExtensionRequest) -> str:
        return str(obj.requested_by) if obj.requested_by else ""

    @staticmethod
    def resolve_decided_by(obj: ExtensionRequest) -> str:
        return str(obj.decided_by) if obj.decided_by else ""


class TaskDetailOut(TaskOut):
    detail: str
    evidence: list[EvidenceOut]
    extensions: list[ExtensionOut]

    @staticmethod
    def resolve_evidence(obj: Task, context: dict[str, Any]) -> Any:
        return selectors.task_evidence(context["request"].auth, obj)

    @staticmethod
    def resolve_extensions(obj: Task, context: dict[str, Any]) -> Any:
        return selectors.task_extensions(context["request"].auth, obj)


class OverdueOut(TaskOut):
    organization: Ref
    plan_title: str

    @staticmethod
    def resolve_organization(obj: Task) -> Any:
        return obj.plan.case.organization

    @staticmethod
    def resolve_plan_title(obj: Task) -> str:
        return obj.plan.title


class TaskPatch(Schema):
    version: int = Field(description="调用者看到的版本号；他人已先修改时返回 409")
    status: TaskStatus | None = None
    progress: int | None = Field(None, description="0—100；状态为 done 时记为 100")
    # Text too: the service parses it and answers in Chinese.
    actual_value: Decimal | str | None = None
    note: str = ""


class ExtensionIn(Schema):
    new_deadline: datetime.date
    reason: str


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", description="审批意见；不同意时必填")


def _task(request: HttpRequest, task_id: int) -> Task:
    return selectors.task_get(caller(request), task_id)


# Declared before /tasks/{task_id} so "overdue" is never read as an id.
@router.get("/tasks/overdue", response=list[OverdueOut], summary="逾期任务（本级及下级）")
@paginate(Page)
def task_overdue(request: HttpRequest) -> Any:
    return selectors.overdue_tasks(caller(request))


@router.get("/plans/{plan_id}/tasks", response=list[TaskOut], summary="方案的整改任务")
@paginate(Page)
def plan_tasks(request: HttpRequest, plan_id: int) -> Any:
    user = caller(request)
    return selectors.plan_tasks(user, selectors.plan_get(user, plan_id))


@router.get("/tasks/{task_id}", response=TaskDetailOut, summary="整改任务详情")
def task_detail(request: HttpRequest, task_id: int) -> Any:
    return _task(request, task_id)


@router.patch("/tasks/{task_id}", response={200: TaskDetailOut, **WRITE_ERRORS}, summary="填报任务进度")
def task_progress(request: HttpRequest, task_id: int, payload: TaskPatch) -> Any:
    task = _task(request, task_id)
    given = payload.model_fields_set
    status = payload.status or task.status
    # Sending only a progress figure for a task not yet started means it has started.
    if payload.status is None and status == TaskStatus.NOT_STARTED and payload.progress:
        status = TaskStatus.IN_PROGRESS
    tasks.task_progress(
        task=task,
        actor=caller(request),
        expected_version=payload.version,
        status=status,
        progress=task.progress if payload.progress is None else payload.progress,
        actual_value=payload.actual_value if "actual_value" in given else task.actual_value,
        note=payload.note,
    )
    return _task(request, task_id)


@router.post("/tasks/{task_id}/evidence", response={201: EvidenceOut, **WRITE_ERRORS}, summary="上传佐证材料（multipart）")
def evidence_upload(request: HttpRequest, task_id: int, file: File[UploadedFile | None] = None, note: Form[str] = "") -> Any:
    """Photos (JPG/PNG/GIF/WEBP), PDF, Word (.docx) or Excel (.xlsx); the type is checked by content."""
    task = _task(request, task_id)
    evidence = tasks.evidence_add(task=task, actor=caller(request), uploaded_file=file, note=note)
    return Status(201, selectors.evidence_get(caller(request), evidence.pk))


@router.get(
    "/evidence/{evidence_id}",
    response={200: None},
    url_name="evidence_file",
    summary="下载佐证材料",
    openapi_extra={"responses": {200: {"description": "文件本身，图片和 PDF 为 inline，Word/Excel 为 attachment"}}},
)
def evidence_file(request: HttpRequest, evidence_id: int) -> Any:
    return serve(selectors.evidence_get(caller(request), evidence_id))


@router.delete("/evidence/{evidence_id}", response={204: None, **WRITE_ERRORS}, summary="删除佐证材料")
def evidence_delete(request: HttpRequest, evidence_id: int) -> Any:
    tasks.evidence_remove(evidence=selectors.evidence_get(caller(request), evidence_id), actor=caller(request))
    return Status(204, None)


@router.post("/tasks/{task_id}/extensions", response={201: ExtensionOut, **WRITE_ERRORS}, summary="申请延期")
def extension_request(request: HttpRequest, task_id: int, payload: ExtensionIn) -> Any:
    extension = tasks.extension_request(
        task=_task(request, task_id), actor=caller(request), new_deadline=payload.new_deadline, reason=payload.reason
    )
    return Status(201, selectors.extension_get(caller(request), extension.pk))


@router.post("/extensions/{extension_id}/decision", response={200: ExtensionOut, **WRITE_ERRORS}, summary="审批延期申请")
def extension_decide(request: HttpRequest, extension_id: int, payload: DecisionIn) -> Any:
    extension = selectors.extension_get(caller(request), extension_id)
    tasks.extension_decide(request=extension, actor=caller(request), approve=payload.approve, note=payload.note)
    return selectors.extension_get(caller(request), extension_id)
