"""Under the Content-Security-Policy (no inline script or style) the main pages
load without a single violation, htmx still swaps, and the confirmations that
were inline handlers still ask."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login
from tests.notices.notice_support import approved_plan, token_of
from zhengdun.accounts.services import token_create

pytestmark = pytest.mark.browser

# Chromium reports a refused script, style or image both as a console error and
# as a securitypolicyviolation event; the init script runs outside the policy.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watch:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(COLLECT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning") and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")
        self.assert_clean(path)

    def assert_clean(self, where: str) -> None:
        violations = self.page.evaluate("window.__cspViolations")
        assert (self.console, violations, self.errors) == ([], [], []), where


def test_the_main_pages_load_without_a_csp_violation_and_htmx_swaps(page, world, campaign):
    plan = approved_plan(campaign, world.village_e, published=True)
    task = plan.tasks.order_by("order").first()
    watch = Watch(page)
    login(page, "county")
    for path in (
        "/",
        f"/cases/{plan.case_id}/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/tasks/",
        f"/plans/tasks/{task.pk}/",
        "/ledger/",
        f"/plans/{plan.pk}/notice/",
        "/api/v1/docs",
        "/orgs/",
    ):
        watch.visit(path)

    # The organization tree opens a level by htmx: the swap still happens.
    page.get_by_role("button", name="展开").first.click()
    page.locator(".zd-tree ul ul li").first.wait_for()
    watch.assert_clean("the tree after an htmx swap")

    # The public notice, read without signing in.
    page.context.clear_cookies()
    watch.visit(f"/p/{token_of(plan)}/")
    assert page.get_by_test_id("plan-title").inner_text() == plan.title


def test_a_confirmation_that_was_an_inline_handler_still_asks(page, world, county):
    token, _ = token_create(user=county, actor=county, name="对接程序")
    watch = Watch(page)
    login(page, "county")
    watch.visit("/accounts/tokens/")
    answers = iter([False, True])
    questions: list[str] = []

    def answer(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept() if next(answers) else dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("button", name="吊销").click()
    token.refresh_from_db()
    assert questions == ["吊销后使用该令牌的程序将无法访问，确定吊销？"] and token.revoked_at is None
    with page.expect_navigation():
        page.get_by_role("button", name="吊销").click()
    token.refresh_from_db()
    assert len(questions) == 2 and token.revoked_at is not None
    watch.assert_clean("the tokens page after revoking")
