import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import api_client_for
from tests.plans.plan_support import add_measure, in_days, ready_plan, review, screened_and_identified, submit
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.organizations.models import Organization
from zhengdun.plans import measures, services
from zhengdun.plans.models import FourReview, Plan, PlanStatus, Task
from zhengdun.plans.schemas import MeasureIn, MeasurePatch


@pytest.fixture
def api_as(world):
    return api_client_for


@pytest.fixture
def case(world, campaign, town1, county):
    return screened_and_identified(campaign, world.village_e, town1, county)


@pytest.fixture
def plan(case, branch1):
    # Drafted by the village's operator: nobody passes the review of a plan they drafted or submitted.
    return ready_plan(case, branch1)


def _delete(api, path):
    return api._call("delete", path)


def test_it_drafts_edits_and_submits_through_the_api(case, api_as, branch1):
    api = api_as(branch1)
    created = api.post(f"/cases/{case.pk}/plan", {"from_findings": True})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["criteria"] == ["1.2", "2.4"]
    assert body["sections"]["basic_facts"].startswith("东关村现有居民 420 户")
    plan_id = body["id"]
    again = api.post(f"/cases/{case.pk}/plan", {})
    assert again.status_code == 400 and again.json()["detail"] == "该整顿对象已有整顿方案，不能重复制定，请在原方案上修改"
    patched = api.patch(f"/plans/{plan_id}", {"version": body["version"], "goals": "收入达到 10 万元。"})
    assert patched.status_code == 200 and patched.json()["sections"]["goals"] == "收入达到 10 万元。"
    measure = {"title": "种植艾草", "owner_name": "王建国", "deadline": in_days(30).isoformat(), "target": "种植 60 亩"}
    added = api.post(f"/plans/{plan_id}/measures", measure)
    assert added.status_code == 201 and added.json()["order"] == 1
    submitted = api.post(f"/plans/{plan_id}/submit", {"version": patched.json()["version"]})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["versions"][0]["number"] == 1


def test_it_answers_409_to_a_stale_patch_and_keeps_the_text(plan, api_as, town1, branch1):
    opened = plan.version
    services.plan_update(plan=plan, actor=branch1, expected_version=opened, goals="支部的目标")
    response = api_as(town1).patch(f"/plans/{plan.pk}", {"version": opened, "goals": "乡镇的目标"})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("该方案已被他人修改")
    plan.refresh_from_db()
    assert plan.goals == "支部的目标"


def test_it_answers_measure_rules_in_chinese(plan, api_as, town1):
    response = api_as(town1).post(f"/plans/{plan.pk}/measures", {"title": "种植艾草", "owner_name": "王建国"})
    assert response.status_code == 400
    assert response.json()["detail"] == "请填写完成时限"
    assert plan.tasks.count() == 1


def test_it_patches_and_deletes_a_measure(plan, api_as, town1):
    api = api_as(town1)
    task = plan.tasks.get()
    response = api.patch(f"/plans/{plan.pk}/measures/{task.pk}", {"version": task.version, "owner_name": "李四"})
    assert response.status_code == 200, response.content
    assert response.json()["owner_name"] == "李四" and response.json()["target"] == task.target
    stale = api.patch(f"/plans/{plan.pk}/measures/{task.pk}", {"version": task.version, "owner_name": "张三"})
    assert stale.status_code == 409
    assert _delete(api, f"/plans/{plan.pk}/measures/{task.pk}").status_code == 204
    assert not Task.objects.filter(pk=task.pk).exists()


