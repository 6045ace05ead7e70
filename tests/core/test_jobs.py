"""Background jobs: idempotent by key, kind and period; on the workflow; audited as the system."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import ConflictError, ServiceError
from zhengdun.core.jobs import registry
from zhengdun.core.jobs.models import Job, JobState
from zhengdun.core.jobs.services import ERR_FAILED, job_enqueue, job_files_purge, job_run, job_run_daily
from zhengdun.core.jobs.transitions import JOB_WORKFLOW
from zhengdun.core.system import SYSTEM

pytestmark = pytest.mark.django_db

RUNS: list[int] = []
SEEN_PROGRESS: list[int] = []


def _count(job, progress):
    RUNS.append(job.pk)
    progress(2)
    SEEN_PROGRESS.append(Job.objects.get(pk=job.pk).done)
    if job.params.get("fail") == "rule":
        raise ServiceError("组织已不在管辖范围内")
    if job.params.get("fail") == "bug":
        raise RuntimeError("boom")
    return registry.Outcome(summary="数了 4 个", result={"counted": 4})


registry.register("test_count", label="测试计数", run=_count)


@pytest.fixture(autouse=True)
def _fresh_counters():
    RUNS.clear()
    SEEN_PROGRESS.clear()


def enqueue(period="2026-12-01", **kwargs):
    values = {
        "kind": "test_count",
        "key": "org=1",
        "period": period,
        "owner": None,
        "org_path": "",
        "label": "测试计数",
        "total": 4,
    }
    return job_enqueue(**{**values, **kwargs})


def test_it_runs_the_same_key_and_period_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as sent:
        first, created = enqueue()
        again, created_again = enqueue()
    assert created is True and created_again is False and again.pk == first.pk
    assert len(sent) == 1
    assert RUNS == [first.pk]
    first.refresh_from_db()
    assert first.state == JobState.DONE and first.result == {"summary": "数了 4 个", "counted": 4}
    # The same key and period after it is done: still the one job, nothing runs again.
    with django_capture_on_commit_callbacks(execute=True):
        after, created_after = enqueue()
    assert (after.pk, created_after) == (first.pk, False)
    assert RUNS == [first.pk] and Job.objects.count() == 1


def test_a_job_delivered_twice_runs_once(django_capture_on_commit_callbacks):
    job, _ = enqueue()
    assert job_run(job_id=job.pk) is not None
    assert job_run(job_id=job.pk) is None
    assert RUNS == [job.pk]
    assert [e.action for e in JOB_WORKFLOW.events(job)] == ["create", "start", "finish"]


def test_an_overlapping_request_finds_the_job_still_running():
    job, _ = enqueue(period="10:00")
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    overlapping, created = enqueue(period="10:01")
    assert (overlapping.pk, created) == (job.pk, False)
    # The database refuses a second active job of the same key, whoever inserts it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test_count", key="org=1", period="10:02", label="x")


def test_of_two_consumers_holding_the_queued_job_only_one_starts_it():
    job, _ = enqueue()
    stale = Job.objects.get(pk=job.pk)
    job_run(job_id=job.pk)
    with pytest.raises(ConflictError):
        JOB_WORKFLOW.run(stale, action="start", actor=SYSTEM, scope_path="")
    assert RUNS == [job.pk]


def test_it_reports_progress_while_it_runs():
    job, _ = enqueue()
    assert job.percent == 0
    job_run(job_id=job.pk)
    assert SEEN_PROGRESS == [2]
    job.refresh_from_db()
    assert job.done == 4 and job.percent == 100
    job.state, job.done = JobState.RUNNING, 3
    assert job.percent == 75


def test_a_refused_job_fails_with_its_reason_and_a_bug_with_a_plain_message():
    rule, _ = enqueue(key="org=2", params={"fail": "rule"})
    bug, _ = enqueue(key="org=3", params={"fail": "bug"})
    job_run(job_id=rule.pk)
    job_run(job_id=bug.pk)
    rule.refresh_from_db()
    bug.refresh_from_db()
    assert (rule.state, rule.error) == (JobState.FAILED, "组织已不在管辖范围内")
    assert (bug.state, bug.error) == (JobState.FAILED, ERR_FAILED)
    assert bug.finished_at is not None


def test_every_step_is_audited_as_the_system():
    job, _ = enqueue()
    job_run(job_id=job.pk)
    rows = AuditEvent.objects.filter(object_type="core.job", object_id=str(job.pk)).order_by("seq")
    assert [(r.action, r.actor_name, r.actor_id) for r in rows] == [
        ("create", "system", None),
        ("transition", "system", None),
        ("transition", "system", None),
    ]
    assert rows[2].note == "执行完成：数了 4 个"
    assert rows[2].client_ip == "job"


def test_an_unknown_kind_is_refused_at_once():
    with pytest.raises(KeyError):
        enqueue(kind="no_such_kind")
    assert not Job.objects.exists()


def test_the_apps_register_their_daily_jobs():
    daily = {p.kind.name: (p.hour, p.minute) for p in registry.periodic()}
    assert daily == {"seal_audit": (0, 10), "purge_deleted_files": (3, 0), "purge_job_files": (3, 30)}
    from huey.contrib.djhuey import HUEY

    names = {task.name for task in HUEY._registry.periodic_tasks}
    assert {"zhengdun.daily.seal_audit", "zhengdun.daily.purge_deleted_files"} <= names


def test_a_daily_job_fired_by_two_schedulers_runs_once_a_day(settings, tmp_path):
    settings.AUDIT_SEAL_FILE = tmp_path / "seals.log"
    day = datetime.date(2026, 12, 2)
    first = job_run_daily(name="seal_audit", on=day)
    assert first is not None and first.state == JobState.DONE
    assert first.result["summary"].startswith("已封存 ")
    assert job_run_daily(name="seal_audit", on=day) is None
    assert Job.objects.filter(kind="seal_audit").count() == 1
    assert job_run_daily(name="seal_audit", on=day + datetime.timedelta(days=1)) is not None
    assert Job.objects.filter(kind="seal_audit").count() == 2


def test_the_daily_purge_runs_as_the_system():
    job = job_run_daily(name="purge_deleted_files", on=datetime.date(2026, 12, 2))
    assert job is not None and job.state == JobState.DONE
    assert job.result["files"] == 0 and "已清除 0 个" in job.result["summary"]


def test_finished_jobs_files_go_after_job_file_days(settings, tmp_path):
    settings.JOB_DIR, settings.JOB_FILE_DAYS = tmp_path, 7
    now = timezone.now()
    old, _ = enqueue(key="org=old")
    new, _ = enqueue(key="org=new")
    for job, age in ((old, 8), (new, 6)):
        (tmp_path / f"{job.pk}.xlsx").write_bytes(b"x")
        Job.objects.filter(pk=job.pk).update(
            state=JobState.DONE, result_file=f"{job.pk}.xlsx", finished_at=now - datetime.timedelta(days=age)
        )
    assert job_files_purge(now=now) == 1
    assert not (tmp_path / f"{old.pk}.xlsx").exists() and (tmp_path / f"{new.pk}.xlsx").exists()
    assert Job.objects.get(pk=old.pk).result_file == "" and Job.objects.get(pk=old.pk).state == JobState.DONE
    assert AuditEvent.objects.filter(action="delete", actor_name="system").get().note == "删除 1 个已满 7 天的后台任务结果文件"
