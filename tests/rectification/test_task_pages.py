from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.rectification.support import approved_plan, make_task, png_bytes, upload
from zhengdun.plans.models import Task
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import ExtensionRequest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(world, campaign):
    return approved_plan(campaign, world.village_e)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_it_shows_the_board_with_overdue_tasks_in_red(plan, as_user, town1):
    late = make_task(plan, days_left=-3, title="规范三会一课", order=1)
    make_task(plan, days_left=10, title="流转土地种植艾草", order=2)
    page = as_user(town1).get(reverse("rectification:task_board", args=[plan.pk])).content.decode()
    assert "已逾期 3 天" in page
    assert page.count('class="table-danger"') == 1
    assert f'href="{reverse("rectification:task_detail", args=[late.pk])}">规范三会一课' in page
    assert "流转土地种植艾草" in page and "60亩" in page


def test_it_does_not_call_a_done_task_overdue(plan, as_user, branch1):
    task = make_task(plan, days_left=-3)
    tasks.evidence_add(task=task, actor=branch1, uploaded_file=upload("a.png", png_bytes()))
    Task.objects.filter(pk=task.pk).update(status="done", progress=100)
    page = as_user(branch1).get(reverse("rectification:task_board", args=[plan.pk])).content.decode()
    assert "已逾期" not in page


def test_it_badges_a_pending_extension_on_the_board(plan, as_user, branch1):
    task = make_task(plan, days_left=2)
    ExtensionRequest.objects.create(task=task, old_deadline=task.deadline, new_deadline=task.deadline, reason="x")
    assert "延期待审批" in as_user(branch1).get(reverse("rectification:task_board", args=[plan.pk])).content.decode()


def test_it_says_tasks_wait_for_approval(world, campaign, as_user, town1):
    draft = approved_plan(campaign, world.village_w, approved=False)
    task = make_task(draft)
    client = as_user(town1)
    assert "方案批准后才能填报" in client.get(reverse("rectification:task_board", args=[draft.pk])).content.decode()
    assert 'data-testid="progress-form"' not in client.get(reverse("rectification:task_detail", args=[task.pk])).content.decode()


def test_it_shows_the_forms_on_the_task_page(plan, as_user, branch1):
    task = make_task(plan)
    page = as_user(branch1).get(reverse("rectification:task_detail", args=[task.pk])).content.decode()
    assert 'name="version" value="1"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'data-testid="extension-form"' in page


def test_it_lists_overdue_tasks_of_my_subtree_only(plan, world, campaign, as_user, town1, county):
    make_task(plan, days_left=-7, title="规范三会一课")
    make_task(approved_plan(campaign, world.village_n), days_left=-2, title="北河村换届")
    page = as_user(town1).get(reverse("rectification:overdue")).content.decode()
    assert "规范三会一课" in page and "已逾期 7 天" in page and "北河村换届" not in page
    page = as_user(county).get(reverse("rectification:overdue")).content.decode()
    assert "北河村换届" in page and "已逾期 2 天" in page


def test_it_leaves_drafts_out_of_the_overdue_list(world, campaign, as_user, county):
    make_task(approved_plan(campaign, world.village_w, approved=False), days_left=-5, title="草稿任务")
    assert "草稿任务" not in as_user(county).get(reverse("rectification:overdue")).content.decode()


def test_it_answers_404_to_another_township(plan, as_user, town2):
    task = make_task(plan)
    client = as_user(town2)
    assert client.get(reverse("rectification:task_board", args=[plan.pk])).status_code == 404
    assert client.get(reverse("rectification:task_detail", args=[task.pk])).status_code == 404
    assert client.post(reverse("rectification:task_progress", args=[task.pk]), {"version": 1}).status_code == 404


def test_it_keeps_board_and_overdue_queries_flat(plan, as_user, county, branch1):
    client = as_user(county)
    board, overdue = reverse("rectification:task_board", args=[plan.pk]), reverse("rectification:overdue")

    def grow(n: int) -> None:
        for i in range(n):
            task = make_task(plan, days_left=-1 - i, order=i)
            tasks.evidence_add(task=task, actor=branch1, uploaded_file=upload("a.png", png_bytes()))
            ExtensionRequest.objects.create(task=task, old_deadline=task.deadline, new_deadline=task.deadline, reason="x")

    grow(1)
    client.get(board)  # warm per-process caches (content types, permissions)
    few = (_queries(client, board), _queries(client, overdue))
    grow(10)
    assert (_queries(client, board), _queries(client, overdue)) == few
