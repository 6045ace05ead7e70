"""The rectification app's daily job: remove deleted evidence kept past FILE_RETENTION_DAYS."""

from __future__ import annotations

from django.conf import settings

from zhengdun.core.jobs import registry
from zhengdun.core.jobs.models import Job
from zhengdun.core.system import SYSTEM
from zhengdun.rectification.services import evidence_purge

PURGE_JOB = "purge_deleted_files"
PURGED = "已清除 {files} 个删除已满 {days} 天的文件"


def run_purge(job: Job, progress: registry.Progress) -> registry.Outcome:
    removed = evidence_purge(actor=SYSTEM)
    return registry.Outcome(
        summary=PURGED.format(files=len(removed), days=settings.FILE_RETENTION_DAYS), result={"files": len(removed)}
    )


def register() -> None:
    # 03:00 local time, as the cron line in the README did.
    registry.register_daily(PURGE_JOB, label="清除过期的已删除佐证材料", run=run_purge, hour=3)