def test_it_reviews_through_the_api_and_moves_the_case(case, plan, api_as, town1, county, branch1):
    plan = submit(plan, branch1)
    town = api_as(town1)
    missing = town.post(f"/plans/{plan.pk}/reviews", {"level": "township", "decision": "return"})
    assert missing.status_code == 400 and missing.json()["detail"] == "退回修改须填写审核意见，写明需要修改的内容"
    passed = town.post(f"/plans/{plan.pk}/reviews", {"level": "township", "decision": "pass"})
    assert passed.status_code == 201 and passed.json()["version_number"] == 1
    forbidden = town.post(f"/plans/{plan.pk}/reviews", {"level": "county", "decision": "pass"})
    assert forbidden.status_code == 403 and forbidden.json()["detail"] == "您没有县级审批整顿方案的权限"
    approved = api_as(county).post(f"/plans/{plan.pk}/reviews", {"level": "county", "decision": "pass", "comments": "同意"})
    assert approved.status_code == 201
    detail = town.get(f"/plans/{plan.pk}").json()
    assert detail["status"] == "approved" and detail["approved_version"] == 1
    assert [r["level"] for r in detail["reviews"]] == ["township", "county"]
    assert Case.objects.get(pk=case.pk).state == CaseState.PLAN_APPROVED


def test_it_returns_versions_and_the_diff(plan, api_as, town1, branch1):
    plan = review(submit(plan, branch1), town1, "township", "return", "补充步骤")
    services.plan_update(plan=plan, actor=town1, expected_version=plan.version, steps="分三个阶段。")
    api = api_as(town1)
    version = api.get(f"/plans/{plan.pk}/versions/1")
    assert version.status_code == 200 and version.json()["content"]["sections"]["steps"] == ""
    assert api.get(f"/plans/{plan.pk}/versions/7").status_code == 404
    diff = api.get(f"/plans/{plan.pk}/diff", since=1).json()
    assert [s["key"] for s in diff["sections"]] == ["steps"]
    assert "<ins" in diff["sections"][0]["html"]


def test_it_records_and_lists_four_reviews(case, api_as, county, inspector1):
    year = timezone.localdate().year
    response = api_as(county).post(f"/cases/{case.pk}/four-reviews", {"item": "funds", "year": year, "note": "资金已审"})
    assert response.status_code == 201
    assert [r["done"] for r in response.json()] == [False, False, True, False]
    denied = api_as(inspector1).post(f"/cases/{case.pk}/four-reviews", {"item": "team", "year": year})
    assert denied.status_code == 403 and denied.json()["detail"] == "您没有登记“四必审”的权限"
    assert FourReview.objects.count() == 1


def test_it_answers_404_to_town2(plan, api_as, town2):
    api = api_as(town2)
    assert api.get(f"/plans/{plan.pk}").status_code == 404
    assert api.patch(f"/plans/{plan.pk}", {"version": plan.version, "goals": "x"}).status_code == 404
    assert api.post(f"/plans/{plan.pk}/reviews", {"level": "township", "decision": "pass"}).status_code == 404
    assert api.get("/plans").json()["count"] == 0
    plan.refresh_from_db()
    assert plan.goals.startswith("年内")


def test_it_filters_and_pages_the_list_in_a_fixed_number_of_queries(world, campaign, plan, api_as, town1, branch1):
    api = api_as(town1)
    submit(plan, branch1)

    def count(**params) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/plans", **params)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    few, total = count()
    assert total == 1
    parent = Organization.objects.get(code="T01")
    for i in range(5):
        org = Organization.objects.add_child(
            Organization.objects.get(pk=parent.pk), instance=Organization(code=f"A{i:03}", name=f"甲{i}村党支部", parent=parent)
        )
        new = Plan.objects.create(
            case=Case.objects.create(campaign=campaign, organization=org, state="identified"), title=f"甲{i}"
        )
        add_measure(new, town1)
    many, total = count()
    assert (many, total) == (few, 6)
    assert count(status=PlanStatus.SUBMITTED)[1] == 1


def test_it_takes_every_measure_field_in_the_measure_bodies():
    # The bodies are written out as classes for the type checker; they must still name
    # every field of measures.FIELDS (a relation by its id), and a patch only those and the version.
    expected = [f"{name}_id" if Task._meta.get_field(name).is_relation else name for name in measures.FIELDS]
    assert list(MeasureIn.model_fields) == expected
    assert list(MeasurePatch.model_fields) == ["version", *expected]
    assert all(not field.is_required() for field in MeasurePatch.model_fields.values())
