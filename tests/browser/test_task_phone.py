"""Section 6 of issue 7: a village secretary records progress and attaches a
photo on a phone (375×812), and nothing on the task page scrolls sideways."""

import pytest

from tests.browser.conftest import login
from tests.rectification.support import approved_plan, make_task, png_bytes
from zhengdun.plans.models import TaskStatus
from zhengdun.rectification.models import ProgressReport

pytestmark = pytest.mark.browser

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def test_it_records_progress_and_a_photo_on_a_phone(browser, live_server, world, campaign, tmp_path):
    task = make_task(approved_plan(campaign, world.village_e))
    phone = browser.new_context(
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
    )
    phone.set_default_timeout(15_000)
    page = phone.new_page()
    try:
        login(page, "branch1")
        page.goto(f"/plans/tasks/{task.pk}/")
        assert page.evaluate(NO_SIDEWAYS)
        upload = page.get_by_test_id("evidence-form").locator("input[type=file]")
        assert upload.get_attribute("capture") == "environment"
        assert upload.get_attribute("accept").startswith("image/*")

        form = page.get_by_test_id("progress-form")
        box = form.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        form.locator("[name=status]").select_option("in_progress")
        form.locator("[name=progress]").fill("40")
        form.locator("[name=note]").fill("已流转土地 25 亩，剩余 35 亩下月完成")
        form.get_by_role("button", name="保存进度").click()
        page.wait_for_selector(".alert-success")
        assert "已流转土地 25 亩" in page.get_by_test_id("progress-history").inner_text()

        photo = tmp_path / "艾草基地.png"
        photo.write_bytes(png_bytes())
        page.get_by_test_id("evidence-form").locator("input[type=file]").set_input_files(str(photo))
        page.get_by_test_id("evidence-form").get_by_role("button", name="上传").click()
        page.wait_for_selector(".alert-success")
        assert page.get_by_test_id("evidence-list").locator("img").count() == 1
        assert page.evaluate(NO_SIDEWAYS)
    finally:
        phone.close()
    task.refresh_from_db()
    assert (task.status, task.progress, task.evidence.count()) == (TaskStatus.IN_PROGRESS, 40, 1)
    assert ProgressReport.objects.get(task=task).note == "已流转土地 25 亩，剩余 35 亩下月完成"
