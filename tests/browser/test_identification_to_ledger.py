"""Issue 3's whole path in the browser: town1 screens and proposes three
villages, the county confirms two and returns one, and the county's ledger
downloads in the official layout."""

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import login
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState

pytestmark = pytest.mark.browser

LEDGER_HEADER = [
    "序号",
    "后进基层党组织名称",
    "党组织书记姓名",
    "党组织书记联系电话",
    "上级党组织名称",
    "主要问题",
    "整改措施",
    "联系领导",
]


def _screen_weak(page, code, evidence):
    page.locator(f"tr[data-org={code}]").get_by_role("link", name="登记排查记录").click()
    page.select_option("[name=method]", label="组织自查")
    page.select_option("[name=conclusion]", label="软弱涣散")
    page.locator("[data-criterion='1.4'] input[type=checkbox]").check()
    page.locator("[data-criterion='1.4'] textarea").fill(evidence)
    page.get_by_role("button", name="保存排查记录").click()
    page.wait_for_selector(".alert-success")
    page.locator(f"tr[data-org={code}]").get_by_role("button", name="提出拟定").click()
    page.wait_for_selector(".alert-success")


def test_it_goes_from_screening_to_the_printed_ledger(page, world, campaign):
    login(page, "town1")
    page.get_by_role("link", name="排查", exact=True).click()
    page.select_option("[name=campaign]", label=campaign.name)
    page.get_by_role("button", name="发起排查").click()
    page.wait_for_selector(".alert-success")
    for code, evidence in (("V0101", "两委班子长期不团结"), ("V0102", "书记辞职后工作停滞"), ("V0103", "组织生活不正常")):
        _screen_weak(page, code, evidence)
    page.get_by_role("button", name="退出").click()

    login(page, "county")
    page.get_by_role("link", name="认定", exact=True).click()
    proposals = page.get_by_test_id("proposals")
    for name in ("东关村党支部", "西关村党支部"):
        proposals.locator("tr", has_text=name).get_by_role("button", name="认定").click()
        page.wait_for_selector(".alert-success")
    row = page.get_by_test_id("proposals").locator("tr", has_text="南关社区党支部")
    row.locator("[name=note]").fill("社区换届后班子已健全，不属于软弱涣散")
    row.get_by_role("button", name="退回").click()
    page.wait_for_selector(".alert-success")
    states = dict(Case.objects.values_list("organization__code", "state"))
    assert states == {"V0101": CaseState.IDENTIFIED, "V0102": CaseState.IDENTIFIED, "V0103": CaseState.SCREENED}

    page.get_by_role("link", name="台账", exact=True).click()
    with page.expect_download() as info:
        page.get_by_test_id("ledger-download").click()
    data = io.BytesIO(open(info.value.path(), "rb").read())
    sheet = load_workbook(data).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    assert [str(v).replace("\n", "") for v in rows[header_at][:8]] == LEDGER_HEADER
    body = [r for r in rows[header_at + 1 :] if r[0] is not None]
    assert [r[1] for r in body] == ["东关村党支部", "西关村党支部"]
    assert body[0][3] == "13812345678" and "两委班子长期不团结" in body[0][5]
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
