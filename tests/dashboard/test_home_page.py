"""The home page: each persona's to-do list above the summary, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboard.todo_support import PLAN_RETURN_NOTE, RETURN_NOTE, Busy, proposed
from tests.notices.notice_support import comment_on
from tests.personas import add_village
from tests.rectification.support import make_task

TOWN1_ORGS = ("西关村党支部", "南关社区党支部", "北关村党支部", "新庄村党支部", "柳林村党支部", "杨庄村党支部", "东关村党支部")


def home(client: Any) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_sends_a_visitor_to_the_login_page(client: Any, world: Any) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_town1_sees_its_work_with_links_and_reasons(busy: Busy, town1: Any, as_user: Any) -> None:
    page = home(as_user(town1))
    assert page.count('data-testid="todo-item"') == 5
    for text in ("北关村党支部", "柳林村党支部", PLAN_RETURN_NOTE, "南关社区党支部", RETURN_NOTE, "雨季施工推迟", "杨庄村党支部"):
        assert text in page
    assert reverse("plans:review", args=[busy.township_review.pk, "township"]) in page
    assert reverse("plans:edit", args=[busy.returned_plan.pk]) in page
    assert "中河村党支部" not in page


def test_the_county_sees_proposals_and_approvals(busy: Busy, county: Any, as_user: Any) -> None:
    page = home(as_user(county))
    assert reverse("cases:detail", args=[busy.proposal.pk]) in page
    assert reverse("plans:review", args=[busy.county_approval.pk, "county"]) in page
    assert PLAN_RETURN_NOTE not in page


def test_branch1_sees_its_tasks(busy: Busy, branch1: Any, as_user: Any) -> None:
    page = home(as_user(branch1))
    assert reverse("rectification:task_detail", args=[busy.overdue_task.pk]) in page
    assert reverse("rectification:task_detail", args=[busy.due_task.pk]) in page
    assert reverse("rectification:task_detail", args=[busy.later_task.pk]) not in page
    assert "已逾期 4 天" in page


def test_leader1_sees_its_linked_organizations_tasks(busy: Busy, leader1: Any, as_user: Any) -> None:
    page = home(as_user(leader1))
    assert reverse("rectification:task_detail", args=[busy.leader_task.pk]) in page
    assert page.count('data-testid="todo-item"') == 1


def test_the_inspector_gets_a_friendly_empty_list_and_the_summary(busy: Busy, inspector1: Any, as_user: Any) -> None:
    page = home(as_user(inspector1))
    assert 'data-testid="todo-empty"' in page
    assert "目前没有等待您处理的事项" in page
    assert 'data-testid="todo-item"' not in page
    assert "某县2026年软弱涣散农村基层党组织整顿提升两年行动" in page, "the campaigns stay below the list"
    assert "拟定待认定" in page, "so do the cases by state"


def test_town2_never_sees_town1s_items(busy: Busy, town2: Any, as_user: Any) -> None:
    page = home(as_user(town2))
    assert page.count('data-testid="todo-item"') == 1
    assert "中河村党支部" in page
    for name in TOWN1_ORGS:
        assert name not in page


def test_a_long_list_shows_the_first_items_and_links_to_the_rest(
    busy: Busy, county: Any, town1: Any, world: Any, campaign: Any, as_user: Any
) -> None:
    for n in range(6):
        proposed(campaign, add_village(world.town1_org, f"V09{n:02d}", f"新村{n}党支部"), town1)
    page = home(as_user(county))
    assert "还有 2 项，查看全部" in page
    assert f'href="{reverse("identification:queue")}"' in page


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        home(client)
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(
    busy: Busy, town1: Any, branch1: Any, county: Any, world: Any, campaign: Any, as_user: Any
) -> None:
    before = {user.username: _queries(as_user(user)) for user in (county, town1, branch1)}
    for n in range(8):
        proposed(campaign, add_village(world.town1_org, f"V09{n:02d}", f"新村{n}党支部"), town1)
        make_task(busy.due_task.plan, days_left=n - 3, order=10 + n, title=f"任务{n}")
        comment_on(busy.comment.plan, body=f"第{n}条意见：建议公开集体经济收支。", address=f"10.0.1.{n}")
    after = {user.username: _queries(as_user(user)) for user in (county, town1, branch1)}
    assert after == before
    assert max(after.values()) <= 20
