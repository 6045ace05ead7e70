"""Working the tasks of an approved plan to done: progress, evidence, extension requests.

Every function here is a service: keyword-only, all or nothing, audited.
A task is locked while it changes, so "done needs evidence" and "evidence
of a done task stays" cannot be raced past each other. Status changes go
along the task's table (plans/transitions.py), extension decisions along
the extension table (rectification/transitions.py).
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, record_change, snapshot
from zhengdun.core.actors import Actor
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations.models import Organization
from zhengdun.plans.models import Task, TaskStatus
from zhengdun.plans.transitions import TASK_WORKFLOW, task_action
from zhengdun.rectification.models import Evidence, ExtensionRequest, ExtensionStatus, ProgressReport
from zhengdun.rectification.rules import ensure_may_change_done, is_above
from zhengdun.rectification.transitions import EXTENSION_WORKFLOW
from zhengdun.rectification.uploads import RefusedFile, check, clean_name

ERR_PLAN_NOT_APPROVED = "方案尚未批准，任务还不能填报"
ERR_NO_CHANGE_PERM = "您没有填报任务进度的权限"
ERR_STALE = "该任务已被他人更新，您的修改未保存，请刷新后重试"
ERR_STATUS = "请选择有效的任务状态"
ERR_PROGRESS = "进度须为 0—100 之间的整数"
ERR_NOT_STARTED_PROGRESS = "任务状态为“未开始”时，进度应为 0"
ERR_ACTUAL = "实际完成值须为不小于 0 的数字"
ERR_NOTE_LONG = "进展说明不能超过 500 字"
NOTE_MAX = 500
PROGRESS_NOTE = "填报进度"

ERR_NO_EVIDENCE_PERM = "您没有上传佐证材料的权限"
ERR_NO_FILE = "请选择要上传的文件"
ERR_EVIDENCE_NOTE = "说明不能超过 200 字"
ERR_REMOVE_PERM = "只有上传人或乡镇（街道）、县级可以删除佐证材料"
ERR_REMOVE_DONE = "任务已完成，佐证材料不能删除；如需更正，请由乡镇（街道）或县级先重新打开任务"
ERR_REMOVED = "该佐证材料已被删除"
ERR_PURGE_PERM = "只有系统可以清除已删除的佐证材料"

ERR_NO_EXTENSION_PERM = "您没有申请延期的权限"
ERR_EXTENSION_DONE = "任务已完成，无需申请延期"
ERR_EXTENSION_DATE = "请填写申请延至的日期"
ERR_EXTENSION_NOT_LATER = "申请延至的日期须晚于原完成时限（{deadline}）"
ERR_EXTENSION_REASON = "请填写延期理由"
ERR_EXTENSION_PENDING = "该任务已有待审批的延期申请，请等待审批结果"
ERR_DECIDE_PERM = "您没有审批延期申请的权限"
ERR_DECIDED = "该延期申请已处理（{status}），请刷新后查看"
ERR_REFUSE_NOTE = "不同意延期时请填写审批意见"


def _locked_task(pk: int) -> Task:
    # Only the task row is locked; plan, case and organization are read alongside.
    return Task.objects.select_for_update(of=("self",)).select_related("plan__case__organization").get(pk=pk)


def _organization(task: Task) -> Organization:
    return task.plan.case.organization


def _open_task(pk: int, actor: Actor, perm: str, denied: str) -> Task:
    """Lock the task after checking scope, permission and that its plan is approved."""
    task = _locked_task(pk)
    ensure_org_in_scope(actor, _organization(task))
    if not actor.has_perm(perm):
        raise NotPermitted(denied)
    if task.plan.approved_version_id is None:
        raise ServiceError(ERR_PLAN_NOT_APPROVED)
    return task


def _progress(value: int | str | None) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ServiceError(ERR_PROGRESS) from None
    if not 0 <= number <= 100:
        raise ServiceError(ERR_PROGRESS)
    return number


def _amount(value: Decimal | int | str | None) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ServiceError(ERR_ACTUAL) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ServiceError(ERR_ACTUAL)
    return amount.quantize(Decimal("0.01"))


def task_progress(
    *,
    task: Task,
    actor: Actor,
    expected_version: int,
    status: str,
    progress: int | str | None,
    actual_value: Decimal | int | str | None = None,
    note: str = "",
) -> Task:
    """Report a task's progress with its note (进展说明), kept as a ProgressReport.

    A change of status goes along the task's table, where marking it done needs
    evidence and reopening needs the level above (rectification/guards.py).
    """
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(ERR_NOTE_LONG)
    with transaction.atomic():
        current = _open_task(task.pk, actor, "plans.change_task", ERR_NO_CHANGE_PERM)
        if current.version != expected_version:
            raise ConflictError(ERR_STALE)
        ensure_may_change_done(actor, current)
        if status not in TaskStatus.values:
            raise ServiceError(ERR_STATUS)
        number = 100 if status == TaskStatus.DONE else _progress(progress)
        if status == TaskStatus.NOT_STARTED and number != 0:
            raise ServiceError(ERR_NOT_STARTED_PROGRESS)
        amount = _amount(actual_value)
        if status != TaskStatus.DONE:
            completed_on = None
        else:
            completed_on = current.completed_on if current.status == TaskStatus.DONE else timezone.localdate()
        figures = {"progress": number, "actual_value": amount, "completed_on": completed_on}
        action = task_action(current.status, status)
        if action is not None:
            TASK_WORKFLOW.run(
                current,
                action=action,
                actor=actor,
                scope_path=_organization(current).path,
                note=note or PROGRESS_NOTE,
                expected_version=expected_version,
                updates=figures,
            )
        else:
            before = snapshot(current)
            # The version in the WHERE clause keeps this safe where FOR UPDATE is a no-op (SQLite).
            changed = Task.objects.filter(pk=current.pk, version=expected_version, status=status).update(
                **figures, version=F("version") + 1, updated_at=timezone.now()
            )
            if changed != 1:
                raise ConflictError(ERR_STALE)
            current.refresh_from_db()
            record_change(current, before, actor=actor, note=note or PROGRESS_NOTE)
        ProgressReport.objects.create(
            task=current, status=status, progress=number, actual_value=amount, note=note, reported_by_id=actor.pk
        )
    task.refresh_from_db()
    return task


def _evidence_snapshot(evidence: Evidence) -> dict[str, Any]:
    # A FieldFile is no JSON value: the trail keeps the stored name instead.
    fields = [f.name for f in Evidence._meta.concrete_fields if f.name != "file"]
    return {**snapshot(evidence, fields), "file": evidence.file.name}


def _sha256(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def evidence_add(*, task: Task, actor: Actor, uploaded_file: UploadedFile | None, note: str = "") -> Evidence:
    """Attach a photo, PDF, Word or Excel file to a task, checked by its content."""
    note = (note or "").strip()
    if len(note) > 200:
        raise ServiceError(ERR_EVIDENCE_NOTE)
    stored = ""
    try:
        with transaction.atomic():
            current = _open_task(task.pk, actor, "rectification.add_evidence", ERR_NO_EVIDENCE_PERM)
            if uploaded_file is None:
                raise ServiceError(ERR_NO_FILE)
            name = clean_name(uploaded_file.name or "")
            size = uploaded_file.size or 0
            try:
                kind = check(uploaded_file, name=name, size=size, limit=settings.MAX_UPLOAD_BYTES)
            except RefusedFile as exc:
                raise ServiceError(str(exc)) from None
            evidence = Evidence(
                task=current,
                original_name=name,
                content_type=kind.content_type,
                size=size,
                sha256=_sha256(uploaded_file),
                note=note,
                uploaded_by_id=actor.pk,
            )
            # upload_to gives the stored file a random name; the original name stays in the row.
            evidence.file.save(name, uploaded_file, save=False)
            stored = evidence.file.name or ""
            evidence.save()
            record(Action.CREATE, evidence, actor=actor, after=_evidence_snapshot(evidence), note=f"上传佐证材料：{name}")
    except BaseException:
        # Django has no rollback hook: a file whose row was not written goes at once.
        if stored:
            default_storage.delete(stored)
        raise
    return evidence


def evidence_remove(*, evidence: Evidence, actor: Actor, note: str = "") -> None:
    """Delete an evidence file: its uploader or the level above, while the task is not done.

    The row is marked deleted (who, when) and the file stays on disk for
    FILE_RETENTION_DAYS; `evidence_purge` removes both afterwards.
    """
    with transaction.atomic():
        task = _locked_task(evidence.task_id)
        org = _organization(task)
        ensure_org_in_scope(actor, org)
        current = Evidence.objects.filter(pk=evidence.pk).first()
        if current is None:
            raise ConflictError(ERR_REMOVED)
        own = current.uploaded_by_id == actor.pk and actor.has_perm("rectification.add_evidence")
        above = is_above(actor, org.path) and actor.has_perm("plans.change_task")
        if not (own or above):
            raise NotPermitted(ERR_REMOVE_PERM)
        if task.status == TaskStatus.DONE:
            raise ServiceError(ERR_REMOVE_DONE)
        before = _evidence_snapshot(current)
        # The system actor is no account: its deletes are named in the trail, not linked here.
        deleted_by = actor if isinstance(actor, models.Model) else None
        # deleted_at in the WHERE clause: of two deletes at once only one is recorded.
        if not Evidence.objects.filter(pk=current.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), deleted_by=deleted_by
        ):
            raise ConflictError(ERR_REMOVED)
        current = Evidence.all_objects.get(pk=current.pk)
        record(
            Action.DELETE,
            current,
            actor=actor,
            before=before,
            after=_evidence_snapshot(current),
            note=note.strip() or "删除佐证材料",
        )


def evidence_purge(*, actor: Actor, now: datetime.datetime | None = None) -> list[str]:
    """Remove the evidence deleted more than FILE_RETENTION_DAYS ago, rows and files;
    returns the stored names removed. The trail keeps what each row held."""
    if not actor.is_superuser:
        raise NotPermitted(ERR_PURGE_PERM)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.FILE_RETENTION_DAYS)
    removed: list[str] = []
    with transaction.atomic():
        due = Evidence.all_objects.select_for_update().filter(deleted_at__lt=cutoff).order_by("pk")
        for evidence in due:
            record(
                Action.DELETE,
                evidence,
                actor=actor,
                before=_evidence_snapshot(evidence),
                note=f"清除删除已满 {settings.FILE_RETENTION_DAYS} 天的佐证材料：{evidence.original_name}",
            )
            removed.append(evidence.file.name or "")
            evidence.delete()
        # The files go only once their rows are surely gone.
        transaction.on_commit(lambda: _delete_files(removed))
    return removed


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def extension_request(*, task: Task, actor: Actor, new_deadline: datetime.date | None, reason: str) -> ExtensionRequest:
    """Ask the level above for a later deadline; one pending request per task."""
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _open_task(task.pk, actor, "rectification.add_extensionrequest", ERR_NO_EXTENSION_PERM)
        if current.status == TaskStatus.DONE:
            raise ServiceError(ERR_EXTENSION_DONE)
        if new_deadline is None:
            raise ServiceError(ERR_EXTENSION_DATE)
        if new_deadline <= current.deadline:
            raise ServiceError(ERR_EXTENSION_NOT_LATER.format(deadline=current.deadline.isoformat()))
        if not reason:
            raise ServiceError(ERR_EXTENSION_REASON)
        if current.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise ServiceError(ERR_EXTENSION_PENDING)
        extension = ExtensionRequest.objects.create(
            task=current, old_deadline=current.deadline, new_deadline=new_deadline, reason=reason, requested_by_id=actor.pk
        )
        record(Action.CREATE, extension, actor=actor, after=snapshot(extension), note="申请延期")
        EXTENSION_WORKFLOW.record_creation(extension, actor=actor, note=reason)
    return extension


def extension_decide(*, request: ExtensionRequest, actor: Actor, approve: bool, note: str = "") -> ExtensionRequest:
    """Approve or refuse an extension request along its table; only the level above the requester
    decides (guards in rectification/transitions.py), and an approval moves the task's deadline."""
    note = (note or "").strip()
    with transaction.atomic():
        task = _locked_task(request.task_id)
        ensure_org_in_scope(actor, _organization(task))
        if not actor.has_perm("rectification.decide_extension"):
            raise NotPermitted(ERR_DECIDE_PERM)
        extension = ExtensionRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        extension.task = task
        if extension.status != ExtensionStatus.PENDING:
            raise ConflictError(ERR_DECIDED.format(status=extension.get_status_display()))
        if not approve and not note:
            raise ServiceError(ERR_REFUSE_NOTE)
        EXTENSION_WORKFLOW.run(
            extension,
            action="approve" if approve else "refuse",
            actor=actor,
            scope_path=_organization(task).path,
            note=note,
            updates={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
        )
    request.refresh_from_db()
    return request
