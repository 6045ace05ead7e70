import pytest

from tests.browser.conftest import login
from tests.plans_support import approved_plan
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState

pytestmark = pytest.mark.browser


def _do(page, label, **fields):
    page.get_by_test_id("case-actions").get_by_role("link", name=label, exact=True).click()
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.get_by_role("button", name=f"确认{label}").click()
    page.wait_for_selector(".alert-success")


def test_it_walks_a_case_from_screening_to_delisting(page, world, campaign, live_server):
    login(page, "town1")
    page.goto(f"/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="列入组织").click()
    page.get_by_test_id("search-organization").type("东关")
    page.wait_for_function(
        "() => { const o = document.querySelectorAll('select[name=organization] option');"
        " return o.length === 1 && o[0].textContent.includes('东关村党支部'); }"
    )
    page.locator("select[name=organization]").select_option(label="东关村党支部（城关镇）")
    page.get_by_role("button", name="列入").click()
    page.wait_for_selector(".alert-success")
    _do(page, "提出拟定")
    case_url = page.url
    page.get_by_role("button", name="退出").click()

    login(page, "county")
    page.goto(case_url)
    _do(page, "认定备案", filed_on="2026-03-16")
    # The case is approved on the case page only with a plan the county has approved.
    case = Case.objects.get(organization=world.village_e)
    approved_plan(case, county=world.county, town=world.town1, move_case=False)
    page.reload()
    _do(page, "批准整顿方案")
    _do(page, "开始整顿")
    _do(page, "申请验收", note="整改任务全部完成")
    page.get_by_test_id("case-actions").get_by_role("link", name="验收通过并销号").click()
    page.fill("[name=note]", "验收合格")
    page.fill("[name=satisfaction]", "65")
    page.get_by_role("button", name="确认验收通过并销号").click()
    assert "低于本次整顿工作的合格线 70%" in page.locator(".alert-danger").inner_text()
    page.fill("[name=satisfaction]", "91")
    page.get_by_role("button", name="确认验收通过并销号").click()
    page.wait_for_selector(".alert-success")
    assert page.get_by_test_id("case-state").inner_text() == "已销号"
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "town1" in timeline and "county" in timeline and "验收合格" in timeline
    assert Case.objects.get(organization=world.village_e).state == CaseState.DELISTED


def test_it_shows_a_township_only_its_own_villages(page, world):
    login(page, "town2")
    page.goto("/orgs/?q=村")
    table = page.get_by_test_id("org-table").inner_text()
    assert "北河村党支部" in table and "东关村党支部" not in table
    response = page.goto(f"/orgs/{world.village_e.pk}/")
    assert response.status == 404
