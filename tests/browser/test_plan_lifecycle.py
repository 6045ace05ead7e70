"""Issue 4's path in the browser: branch1 writes a plan and town1 passes it (nobody passes
their own plan, issue 8), the county returns it
once and approves it, the public reads it on a phone and comments, a task is
completed with a photo, and the plan downloads as a Word document."""

import datetime
import io

import pytest
from docx import Document

from tests.browser.conftest import login
from tests.rectification.support import png_bytes
from zhengdun.cases.states import CaseState
from zhengdun.identification.services import case_add_dynamic
from zhengdun.notices.models import PublicComment
from zhengdun.plans.models import Plan, PlanStatus, TaskStatus

pytestmark = pytest.mark.browser


def _fill(page, values):
    for name, value in values.items():
        page.fill(f"[name={name}]", value)


def _review(page, plan, level, decision, comments):
    page.goto(f"/plans/{plan.pk}/review/{level}/")
    page.check(f"[name=decision][value={decision}]")
    page.fill("[name=comments]", comments)
    page.get_by_role("button", name="提交审核意见").click()
    page.wait_for_selector(".alert-success")


def test_it_takes_a_plan_from_draft_to_public_notice_and_done_task(page, browser, world, campaign, county, live_server, tmp_path):
    case = case_add_dynamic(campaign=campaign, organization=world.village_e, actor=county, note="排查认定")
    deadline = datetime.date(campaign.end_year, 6, 30).isoformat()

    login(page, "branch1")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_test_id("case-plan-link").click()
    page.check("[name=start][value=blank]")
    page.get_by_role("button", name="开始起草").click()
    page.wait_for_selector(".alert-success")
    plan = Plan.objects.get(case=case)
    page.goto(f"/plans/{plan.pk}/edit/")
    _fill(
        page,
        {
            "problems": "村集体经济薄弱，主要依靠分红类收入。",
            "goals": "年内村集体经济收入达到 10 万元。",
            "steps": "摸底、整改、巩固三个阶段。",
        },
    )
    page.get_by_role("button", name="保存方案").click()
    page.wait_for_selector(".alert-success")
    form = page.get_by_test_id("measure-form")
    for name, value in {
        "title": "依托艾草产业壮大集体经济",
        "owner_name": "王建国",
        "deadline": deadline,
        "target": "流转土地 60 亩种植艾草，年增收 4.5 万元",
    }.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button", name="添加").click()
    page.wait_for_selector(".alert-success")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_test_id("plan-actions").get_by_role("button", name="提交审核").click()
    page.wait_for_selector(".alert-success")
    page.get_by_role("button", name="退出").click()
    login(page, "town1")
    _review(page, plan, "township", "pass", "同意上报")
    page.get_by_role("button", name="退出").click()

    login(page, "county")
    _review(page, plan, "county", "return", "措施须明确资金来源")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    page.get_by_role("button", name="退出").click()

    login(page, "branch1")
    page.goto(f"/plans/{plan.pk}/edit/")
    page.fill("[name=measures_text]", "争取县财政集体经济扶持资金 10 万元。")
    page.get_by_role("button", name="保存方案").click()
    page.wait_for_selector(".alert-success")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_test_id("plan-actions").get_by_role("button", name="提交审核").click()
    page.wait_for_selector(".alert-success")
    page.get_by_role("button", name="退出").click()
    login(page, "town1")
    _review(page, plan, "township", "pass", "已按意见修改")
    page.get_by_role("button", name="退出").click()

    login(page, "county")
    page.goto(f"/plans/{plan.pk}/")
    assert "争取县财政集体经济扶持资金" in page.get_by_test_id("plan-diff").inner_text()
    _review(page, plan, "county", "pass", "同意")
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and case.state == CaseState.PLAN_APPROVED

    page.goto(f"/plans/{plan.pk}/notice/")
    page.get_by_role("button", name="公示").click()
    public_url = page.get_by_test_id("public-url").inner_text()

    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True)
    visitor = phone.new_page()
    visitor.goto(public_url)
    assert "依托艾草产业壮大集体经济" in visitor.get_by_test_id("measures").inner_text()
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 375
    visitor.fill("[name=body]", "建议把艾草收购价格在村务公开栏公示。")
    visitor.get_by_role("button", name="提交意见").click()
    visitor.wait_for_selector(".alert-success")
    phone.close()
    assert PublicComment.objects.get(plan=plan).body == "建议把艾草收购价格在村务公开栏公示。"

    task = plan.tasks.get()
    page.goto(f"/plans/tasks/{task.pk}/")
    photo = tmp_path / "艾草基地.png"
    photo.write_bytes(png_bytes())
    page.get_by_test_id("evidence-form").locator("input[type=file]").set_input_files(str(photo))
    page.get_by_test_id("evidence-form").get_by_role("button", name="上传").click()
    page.wait_for_selector(".alert-success")
    form = page.get_by_test_id("progress-form")
    form.locator("[name=status]").select_option("done")
    form.locator("[name=progress]").fill("100")
    form.get_by_role("button", name="保存进度").click()
    page.wait_for_selector(".alert-success")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.evidence.count() == 1

    with page.expect_download() as info:
        page.goto(f"/plans/{plan.pk}/")
        page.get_by_role("link", name="下载 Word 文档").click()
    document = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert plan.title in text and "争取县财政集体经济扶持资金" in text
    assert document.tables and "依托艾草产业壮大集体经济" in document.tables[0].rows[1].cells[1].text
