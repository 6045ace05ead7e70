import pytest

from tests.browser.conftest import login
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.screening.models import ScreeningRecord

pytestmark = pytest.mark.browser


def test_it_screens_a_village_and_proposes_it(page, world, campaign):
    login(page, "town1")
    page.get_by_role("link", name="排查", exact=True).click()
    page.select_option("[name=campaign]", label=campaign.name)
    page.get_by_role("button", name="发起排查").click()
    page.wait_for_selector(".alert-success")
    row = page.locator("tr[data-org=V0102]")
    assert "书记空缺" in row.inner_text()
    row.get_by_role("link", name="登记排查记录").click()

    page.select_option("[name=method]", label="实地调查")
    page.select_option("[name=conclusion]", label="软弱涣散")
    page.locator("[data-criterion='1.2'] input[type=checkbox]").check()
    page.get_by_role("button", name="保存排查记录").click()
    assert "请填写认定标准 1.2 的事实依据" in page.locator(".alert-danger").inner_text()
    page.locator("[data-criterion='1.2'] textarea").fill("原书记今年 3 月辞职，至今未补选")
    page.get_by_role("button", name="保存排查记录").click()
    page.wait_for_selector(".alert-success")

    row = page.locator("tr[data-org=V0102]")
    assert "软弱涣散" in row.inner_text()
    row.get_by_role("button", name="提出拟定").click()
    page.wait_for_selector(".alert-success")
    assert page.locator("tr[data-org=V0102]").get_by_test_id("case-state").inner_text() == "拟定待认定"
    case = Case.objects.get(organization=world.village_w)
    assert case.state == CaseState.PROPOSED
    assert case.screening_record == ScreeningRecord.objects.get(organization=world.village_w)
    assert "原书记今年 3 月辞职" in case.main_problems
