"""A real Huey consumer (worker threads, queue in a SQLite file) runs an enqueued job exactly once."""

import threading
import time

import pytest
from django.db import OperationalError

from zhengdun.core.jobs import queue, registry
from zhengdun.core.jobs.models import Job, JobState
from zhengdun.core.jobs.services import job_enqueue
from zhengdun.core.jobs.transitions import JOB_WORKFLOW

pytestmark = pytest.mark.django_db(transaction=True)

RUNS: list[int] = []
_lock = threading.Lock()


def _slow(job, progress):
    with _lock:
        RUNS.append(job.pk)
    # Long enough for the duplicate deliveries below to reach the other worker meanwhile.
    time.sleep(0.3)
    progress(1)
    return registry.Outcome(summary="完成")


registry.register("test_consumer", label="测试消费者", run=_slow)


def _wait_until_finished(job, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            job.refresh_from_db()
        except OperationalError:  # SQLite's in-memory test database locks a table a worker is writing
            time.sleep(0.05)
            continue
        if job.state in (JobState.DONE, JobState.FAILED):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} still {job.state}")


def test_a_job_enqueued_three_times_and_delivered_twice_runs_once(job_consumer):
    RUNS.clear()
    values = {"kind": "test_consumer", "key": "org=9", "owner": None, "org_path": "", "label": "测试消费者", "total": 1}
    job, created = job_enqueue(period="2026-12-02T10:00", **values)
    again, created_again = job_enqueue(period="2026-12-02T10:00", **values)
    # Another request a minute later, while the first still runs: the same job.
    overlapping, created_overlapping = job_enqueue(period="2026-12-02T10:01", **values)
    assert created and not created_again and not created_overlapping
    assert job.pk == again.pk == overlapping.pk
    # A message delivered twice (a restarted producer, a retry) reaches the second worker.
    queue.send(job.pk)
    queue.send(job.pk)
    job = _wait_until_finished(job)
    time.sleep(0.5)  # the duplicate deliveries have been taken by now, and did nothing
    assert job.state == JobState.DONE and job.result["summary"] == "完成"
    assert RUNS == [job.pk]
    assert [e.action for e in JOB_WORKFLOW.events(job)] == ["create", "start", "finish"]
    assert Job.objects.count() == 1
    assert len(job_consumer.huey) == 0  # nothing left waiting in the queue file
