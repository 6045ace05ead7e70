import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.plans.plan_support import add_measure, in_days, ready_plan, review, screened_and_identified, submit
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.organizations.models import Organization
from zhengdun.plans import services
from zhengdun.plans.models import FourReview, Plan, PlanSeen, PlanStatus, Task


@pytest.fixture
def case(world, campaign, town1, county):
    return screened_and_identified(campaign, world.village_e, town1, county)


@pytest.fixture
def plan(case, branch1):
    # Drafted by the village's operator: nobody passes the review of a plan they drafted or submitted.
    return ready_plan(case, branch1)


def _form(plan, **changes):
    data = {name: getattr(plan, name) for name in ("title", "basic_facts", "problems", "causes", "goals")}
    data.update(version=plan.version, criteria=[c.pk for c in plan.criteria.all()], **changes)
    return data


def test_it_links_the_case_page_to_drafting_then_to_the_plan(case, as_user, town1):
    client = as_user(town1)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("plans:for_case", args=[case.pk]) in page
    assert client.get(reverse("plans:for_case", args=[case.pk])).url == reverse("plans:create", args=[case.pk])
    page = client.get(reverse("plans:create", args=[case.pk])).content.decode()
    assert "书记于 2026 年 3 月辞职" in page
    response = client.post(reverse("plans:create", args=[case.pk]), {"start": "findings"})
    plan = Plan.objects.get(case=case)
    assert response.url == reverse("plans:edit", args=[plan.pk])
    assert plan.criteria.count() == 2
    assert client.get(reverse("plans:for_case", args=[case.pk])).url == reverse("plans:detail", args=[plan.pk])


def test_it_lets_the_branch_draft_in_the_browser(case, as_user, branch1):
    response = as_user(branch1).post(reverse("plans:create", args=[case.pk]), {"start": "blank"})
    assert response.status_code == 302
    assert Plan.objects.get(case=case).created_by == branch1


