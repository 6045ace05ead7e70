"""On a phone (375×812) the menu folds behind a button, pages fit the width,
and the home page is the persona's own to-do list."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login
from tests.dashboard.todo_support import PLAN_RETURN_NOTE, Busy, build_busy

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def busy(world: Any, campaign: Any) -> Busy:
    return build_busy(world, campaign)


def phone(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def assert_fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} 在手机上出现横向滚动（页面宽 {width}px）"


def test_town1_uses_the_menu_and_its_to_do_list_on_a_phone(busy: Busy, browser: Any, live_server: Any) -> None:
    page = phone(browser, live_server)
    login(page, "town1")
    todo = page.get_by_test_id("todo")
    assert todo.get_by_test_id("todo-item").count() == 5
    assert PLAN_RETURN_NOTE in todo.inner_text()
    assert_fits(page)

    menu = page.locator("#zd-menu")
    assert not menu.is_visible(), "the menu starts folded on a phone"
    page.get_by_test_id("menu-toggle").click()
    page.get_by_role("link", name="整顿方案").click()
    page.wait_for_url("**/plans/")
    assert_fits(page)
    assert not page.locator("#zd-menu").is_visible(), "a new page starts with the menu folded"

    for path in ("/cases/", "/orgs/", "/campaigns/", "/screening/", "/cases/identification/", "/ledger/", "/plans/comments/"):
        page.goto(path)
        assert_fits(page)

    page.goto("/")
    page.get_by_test_id("todo").get_by_role("link", name="去审核").click()
    page.wait_for_url(f"**/plans/{busy.township_review.pk}/review/township/")
    assert_fits(page)
    page.context.close()


def test_branch1_and_the_inspector_see_their_own_lists_on_a_phone(busy: Busy, browser: Any, live_server: Any) -> None:
    page = phone(browser, live_server)
    login(page, "branch1")
    items = page.get_by_test_id("todo-item")
    assert items.count() == 2
    assert "已逾期 4 天" in items.first.inner_text()
    items.first.get_by_role("link", name="去报进展").click()
    page.wait_for_url(f"**/plans/tasks/{busy.overdue_task.pk}/")
    assert_fits(page)
    page.get_by_test_id("menu-toggle").click()
    page.get_by_role("button", name="退出").click()

    login(page, "inspector1")
    assert page.get_by_test_id("todo-empty").is_visible()
    assert_fits(page)
    page.context.close()
