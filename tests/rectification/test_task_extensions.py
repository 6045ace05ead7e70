from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.urls import reverse

from tests.personas import PASSWORD
from tests.rectification.support import approved_plan, make_task, png_bytes, upload
from zhengdun.accounts.models import User
from zhengdun.accounts.roles import Role
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.plans.models import TaskStatus
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import ExtensionRequest, ExtensionStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(world, campaign):
    return make_task(approved_plan(campaign, world.village_e), days_left=5)


@pytest.fixture
def town1_colleague(world):
    """A second township operator at 城关镇: same level as town1, not above it."""
    user = User.objects.create_user(username="town1b", password=PASSWORD, organization=world.town1_org)
    user.groups.add(Group.objects.get(name=Role.TOWNSHIP_OPERATOR))
    return user


def _later(task, days=30):
    return task.deadline + datetime.timedelta(days=days)


def _ask(task, actor, days=30, reason="雨季无法施工"):
    return tasks.extension_request(task=task, actor=actor, new_deadline=_later(task, days), reason=reason)


def test_it_lets_the_township_approve_a_branch_request_and_moves_the_deadline(task, branch1, town1):
    old = task.deadline
    extension = _ask(task, branch1)
    tasks.extension_decide(request=extension, actor=town1, approve=True, note="同意")
    task.refresh_from_db()
    extension.refresh_from_db()
    assert task.deadline == old + datetime.timedelta(days=30) and task.version == 2
    assert (extension.status, extension.old_deadline, extension.decided_by) == (ExtensionStatus.APPROVED, old, town1)
    deadline_change = AuditEvent.objects.get(object_type="plans.task", object_id=str(task.pk))
    assert deadline_change.after == {"deadline": task.deadline.isoformat(), "version": 2}


def test_it_keeps_the_deadline_when_refused_and_needs_a_reason(task, branch1, town1):
    extension = _ask(task, branch1)
    with pytest.raises(ServiceError, match="不同意延期时请填写审批意见"):
        tasks.extension_decide(request=extension, actor=town1, approve=False)
    tasks.extension_decide(request=extension, actor=town1, approve=False, note="时限内可以完成")
    extension.refresh_from_db()
    task.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED and task.deadline == extension.old_deadline


def test_it_refuses_a_decision_from_the_same_level(task, town1, town1_colleague, county):
    extension = _ask(task, town1)
    with pytest.raises(NotPermitted, match="延期申请须由申请单位的上一级审批"):
        tasks.extension_decide(request=extension, actor=town1_colleague, approve=True)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING
    tasks.extension_decide(request=extension, actor=county, approve=True)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED


def test_it_never_lets_the_requester_decide_its_own(task, county):
    extension = _ask(task, county)
    with pytest.raises(NotPermitted, match="不能审批本人提出的延期申请"):
        tasks.extension_decide(request=extension, actor=county, approve=True)


def test_it_refuses_branch_operators_and_strangers_as_deciders(task, branch1, town1, town2):
    extension = _ask(task, town1)
    with pytest.raises(NotPermitted, match="您没有审批延期申请的权限"):
        tasks.extension_decide(request=extension, actor=branch1, approve=True)
    with pytest.raises(Http404):
        tasks.extension_decide(request=extension, actor=town2, approve=True)


def test_it_refuses_a_second_decision(task, branch1, town1, county):
    extension = _ask(task, branch1)
    tasks.extension_decide(request=extension, actor=town1, approve=False, note="不同意")
    with pytest.raises(ConflictError, match="该延期申请已处理（未同意）"):
        tasks.extension_decide(request=extension, actor=county, approve=True)
    task.refresh_from_db()
    assert task.deadline == extension.old_deadline


def test_it_wants_a_later_date_and_a_reason(task, branch1):
    with pytest.raises(ServiceError, match=f"申请延至的日期须晚于原完成时限（{task.deadline.isoformat()}）"):
        _ask(task, branch1, days=0)
    with pytest.raises(ServiceError, match="请填写延期理由"):
        _ask(task, branch1, reason="  ")
    assert not ExtensionRequest.objects.exists()


def test_it_allows_one_pending_request_at_a_time(task, branch1, town1):
    _ask(task, branch1)
    with pytest.raises(ServiceError, match="该任务已有待审批的延期申请，请等待审批结果"):
        _ask(task, town1, days=60)
    assert ExtensionRequest.objects.count() == 1


def test_it_needs_no_extension_for_a_done_task(task, branch1):
    tasks.evidence_add(task=task, actor=branch1, uploaded_file=upload("a.png", png_bytes()))
    tasks.task_progress(task=task, actor=branch1, expected_version=1, status=TaskStatus.DONE, progress=100)
    with pytest.raises(ServiceError, match="任务已完成，无需申请延期"):
        _ask(task, branch1)


def test_it_lists_requests_waiting_for_me_only(task, world, campaign, branch1, town1, town2, county, as_user):
    mine = _ask(task, branch1, reason="雨季无法施工")
    other = make_task(approved_plan(campaign, world.village_n), title="规范三会一课")
    _ask(other, town2, reason="换届推迟")
    page = as_user(town1).get(reverse("rectification:extensions")).content.decode()
    assert "雨季无法施工" in page and "换届推迟" not in page
    assert "换届推迟" in as_user(county).get(reverse("rectification:extensions")).content.decode()
    assert "雨季无法施工" not in as_user(branch1).get(reverse("rectification:extensions")).content.decode()
    assert mine.status == ExtensionStatus.PENDING


def test_it_decides_through_the_page(task, branch1, town1, as_user):
    extension = _ask(task, branch1)
    response = as_user(town1).post(
        reverse("rectification:extension_decide", args=[extension.pk]), {"decision": "approve", "note": ""}, follow=True
    )
    assert f"已同意延期：{task.title}" in response.content.decode()
    task.refresh_from_db()
    assert task.deadline == extension.new_deadline


def test_it_shows_a_wrong_level_refusal_on_the_page(task, town1, town1_colleague, as_user):
    extension = _ask(task, town1)
    response = as_user(town1_colleague).post(
        reverse("rectification:extension_decide", args=[extension.pk]), {"decision": "approve"}, follow=True
    )
    assert "延期申请须由申请单位的上一级审批" in response.content.decode()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING


def test_it_requests_through_the_page(task, branch1, as_user):
    client = as_user(branch1)
    url = reverse("rectification:extension_request", args=[task.pk])
    response = client.post(url, {"new_deadline": task.deadline.isoformat(), "reason": "x"})
    assert response.status_code == 400 and "申请延至的日期须晚于原完成时限" in response.content.decode()
    response = client.post(url, {"new_deadline": _later(task).isoformat(), "reason": "雨季"}, follow=True)
    assert "已提交延期申请，等待上级审批" in response.content.decode()
    assert ExtensionRequest.objects.get().requested_by == branch1
