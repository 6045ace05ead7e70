"""The public notice on a phone: read the plan without an account, leave a
comment with markup in it, and see it back as text once the township answers."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import login
from tests.notices.notice_support import approved_plan, token_of
from zhengdun.notices.models import CommentStatus, PublicComment

pytestmark = pytest.mark.browser

MARKUP = "<script>alert(1)</script><b>x</b>"
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def scroll_width(page: Any) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_it_takes_a_comment_on_a_phone_and_shows_the_answer_as_text(phone, page, world, campaign):
    plan = approved_plan(campaign, world.village_e, published=True)
    dialogs: list[str] = []
    phone.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    phone.goto(f"/p/{token_of(plan)}/")
    assert phone.get_by_test_id("plan-title").inner_text() == plan.title
    assert "流转土地种植艾草" in phone.get_by_test_id("measures").inner_text()
    assert scroll_width(phone) <= PHONE["width"]

    phone.fill("[name=body]", MARKUP)
    phone.fill("[name=author_name]", "老王")
    phone.get_by_role("button", name="提交意见").click()
    phone.wait_for_selector(".alert-success")
    comment = PublicComment.objects.get(plan=plan)
    assert comment.body == MARKUP and comment.status == CommentStatus.NEW

    login(page, "town1")
    page.goto(f"/plans/{plan.pk}/notice/")
    card = page.locator(f"#comment-{comment.pk}")
    assert MARKUP in card.inner_text()
    card.locator("[name=answer]").fill("已采纳，村务公开栏移到村口。")
    card.locator("[name=show_publicly]").check()
    card.get_by_role("button", name="答复").click()
    page.wait_for_selector(".alert-success")

    phone.goto(f"/p/{token_of(plan)}/")
    shown = phone.get_by_test_id("comment-body")
    assert shown.inner_text() == MARKUP
    assert shown.locator("b").count() == 0 and phone.locator("[data-testid=comment] script").count() == 0
    assert "&lt;b&gt;x&lt;/b&gt;" in phone.content()
    assert "已采纳" in phone.get_by_test_id("answered-comments").inner_text()
    assert scroll_width(phone) <= PHONE["width"]
    assert dialogs == []  # the script never ran
