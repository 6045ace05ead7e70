import pytest

from tests.browser.conftest import login
from tests.roster.roster import org, xlsx
from zhengdun.organizations.models import Organization

pytestmark = pytest.mark.browser


def test_it_imports_a_roster_after_a_preview(page, world, tmp_path):
    good = tmp_path / "名册.xlsx"
    good.write_bytes(
        xlsx(
            org(
                "V0104",
                "新华村党支部",
                "T01",
                组织类型="党支部",
                所属领域="农村",
                党员数=26,
                书记姓名="赵红",
                书记电话="13912340000",
            ),
            org("V0105", "新华村第一党小组联合党支部", "V0104", 组织类型="联合党支部", 所属领域="农村"),
        )
    )
    bad = tmp_path / "错表.xlsx"
    bad.write_bytes(xlsx(org("V0106", "无名村党支部", "不存在的镇"), org("V0107", "负数村党支部", "T01", 党员数=-2)))

    login(page, "town1")
    page.goto("/orgs/")
    page.get_by_role("link", name="导入名册").click()
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_text("第 3 行").wait_for()
    errors = page.locator("main").inner_text()
    assert "第 2 行" in errors and "第 3 行" in errors
    assert page.get_by_role("button", name="确认导入").count() == 0

    page.goto("/orgs/import/")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_test_id("import-summary").wait_for()
    assert "新华村党支部" in page.locator("main").inner_text()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector(".alert-success")
    child = Organization.objects.get(code="V0105")
    assert child.parent.code == "V0104" and child.parent.parent == world.town1_org
    assert not Organization.objects.filter(code__in=["V0106", "V0107"]).exists()
