"""The task's and the extension's status on core.workflow, the progress notes (进展说明)
with their history, and the camera on the evidence upload."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import ApiClient
from tests.rectification.support import approved_plan, make_task, png_bytes, upload
from zhengdun.accounts.models import ApiToken
from zhengdun.plans.models import TaskEvent, TaskStatus
from zhengdun.plans.transitions import TASK_WORKFLOW
from zhengdun.rectification import selectors
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import ExtensionEvent, ProgressReport
from zhengdun.rectification.rules import ERR_DONE_NEEDS_EVIDENCE


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(world, campaign):
    return make_task(approved_plan(campaign, world.village_e))


def _api(user) -> ApiClient:
    _token, raw = ApiToken.issue(user, name="测试")
    return ApiClient(raw)


def _report(task, actor, **values):
    task.refresh_from_db()
    args = {"expected_version": task.version, "status": TaskStatus.IN_PROGRESS, "progress": 50}
    args.update(values)
    return tasks.task_progress(task=task, actor=actor, **args)


def test_it_writes_a_task_event_for_each_status_change_only(task, branch1):
    _report(task, branch1, progress=20, note="开始流转土地")
    _report(task, branch1, progress=40, note="已流转 25 亩")
    tasks.evidence_add(task=task, actor=branch1, uploaded_file=upload("现场.png", png_bytes()))
    _report(task, branch1, status=TaskStatus.DONE, note="全部完成")
    rows = list(TaskEvent.objects.filter(task=task).order_by("id").values_list("action", "from_state", "to_state", "note"))
    assert rows == [("start", "not_started", "in_progress", "开始流转土地"), ("complete", "in_progress", "done", "全部完成")]


def test_it_keeps_every_progress_note_newest_first(task, branch1, town1):
    _report(task, branch1, progress=20, note="开始流转土地")
    _report(task, town1, progress=40, actual_value="25", note="已流转 25 亩")
    _report(task, branch1, progress=45)
    rows = list(selectors.task_reports(town1, task).values_list("progress", "note", "reported_by__username"))
    assert rows == [(45, "", "branch1"), (40, "已流转 25 亩", "town1"), (20, "开始流转土地", "branch1")]


def test_it_refuses_a_note_over_500_characters(task, branch1):
    with pytest.raises(Exception, match=tasks.ERR_NOTE_LONG):
        _report(task, branch1, note="长" * 501)
    assert not ProgressReport.objects.exists()


def test_it_shows_the_progress_notes_on_the_task_page(task, as_user, branch1, town1):
    _report(task, branch1, progress=20, note="开始流转土地")
    _report(task, branch1, progress=40, note="已流转 25 亩，\n剩余 35 亩下月完成")
    page = as_user(town1).get(reverse("rectification:task_detail", args=[task.pk])).content.decode()
    history = page.split('data-testid="progress-history"')[1]
    assert history.index("已流转 25 亩") < history.index("开始流转土地")
    assert "剩余 35 亩下月完成" in history


def test_it_returns_the_progress_notes_in_the_api(task, branch1, town1):
    _report(task, branch1, progress=20, note="开始流转土地")
    _report(task, branch1, progress=40)
    body = _api(town1).get(f"/tasks/{task.pk}").json()
    assert body["latest_note"] == "开始流转土地"
    assert [(r["progress"], r["note"]) for r in body["progress_reports"]] == [(40, ""), (20, "开始流转土地")]
    paged = _api(town1).get(f"/tasks/{task.pk}/progress-reports").json()
    assert paged["count"] == 2 and paged["items"][1]["reported_by"] == "branch1"


def test_it_offers_done_as_blocked_until_there_is_evidence(task, branch1, as_user):
    offers = {o.action: o for o in TASK_WORKFLOW.offers(task, branch1)}
    assert offers["complete"].blocked == ERR_DONE_NEEDS_EVIDENCE
    assert offers["complete"].remedy_url.endswith("#evidence")
    page = as_user(branch1).get(reverse("rectification:task_detail", args=[task.pk])).content.decode()
    assert f"标记完成：{ERR_DONE_NEEDS_EVIDENCE}" in page
    assert '<option value="done"' not in page
    tasks.evidence_add(task=task, actor=branch1, uploaded_file=upload("现场.png", png_bytes()))
    assert TASK_WORKFLOW.offers(task, branch1)[1].allowed
    assert '<option value="done"' in as_user(branch1).get(reverse("rectification:task_detail", args=[task.pk])).content.decode()


def test_it_returns_the_same_offers_in_the_api(task, branch1):
    body = _api(branch1).get(f"/tasks/{task.pk}").json()
    assert [t["action"] for t in body["transitions"]] == ["start"]
    assert [(t["action"], t["blocked"]) for t in body["blocked_transitions"]] == [("complete", ERR_DONE_NEEDS_EVIDENCE)]


def test_it_offers_the_branch_no_reopen_of_a_done_task_but_the_township_does(task, branch1, town1):
    tasks.evidence_add(task=task, actor=branch1, uploaded_file=upload("现场.png", png_bytes()))
    _report(task, branch1, status=TaskStatus.DONE)
    task.refresh_from_db()
    assert [o.action for o in TASK_WORKFLOW.offers(task, branch1) if o.allowed] == []
    assert [o.action for o in TASK_WORKFLOW.offers(task, town1) if o.allowed] == ["reopen", "reset"]


def test_it_records_the_extension_decision_as_an_event_and_offers_it_to_the_level_above(task, branch1, town1):
    extension = tasks.extension_request(
        task=task, actor=branch1, new_deadline=task.deadline + datetime.timedelta(days=10), reason="雨季"
    )
    assert [t["action"] for t in _api(town1).get(f"/extensions/{extension.pk}").json()["transitions"]] == ["approve", "refuse"]
    blocked = _api(branch1).get(f"/extensions/{extension.pk}").json()
    assert blocked["transitions"] == [] and blocked["blocked_transitions"] == []  # the branch holds no right to decide
    tasks.extension_decide(request=extension, actor=town1, approve=False, note="时限内可以完成")
    rows = list(ExtensionEvent.objects.filter(extension=extension).order_by("id").values_list("action", "to_state", "note"))
    assert rows == [("create", "pending", "雨季"), ("refuse", "refused", "时限内可以完成")]


def test_it_shows_overdue_by_one_rule_in_list_page_and_api(world, campaign, town1, as_user):
    late = make_task(approved_plan(campaign, world.village_e), days_left=-3, title="逾期任务甲")
    today = timezone.localdate()
    assert selectors.overdue_days(late, today) == 3
    assert list(selectors.overdue_tasks(town1, today)) == [late]
    assert _api(town1).get(f"/tasks/{late.pk}").json()["overdue_days"] == 3
    assert "已逾期 3 天" in as_user(town1).get(reverse("rectification:task_detail", args=[late.pk])).content.decode()


def test_it_lets_a_phone_take_the_evidence_photo_with_its_camera(task, as_user, branch1):
    page = as_user(branch1).get(reverse("rectification:task_detail", args=[task.pk])).content.decode()
    field = page.split('name="file"')[0].rsplit("<input", 1)[1] + page.split('name="file"')[1].split(">", 1)[0]
    assert 'capture="environment"' in field
    assert 'accept="image/*,' in field and ".pdf" in field
