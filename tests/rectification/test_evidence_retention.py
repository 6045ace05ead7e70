"""Evidence is deleted softly (issue 8 §6): kept, hidden and not served for
FILE_RETENTION_DAYS, then removed by `manage.py purge_deleted_files`."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import BASE, ApiClient
from tests.rectification.support import approved_plan, make_task, png_bytes, upload
from zhengdun.accounts.models import ApiToken
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.system import SYSTEM
from zhengdun.plans.models import TaskStatus
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import Evidence
from zhengdun.rectification.rules import ERR_DONE_NEEDS_EVIDENCE


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(world, campaign):
    return make_task(approved_plan(campaign, world.village_e))


def _add(task, actor, name="合影.png"):
    return tasks.evidence_add(task=task, actor=actor, uploaded_file=upload(name, png_bytes()))


def _deleted(task, actor, *, days_ago: int) -> Evidence:
    evidence = _add(task, actor, f"{days_ago}天前删除.png")
    tasks.evidence_remove(evidence=evidence, actor=actor)
    Evidence.all_objects.filter(pk=evidence.pk).update(deleted_at=timezone.now() - datetime.timedelta(days=days_ago))
    return Evidence.all_objects.get(pk=evidence.pk)


def _purge() -> str:
    out = StringIO()
    call_command("purge_deleted_files", stdout=out)
    return out.getvalue()


def test_it_marks_a_deleted_file_with_who_and_when_and_keeps_it_on_disk(task, branch1):
    evidence = _add(task, branch1)
    path = Path(evidence.file.path)
    tasks.evidence_remove(evidence=evidence, actor=branch1, note="传错了")
    kept = Evidence.all_objects.get(pk=evidence.pk)
    assert kept.deleted_by == branch1 and kept.deleted_at is not None
    assert path.read_bytes() == png_bytes()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    event = AuditEvent.objects.get(object_type="rectification.evidence", action="delete")
    assert (event.before["deleted_at"], event.after["deleted_by_id"], event.note) == (None, branch1.pk, "传错了")


def test_it_refuses_to_delete_the_same_file_twice(task, branch1):
    evidence = _add(task, branch1)
    tasks.evidence_remove(evidence=evidence, actor=branch1)
    with pytest.raises(ConflictError, match="该佐证材料已被删除"):
        tasks.evidence_remove(evidence=evidence, actor=branch1)
    assert AuditEvent.objects.filter(object_type="rectification.evidence", action="delete").count() == 1


def test_it_hides_a_deleted_file_from_the_task_page_and_does_not_serve_it(task, branch1, as_user):
    evidence = _add(task, branch1, "已删除的合影.png")
    tasks.evidence_remove(evidence=evidence, actor=branch1)
    client = as_user(branch1)
    page = client.get(reverse("rectification:task_detail", args=[task.pk])).content.decode()
    assert "已删除的合影.png" not in page
    assert client.get(reverse("rectification:evidence", args=[evidence.pk])).status_code == 404
    board = client.get(reverse("rectification:task_board", args=[task.plan_id]))
    assert board.context["tasks"][0].evidence_count == 0


def test_the_api_neither_lists_nor_serves_a_deleted_file(task, branch1):
    evidence = _add(task, branch1)
    tasks.evidence_remove(evidence=evidence, actor=branch1)
    _token, raw = ApiToken.issue(branch1, name="测试")
    client = ApiClient(raw)
    assert client.get(f"/tasks/{task.pk}").json()["evidence"] == []
    response = client.client.get(f"{BASE}/evidence/{evidence.pk}", headers=client.headers)
    assert response.status_code == 404
    assert client.delete(f"/evidence/{evidence.pk}").status_code == 404


def test_a_deleted_file_is_no_evidence_for_done(task, branch1):
    tasks.evidence_remove(evidence=_add(task, branch1), actor=branch1)
    with pytest.raises(ServiceError, match=ERR_DONE_NEEDS_EVIDENCE):
        tasks.task_progress(task=task, actor=branch1, expected_version=1, status=TaskStatus.DONE, progress=100)
    task.refresh_from_db()
    assert task.status != TaskStatus.DONE


def test_purge_removes_only_files_deleted_longer_ago_than_the_retention(
    task, branch1, settings, django_capture_on_commit_callbacks
):
    live = _add(task, branch1, "还在用.png")
    recent = _deleted(task, branch1, days_ago=179)
    old = _deleted(task, branch1, days_ago=181)
    old_path = Path(old.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        out = _purge()
    assert out.strip() == "已清除 1 个删除已满 180 天的文件"
    assert not old_path.exists() and not Evidence.all_objects.filter(pk=old.pk).exists()
    assert Path(recent.file.path).exists() and Evidence.all_objects.filter(pk=recent.pk).exists()
    assert Path(live.file.path).exists() and Evidence.objects.filter(pk=live.pk).exists()
    event = AuditEvent.objects.filter(object_type="rectification.evidence", object_id=str(old.pk)).latest("id")
    assert (event.action, event.actor_name, event.client_ip) == ("delete", "system", "manage.py")
    assert event.note == "清除删除已满 180 天的佐证材料：181天前删除.png"
    assert event.before["original_name"] == "181天前删除.png"


def test_purge_follows_FILE_RETENTION_DAYS(task, branch1, settings, django_capture_on_commit_callbacks):
    settings.FILE_RETENTION_DAYS = 7
    week_old = _deleted(task, branch1, days_ago=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert _purge().strip() == "已清除 1 个删除已满 7 天的文件"
    assert not Evidence.all_objects.filter(pk=week_old.pk).exists()
    assert not Path(week_old.file.path).exists()


def test_purge_with_nothing_due_changes_nothing(task, branch1):
    recent = _deleted(task, branch1, days_ago=1)
    before = AuditEvent.objects.count()
    assert _purge().strip() == "已清除 0 个删除已满 180 天的文件"
    assert Evidence.all_objects.filter(pk=recent.pk).exists() and AuditEvent.objects.count() == before


def test_only_the_system_purges(task, branch1, county):
    old = _deleted(task, branch1, days_ago=400)
    with pytest.raises(NotPermitted, match="只有系统可以清除已删除的佐证材料"):
        tasks.evidence_purge(actor=county)
    assert Evidence.all_objects.filter(pk=old.pk).exists()
    assert tasks.evidence_purge(actor=SYSTEM) == [old.file.name]
