"""What Huey carries: job ids, and the daily schedule of the periodic kinds.

The queue is where work waits, the `Job` row is what the work is: a message
delivered twice, or two consumers firing the same periodic task, finds the row
already taken (services.job_run) and does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

if TYPE_CHECKING:
    from zhengdun.core.jobs.registry import Periodic

__all__ = ["HUEY", "schedule", "send"]


@db_task(name="zhengdun.run_job")
def run_job(job_id: int) -> None:
    from zhengdun.core.jobs.services import job_run

    job_run(job_id=job_id)


def send(job_id: int) -> None:
    """Put the job on the queue (run at once in immediate mode, as in the tests)."""
    run_job(job_id)


_scheduled: set[str] = set()


def schedule(periodic: Periodic) -> None:
    name = periodic.kind.name
    if name in _scheduled:
        return
    _scheduled.add(name)

    def fire() -> None:
        from zhengdun.core.jobs.services import job_run_daily

        job_run_daily(name=name)

    fire.__name__ = fire.__qualname__ = f"daily_{name}"
    db_periodic_task(crontab(minute=str(periodic.minute), hour=str(periodic.hour)), name=f"zhengdun.daily.{name}")(fire)
