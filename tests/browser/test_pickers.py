import pytest

from tests.browser.conftest import login
from zhengdun.cases.models import Case

pytestmark = pytest.mark.browser


def test_it_chooses_an_organization_by_typing_and_confirms_it_by_name(page, world, campaign, live_server):
    login(page, "county")
    page.goto(f"/cases/identification/?campaign={campaign.pk}")
    form = page.get_by_test_id("dynamic-add")
    form.get_by_test_id("search-organization").type("中河")
    options = form.locator("select[name=organization] option")
    page.wait_for_function(
        "() => { const o = document.querySelectorAll('select[name=organization] option');"
        " return o.length === 1 && o[0].textContent.includes('中河村党支部'); }"
    )
    assert options.first.inner_text() == "中河村党支部（河口镇）"
    form.locator("select[name=organization]").select_option(label="中河村党支部（河口镇）")
    form.locator("[name=note]").fill("信访核查发现班子软弱")
    form.get_by_role("button", name="下一步：核对").click()
    assert "中河村党支部" in page.get_by_test_id("dynamic-org").inner_text()
    assert not Case.objects.exists()
    page.get_by_role("button", name="确认增补认定").click()
    page.wait_for_selector(".alert-success")
    assert Case.objects.get(organization=world.village_m).state == "identified"
