"""The audit app's daily job: seal each closed day (what `manage.py seal_audit` does, from the queue's scheduler)."""

from __future__ import annotations

from zhengdun.audit import seals
from zhengdun.core.jobs import registry
from zhengdun.core.jobs.models import Job

SEAL_JOB = "seal_audit"
SEALED = "已封存 {days} 天的审计记录"


def run_seal(job: Job, progress: registry.Progress) -> registry.Outcome:
    written = seals.seal_closed_days()
    return registry.Outcome(summary=SEALED.format(days=len(written)), result={"days": [entry["day"] for entry in written]})


def register() -> None:
    # 00:10 local time, as the cron line in the README did.
    registry.register_daily(SEAL_JOB, label="审计记录每日封存", run=run_seal, hour=0, minute=10)
