from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tests.rectification.support import approved_plan, make_task, png_bytes, upload
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.plans.models import TaskStatus
from zhengdun.rectification import services as tasks


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(world, campaign):
    return make_task(approved_plan(campaign, world.village_e))


def _report(task, actor, **values):
    task.refresh_from_db()
    args = {"expected_version": task.version, "status": TaskStatus.IN_PROGRESS, "progress": 50, "actual_value": None}
    args.update(values)
    return tasks.task_progress(task=task, actor=actor, **args)


def _with_evidence(task, actor):
    tasks.evidence_add(task=task, actor=actor, uploaded_file=upload("现场照片.png", png_bytes()))


def test_it_records_progress_and_audits_it(task, branch1):
    _report(task, branch1, progress=40, actual_value="25.5", note="已流转 25.5 亩")
    task.refresh_from_db()
    assert (task.status, task.progress, str(task.actual_value), task.version) == ("in_progress", 40, "25.50", 2)
    event = AuditEvent.objects.get(object_type="plans.task", object_id=str(task.pk))
    assert event.after["progress"] == 40 and event.note == "开始推进：已流转 25.5 亩"


@pytest.mark.parametrize("bad", [-1, 101, "abc", None])
def test_it_refuses_progress_outside_0_to_100(task, branch1, bad):
    with pytest.raises(ServiceError, match="进度须为 0—100 之间的整数"):
        _report(task, branch1, progress=bad)
    task.refresh_from_db()
    assert task.progress == 0 and task.version == 1


def test_it_refuses_progress_on_a_task_not_yet_started(task, branch1):
    with pytest.raises(ServiceError, match="任务状态为“未开始”时，进度应为 0"):
        _report(task, branch1, status=TaskStatus.NOT_STARTED, progress=10)


def test_it_refuses_a_negative_actual_value(task, branch1):
    with pytest.raises(ServiceError, match="实际完成值须为不小于 0 的数字"):
        _report(task, branch1, actual_value="-3")


def test_it_refuses_tasks_of_a_plan_not_yet_approved(world, campaign, branch1):
    task = make_task(approved_plan(campaign, world.village_e, approved=False))
    with pytest.raises(ServiceError, match="方案尚未批准"):
        _report(task, branch1)


def test_it_refuses_done_without_evidence(task, branch1):
    with pytest.raises(ServiceError, match="完成任务须上传佐证材料"):
        _report(task, branch1, status=TaskStatus.DONE, progress=100)
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED and task.completed_on is None


def test_it_completes_with_evidence_at_100_percent_today(task, branch1):
    _with_evidence(task, branch1)
    _report(task, branch1, status=TaskStatus.DONE, progress=30, actual_value=60)
    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_on) == ("done", 100, timezone.localdate())


def test_it_lets_only_the_level_above_reopen_a_done_task(task, branch1, town1):
    _with_evidence(task, branch1)
    _report(task, branch1, status=TaskStatus.DONE)
    with pytest.raises(ServiceError, match="任务已完成，只有乡镇（街道）或县级可以重新打开或修改"):
        _report(task, branch1, status=TaskStatus.IN_PROGRESS, progress=80)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    _report(task, town1, status=TaskStatus.IN_PROGRESS, progress=80, note="佐证不足，重新打开")
    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_on) == ("in_progress", 80, None)


def test_it_refuses_a_stale_version_and_keeps_the_first_write(task, branch1, town1):
    seen = task.version
    tasks.task_progress(task=task, actor=town1, expected_version=seen, status="in_progress", progress=30)
    with pytest.raises(ConflictError, match="该任务已被他人更新"):
        tasks.task_progress(task=task, actor=branch1, expected_version=seen, status="in_progress", progress=90)
    task.refresh_from_db()
    assert task.progress == 30


def test_it_refuses_readers_and_strangers(task, leader1, town2, inspector1):
    with pytest.raises(NotPermitted, match="您没有填报任务进度的权限"):
        _report(task, inspector1)
    with pytest.raises(Http404):
        _report(task, town2)


def test_it_saves_progress_through_the_page(task, as_user, branch1):
    response = as_user(branch1).post(
        reverse("rectification:task_progress", args=[task.pk]),
        {"version": 1, "status": "in_progress", "progress": 60, "actual_value": "30", "note": ""},
        follow=True,
    )
    assert "已保存任务进度" in response.content.decode()
    task.refresh_from_db()
    assert task.progress == 60


def test_it_shows_why_done_was_refused_on_the_page(task, as_user, branch1):
    response = as_user(branch1).post(
        reverse("rectification:task_progress", args=[task.pk]), {"version": 1, "status": "done", "progress": 100}
    )
    assert response.status_code == 400
    assert "完成任务须上传佐证材料" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_it_refuses_progress_over_100_on_the_page(task, as_user, branch1):
    response = as_user(branch1).post(
        reverse("rectification:task_progress", args=[task.pk]), {"version": 1, "status": "in_progress", "progress": 150}
    )
    assert response.status_code == 400
    assert "进度须为 0—100 之间的整数" in response.content.decode()


def test_it_tells_the_slower_of_two_editors_on_the_page(task, as_user, branch1, town1):
    as_user(town1).post(
        reverse("rectification:task_progress", args=[task.pk]), {"version": 1, "status": "in_progress", "progress": 20}
    )
    response = as_user(branch1).post(
        reverse("rectification:task_progress", args=[task.pk]),
        {"version": 1, "status": "in_progress", "progress": 70},
        follow=True,
    )
    assert "该任务已被他人更新" in response.content.decode()
    task.refresh_from_db()
    assert task.progress == 20