def test_it_saves_the_edit_form(plan, as_user, town1):
    response = as_user(town1).post(reverse("plans:edit", args=[plan.pk]), _form(plan, steps="分三步。"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.steps == "分三步。" and plan.criteria.count() == 2


def test_it_tells_a_stale_editor_and_keeps_both_texts(plan, as_user, town1, branch1):
    stale = _form(plan, goals="乡镇改的目标")
    services.plan_update(plan=plan, actor=branch1, expected_version=plan.version, goals="支部改的目标")
    response = as_user(town1).post(reverse("plans:edit", args=[plan.pk]), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "该方案已被他人修改" in page
    assert "乡镇改的目标" in page  # what the user typed is still in the form
    plan.refresh_from_db()
    assert plan.goals == "支部改的目标"


def test_it_adds_edits_and_deletes_measures_from_the_edit_page(plan, as_user, town1):
    client = as_user(town1)
    data = {"title": "发展年轻党员", "owner_name": "王建国", "deadline": in_days(60).isoformat(), "target": "发展党员 2 名"}
    assert client.post(reverse("plans:measure_add", args=[plan.pk]), data).status_code == 302
    task = Task.objects.get(plan=plan, title="发展年轻党员")
    response = client.post(reverse("plans:measure_edit", args=[plan.pk, task.pk]), data | {"target": "", "version": 1})
    assert response.status_code == 400
    assert "请填写可衡量的目标" in response.content.decode()
    client.post(reverse("plans:measure_edit", args=[plan.pk, task.pk]), data | {"owner_name": "李四", "version": 1})
    task.refresh_from_db()
    assert task.owner_name == "李四"
    client.post(reverse("plans:measure_delete", args=[plan.pk, task.pk]))
    assert not Task.objects.filter(pk=task.pk).exists()


def test_it_walks_the_review_in_the_browser(case, plan, as_user, town1, county, branch1):
    town, cty = as_user(town1), as_user(county)
    as_user(branch1).post(reverse("plans:submit", args=[plan.pk]), {"version": plan.version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    response = town.post(reverse("plans:review", args=[plan.pk, "township"]), {"version": plan.version, "decision": "return"})
    assert response.status_code == 400
    assert "退回修改须填写审核意见" in response.content.decode()
    town.post(reverse("plans:review", args=[plan.pk, "township"]), {"version": plan.version, "decision": "pass"})
    plan.refresh_from_db()
    assert cty.get(reverse("plans:review", args=[plan.pk, "township"])).status_code == 200
    assert town.get(reverse("plans:review", args=[plan.pk, "county"])).status_code == 403
    cty.post(reverse("plans:review", args=[plan.pk, "county"]), {"version": plan.version, "decision": "pass", "comments": "同意"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert Case.objects.get(pk=case.pk).state == CaseState.PLAN_APPROVED
    page = town.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "已批准" in page and "同意" in page


def test_it_shows_submission_gaps_as_a_message(case, as_user, town1):
    plan = services.plan_create(case=case, actor=town1)
    response = as_user(town1).post(reverse("plans:submit", args=[plan.pk]), {"version": plan.version}, follow=True)
    assert "方案还不完整，不能提交审核：请填写存在的问题" in response.content.decode()


def test_it_shows_a_reviewer_only_what_changed_since_they_last_looked(plan, as_user, town1, county, branch1):
    plan = review(submit(plan, branch1), town1, "township")
    cty = as_user(county)
    first = cty.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-diff"' not in first  # nothing seen before: no comparison
    assert PlanSeen.objects.get(plan=plan, user=county).version_number == 1
    plan = review(plan, county, "county", "return", "目标要量化")
    plan = services.plan_update(plan=plan, actor=town1, expected_version=plan.version, goals="收入达到 <b>12</b> 万元。")
    plan = review(submit(plan, branch1), town1, "township")
    page = cty.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    diff = page[page.index('data-testid="plan-diff"') : page.index("</section>")]
    assert "与第 1 版（您上次查看的版本）相比的修改" in diff
    assert 'data-section="goals"' in diff
    assert "&lt;b&gt;12&lt;/b&gt;" in diff and "<b>12</b>" not in diff
    for unchanged in ("basic_facts", "problems", "causes", "measures", "title"):
        assert f'data-section="{unchanged}"' not in diff
    assert PlanSeen.objects.get(plan=plan, user=county).version_number == 2
    again = cty.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "与第 2 版" in again and "没有变化" in again


def test_it_shows_a_stored_version(plan, as_user, town1, branch1):
    plan = submit(plan, branch1)
    page = as_user(town1).get(reverse("plans:version", args=[plan.pk, 1])).content.decode()
    assert "第 1 版" in page and "年内选齐配强书记" in page
    assert as_user(town1).get(reverse("plans:version", args=[plan.pk, 9])).status_code == 404


def test_it_records_four_reviews_from_the_plan_page(plan, as_user, county, inspector1):
    year = timezone.localdate().year
    response = as_user(county).post(
        reverse("plans:four_review", args=[plan.case_id]),
        {"item": "team", "year": year, "reviewed_on": timezone.localdate().isoformat(), "next": "plan"},
    )
    assert response.url == reverse("plans:detail", args=[plan.pk])
    assert FourReview.objects.get().item == "team"
    page = as_user(county).get(reverse("plans:four_review", args=[plan.case_id])).content.decode()
    assert page.count("已审") == 1 and page.count("未审") == 3
    denied = as_user(inspector1).post(reverse("plans:four_review", args=[plan.case_id]), {"item": "funds", "year": year})
    assert denied.status_code == 403
    assert FourReview.objects.count() == 1


def test_it_hides_town1s_plan_pages_from_town2(plan, as_user, town2):
    client = as_user(town2)
    for name in ("plans:detail", "plans:edit"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    assert client.post(reverse("plans:submit", args=[plan.pk]), {"version": plan.version}).status_code == 404
    assert "东关村" not in client.get(reverse("plans:list")).content.decode()


def test_it_filters_the_list_by_status(world, campaign, plan, as_user, town1, county, branch1):
    other = services.plan_create(case=screened_and_identified(campaign, world.village_w, town1, county), actor=town1)
    submit(plan, branch1)
    page = as_user(town1).get(reverse("plans:list"), {"status": "submitted"}).content.decode()
    assert plan.title in page and other.title not in page


def _grow(campaign, town1, n: int) -> None:
    parent = Organization.objects.get(code="T01")
    for i in range(n):
        org = Organization.objects.add_child(
            Organization.objects.get(pk=parent.pk), instance=Organization(code=f"P{i:03}", name=f"新{i}村党支部", parent=parent)
        )
        case = Case.objects.create(campaign=campaign, organization=org, state=CaseState.IDENTIFIED)
        new = Plan.objects.create(case=case, title=f"关于新{i}村党支部整顿提升工作的实施方案")
        add_measure(new, town1)


def test_it_lists_plans_in_a_fixed_number_of_queries(campaign, plan, as_user, town1):
    client = as_user(town1)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("plans:list")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    _grow(campaign, town1, 6)
    assert count() == few


def test_it_links_the_plan_list_to_overdue_tasks_extensions_and_comments(world, as_user, county, branch1):
    page = as_user(county).get(reverse("plans:list")).content.decode()
    for name in ("rectification:overdue", "rectification:extensions", "notices:comments"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("rectification:extensions")}"' not in as_user(branch1).get(reverse("plans:list")).content.decode()
