"""The rectification app's router: tasks of approved plans, their progress reports,
evidence files, extension requests and the overdue list."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from zhengdun.core.api import WRITE_ERRORS, BlockedOfferOut, OfferOut, Page, Ref, caller, offer_out
from zhengdun.plans.models import Task, TaskEvent, TaskStatus
from zhengdun.plans.transitions import TASK_WORKFLOW
from zhengdun.rectification import selectors
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import Evidence, ExtensionRequest, ExtensionStatus, ProgressReport
from zhengdun.rectification.transitions import EXTENSION_WORKFLOW
from zhengdun.rectification.uploads import serve

router = Router(tags=["整改任务"])


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
        return selectors.overdue_days(obj)


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


class ExtensionDetailOut(ExtensionOut):
    transitions: list[OfferOut] = Field(description="调用者可执行的审批操作")
    blocked_transitions: list[BlockedOfferOut] = Field(description="调用者有权限但不能执行的操作及原因")

    @staticmethod
    def resolve_transitions(obj: ExtensionRequest, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in EXTENSION_WORKFLOW.offers(obj, context["request"].auth) if o.allowed]

    @staticmethod
    def resolve_blocked_transitions(obj: ExtensionRequest, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in EXTENSION_WORKFLOW.offers(obj, context["request"].auth) if not o.allowed]


class ProgressReportOut(Schema):
    id: int
    status: TaskStatus
    status_label: str
    progress: int
    actual_value: Decimal | None
    note: str = Field(description="进展说明")
    reported_by: str
    reported_at: datetime.datetime

    @staticmethod
    def resolve_status_label(obj: ProgressReport) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_reported_by(obj: ProgressReport) -> str:
        return str(obj.reported_by) if obj.reported_by else ""


class TaskEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    at: datetime.datetime
    note: str

    @staticmethod
    def resolve_actor(obj: TaskEvent) -> str:
        return str(obj.actor) if obj.actor else ""


def _offers(obj: Task, context: dict[str, Any]) -> list[Any]:
    # A plan not yet approved offers no work on its tasks (the services refuse it too).
    return TASK_WORKFLOW.offers(obj, context["request"].auth) if obj.plan.approved_version_id else []


class TaskDetailOut(TaskOut):
    detail: str
    evidence: list[EvidenceOut]
    extensions: list[ExtensionDetailOut]
    latest_note: str = Field(description="最近一次填报的进展说明")
    progress_reports: list[ProgressReportOut] = Field(description=f"最近 {selectors.RECENT_REPORTS} 次进展填报，新的在前")
    transitions: list[OfferOut] = Field(description="调用者可执行的状态变更")
    blocked_transitions: list[BlockedOfferOut] = Field(description="调用者有权限但尚不能执行的状态变更及原因")

    @staticmethod
    def resolve_latest_note(obj: Task, context: dict[str, Any]) -> str:
        latest = selectors.task_reports(context["request"].auth, obj).exclude(note="").first()
        return latest.note if latest else ""

    @staticmethod
    def resolve_progress_reports(obj: Task, context: dict[str, Any]) -> Any:
        return selectors.task_reports(context["request"].auth, obj)[: selectors.RECENT_REPORTS]

    @staticmethod
    def resolve_transitions(obj: Task, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in _offers(obj, context) if o.allowed]

    @staticmethod
    def resolve_blocked_transitions(obj: Task, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in _offers(obj, context) if not o.allowed]

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


@router.get("/tasks/{task_id}/progress-reports", response=list[ProgressReportOut], summary="进展填报记录（含进展说明）")
@paginate(Page)
def task_reports(request: HttpRequest, task_id: int) -> Any:
    return selectors.task_reports(caller(request), _task(request, task_id))


@router.get("/tasks/{task_id}/events", response=list[TaskEventOut], summary="任务状态记录")
@paginate(Page)
def task_events(request: HttpRequest, task_id: int) -> Any:
    return selectors.task_events(caller(request), _task(request, task_id))


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


@router.post("/tasks/{task_id}/extensions", response={201: ExtensionDetailOut, **WRITE_ERRORS}, summary="申请延期")
def extension_request(request: HttpRequest, task_id: int, payload: ExtensionIn) -> Any:
    extension = tasks.extension_request(
        task=_task(request, task_id), actor=caller(request), new_deadline=payload.new_deadline, reason=payload.reason
    )
    return Status(201, selectors.extension_get(caller(request), extension.pk))


@router.get("/extensions/{extension_id}", response=ExtensionDetailOut, summary="延期申请详情")
def extension_detail(request: HttpRequest, extension_id: int) -> Any:
    return selectors.extension_get(caller(request), extension_id)


@router.post("/extensions/{extension_id}/decision", response={200: ExtensionDetailOut, **WRITE_ERRORS}, summary="审批延期申请")
def extension_decide(request: HttpRequest, extension_id: int, payload: DecisionIn) -> Any:
    extension = selectors.extension_get(caller(request), extension_id)
    tasks.extension_decide(request=extension, actor=caller(request), approve=payload.approve, note=payload.note)
    return selectors.extension_get(caller(request), extension_id)
