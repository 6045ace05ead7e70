"""Enqueuing, running and downloading jobs.

    job, created = job_enqueue(kind="ledger_export", key=..., period=..., owner=user, org_path=..., label=..., total=n)
    job_run(job_id=job.pk)          # what a consumer does; a second call does nothing
    path = job_download(job=job, actor=user)   # the owner's file, audited

Every state change is a step of JOB_WORKFLOW taken by the system actor, so each
is an event row and an audit row "by 系统".
"""

from __future__ import annotations

import datetime
import logging
import secrets
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone

from zhengdun.core import context, recording
from zhengdun.core.actors import Actor
from zhengdun.core.errors import ServiceError
from zhengdun.core.jobs import queue, registry
from zhengdun.core.jobs.models import ACTIVE_STATES, Job, JobState
from zhengdun.core.jobs.transitions import JOB_WORKFLOW
from zhengdun.core.system import SYSTEM

logger = logging.getLogger(__name__)

ERR_NOT_DONE = "任务尚未完成，暂不能下载"
ERR_FILE_GONE = "导出文件已过期或不存在，请重新导出"
ERR_FAILED = "任务执行失败，请稍后重试；如仍失败请联系系统管理员"
NOTE_CREATED = "提交后台任务：{label}"
NOTE_DOWNLOAD = "下载后台任务的结果文件：{file}"
NOTE_PERSONAL = "（含未脱敏的个人信息）"
# The audit trail's client address of rows written by a consumer.
JOB_ADDRESS = "job"
DAILY_KEY = "daily"
PURGE_FILES_JOB = "purge_job_files"
NOTE_PURGED = "删除 {files} 个已满 {days} 天的后台任务结果文件"


def job_enqueue(
    *,
    kind: str,
    key: str,
    period: str,
    owner: Actor | None,
    org_path: str,
    label: str,
    params: dict[str, Any] | None = None,
    total: int = 0,
    send: bool = True,
) -> tuple[Job, bool]:
    """The job for this kind, object and period: the one already there (the same period,
    or one still queued or running), else a new one, put on the queue once the caller's
    transaction commits. Returns (job, created)."""
    registry.kind(kind)  # an unknown kind fails here, not in a consumer
    same = Job.objects.filter(kind=kind, key=key).filter(models.Q(period=period) | models.Q(state__in=ACTIVE_STATES))
    existing = same.order_by("-id").first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                key=key,
                period=period,
                label=label,
                owner=owner if isinstance(owner, models.Model) else None,
                org_path=org_path,
                params=params or {},
                total=total,
            )
            JOB_WORKFLOW.record_creation(job, actor=SYSTEM, note=NOTE_CREATED.format(label=label))
            recording.record_object(
                "create", job, actor=owner or SYSTEM, note=NOTE_CREATED.format(label=label), org_path=org_path
            )
    except IntegrityError:
        # Another request or consumer created it between our look and our insert.
        return same.order_by("-id").get(), False
    if send:
        transaction.on_commit(partial(queue.send, job.pk))
    return job, True


def _progress(job: Job) -> registry.Progress:
    def report(done: int) -> None:
        # Not a state change: the count the page's progress bar polls.
        Job.objects.filter(pk=job.pk).update(done=done, updated_at=timezone.now())
        job.done = done

    return report


def job_run(*, job_id: int) -> Job | None:
    """Take the queued job and do it; None when there is none to take (done, or taken by another consumer)."""
    with context.acting_as(user=SYSTEM, client_ip=JOB_ADDRESS):
        job = Job.objects.filter(pk=job_id, state=JobState.QUEUED).first()
        if job is None:
            return None
        try:
            # The workflow's UPDATE is guarded by state and version: of two consumers, one starts it.
            JOB_WORKFLOW.run(job, action="start", actor=SYSTEM, scope_path=job.org_path, updates={"started_at": timezone.now()})
        except ServiceError:
            return None
        try:
            outcome = registry.kind(job.kind).run(job, _progress(job))
        except ServiceError as exc:
            error = exc.message
        except Exception:  # noqa: BLE001 - a failed job is recorded as failed, whatever the cause
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            error = ERR_FAILED
        else:
            updates: dict[str, Any] = {"result": {"summary": outcome.summary, **outcome.result}, "finished_at": timezone.now()}
            if outcome.file is not None:
                updates["result_file"] = outcome.file.name
                updates["file_name"] = outcome.file_name
            updates["done"] = max(job.done, job.total)
            return JOB_WORKFLOW.run(
                job, action="finish", actor=SYSTEM, scope_path=job.org_path, note=outcome.summary, updates=updates
            )
        return JOB_WORKFLOW.run(
            job,
            action="fail",
            actor=SYSTEM,
            scope_path=job.org_path,
            note=error,
            updates={"error": error, "finished_at": timezone.now()},
        )


def job_run_daily(*, name: str, on: datetime.date | None = None) -> Job | None:
    """What the scheduler fires: today's job of this kind, once whatever the number of consumers."""
    day = (on or timezone.localdate()).isoformat()
    kind = registry.kind(name)
    job, created = job_enqueue(kind=name, key=DAILY_KEY, period=day, owner=None, org_path="", label=kind.label, send=False)
    return job_run(job_id=job.pk) if created else None


def job_file_path(job: Job, suffix: str) -> Path:
    """Where a job writes its file: the job folder under ZHENGDUN_DATA_DIR, a name nobody guesses."""
    folder = Path(settings.JOB_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"job-{job.pk}-{secrets.token_hex(8)}{suffix}"


def job_download(*, job: Job, actor: Actor) -> Path:
    """The finished job's file, for its owner only; the download is audited."""
    if job.owner_id is None or job.owner_id != actor.pk:
        raise Http404("不存在或无权访问")
    if job.state != JobState.DONE or not job.result_file:
        raise ServiceError(ERR_NOT_DONE)
    path = Path(settings.JOB_DIR) / job.result_file
    if not path.is_file():
        raise ServiceError(ERR_FILE_GONE)
    personal = bool(job.result.get("personal_info"))
    recording.record_object(
        "download",
        job,
        actor=actor,
        note=NOTE_DOWNLOAD.format(file=job.file_name) + (NOTE_PERSONAL if personal else ""),
        org_path=job.org_path,
        after={"job": job.pk, "kind": job.kind, "file": job.file_name, "personal_info": personal},
    )
    return path


def job_files_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove finished jobs' files older than JOB_FILE_DAYS (exports hold personal information:
    they are not kept longer than their owner needs to fetch them). Returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.JOB_FILE_DAYS)
    old = Job.objects.filter(finished_at__lt=cutoff).exclude(result_file="")
    removed = 0
    for job in old.only("pk", "result_file"):
        (Path(settings.JOB_DIR) / job.result_file).unlink(missing_ok=True)
        # Not a state change: the job stays done, its file is gone (the download says so).
        Job.objects.filter(pk=job.pk).update(result_file="")
        removed += 1
    if removed:
        recording.record_event("delete", actor=SYSTEM, note=NOTE_PURGED.format(files=removed, days=settings.JOB_FILE_DAYS))
    return removed


def _run_files_purge(job: Job, progress: registry.Progress) -> registry.Outcome:
    removed = job_files_purge()
    return registry.Outcome(summary=NOTE_PURGED.format(files=removed, days=settings.JOB_FILE_DAYS), result={"files": removed})


def register() -> None:
    registry.register_daily(PURGE_FILES_JOB, label="删除过期的后台任务结果文件", run=_run_files_purge, hour=3, minute=30)
