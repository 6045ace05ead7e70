"""The plan's status on core.workflow: event rows, offers shared by page and API,
and the defects of issue 7 in the plan pages (owner picker, criteria boxes, review wording)."""

import pytest
from django.urls import reverse

from tests.api.conftest import ApiClient
from tests.plans.plan_support import add_measure, ready_plan, review, screened_and_identified, submit
from zhengdun.accounts.models import ApiToken
from zhengdun.campaigns.models import Criterion
from zhengdun.core.errors import ServiceError
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import Person, Post
from zhengdun.plans import measures, services
from zhengdun.plans.forms import MeasureForm
from zhengdun.plans.models import PlanEvent, PlanStatus
from zhengdun.plans.selectors import measure_owners, plan_offers
from zhengdun.plans.transitions import PLAN_WORKFLOW


@pytest.fixture
def case(world, campaign, town1, county):
    return screened_and_identified(campaign, world.village_e, town1, county)


@pytest.fixture
def plan(case, branch1):
    # Drafted by the village's operator: nobody passes the review of a plan they drafted or submitted.
    return ready_plan(case, branch1)


def _api(user) -> ApiClient:
    _token, raw = ApiToken.issue(user, name="测试")
    return ApiClient(raw)


def test_it_writes_one_event_per_status_change_with_the_version_reviewed(plan, town1, county, branch1):
    plan = review(review(submit(plan, branch1), town1, "township"), county, "county")
    rows = list(PlanEvent.objects.filter(plan=plan).order_by("id").values_list("action", "from_state", "to_state", "data"))
    assert rows == [
        ("create", "", "draft", {}),
        ("submit", "draft", "submitted", {"version_number": 1}),
        ("township_pass", "submitted", "township_reviewed", {"version_number": 1}),
        ("county_pass", "township_reviewed", "approved", {"approved_version": plan.approved_version_id, "version_number": 1}),
    ]


def test_it_reopens_an_edited_approved_plan_along_the_table(plan, town1, county, branch1):
    plan = review(review(submit(plan, branch1), town1, "township"), county, "county")
    plan = services.plan_update(plan=plan, actor=town1, expected_version=plan.version, goals="修订目标：收入 12 万元。")
    event = PlanEvent.objects.filter(plan=plan).latest("id")
    assert (event.action, event.from_state, event.to_state, event.actor) == ("reopen", "approved", "draft", town1)
    assert plan.status == PlanStatus.DRAFT and plan.goals.startswith("修订目标")


def test_it_offers_each_persona_its_own_step(plan, town1, county, branch1):
    assert [o.action for o in plan_offers(branch1, plan)] == ["submit"]
    plan = submit(plan, branch1)
    assert [o.action for o in plan_offers(town1, plan)] == ["township_pass", "township_return"]
    assert plan_offers(branch1, plan) == []
    plan = review(plan, town1, "township")
    assert plan_offers(town1, plan) == []
    assert [o.action for o in plan_offers(county, plan)] == ["county_pass", "county_return"]


def test_it_never_offers_reopen_as_a_button(plan, town1, county, branch1):
    plan = review(review(submit(plan, branch1), town1, "township"), county, "county")
    assert "reopen" in [o.action for o in PLAN_WORKFLOW.offers(plan, town1)]
    assert plan_offers(town1, plan) == []


def test_it_returns_the_same_offers_in_the_api(plan, town1, county, branch1):
    plan = review(submit(plan, branch1), town1, "township")
    assert _api(town1).get(f"/plans/{plan.pk}").json()["transitions"] == []
    body = _api(county).get(f"/plans/{plan.pk}").json()
    assert [(t["action"], t["label"], t["note_required"]) for t in body["transitions"]] == [
        ("county_pass", "县级审批通过", False),
        ("county_return", "县级审批退回修改", True),
    ]


def test_it_refuses_a_stale_review_through_the_api_with_409(plan, town1, branch1):
    plan = submit(plan, branch1)
    seen = plan.version
    review(plan, town1, "township", "return", "请补充")
    response = _api(town1).post(f"/plans/{plan.pk}/reviews", {"level": "township", "decision": "pass", "version": seen})
    assert response.status_code == 409
    assert response.json()["detail"] == services.ERR_REVIEW_STALE


# Defect 12: after a county return the page must not say the approval was completed.


def test_it_tells_a_county_return_as_a_return(plan, as_user, town1, county, branch1):
    plan = review(submit(plan, branch1), town1, "township")
    page = as_user(county).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "县级审批（通过/退回）" in page and "批准/退回" not in page
    response = as_user(county).post(
        reverse("plans:review", args=[plan.pk, "county"]),
        {"version": plan.version, "decision": "return", "comments": "目标不够具体"},
        follow=True,
    )
    text = response.content.decode()
    assert "已完成县级审批" not in text
    assert "已退回修改（县级审批，第 1 版）" in text


def test_it_offers_pass_not_approve_on_the_county_review_form(plan, as_user, town1, county, branch1):
    plan = review(submit(plan, branch1), town1, "township")
    page = as_user(county).get(reverse("plans:review", args=[plan.pk, "county"])).content.decode()
    form = page.split('data-testid="review-form"')[1]
    assert "通过" in form and "批准" not in form


def test_it_reports_a_county_pass_as_passed(plan, as_user, town1, county, branch1):
    plan = review(submit(plan, branch1), town1, "township")
    response = as_user(county).post(
        reverse("plans:review", args=[plan.pk, "county"]), {"version": plan.version, "decision": "pass"}, follow=True
    )
    assert "县级审批通过（第 1 版）" in response.content.decode()


# Defect 11: each criterion box shows its item text, not only the category.


def test_it_shows_category_and_item_on_the_criteria_boxes(plan, as_user, town1):
    page = as_user(town1).get(reverse("plans:edit", args=[plan.pk])).content.decode()
    for criterion in Criterion.objects.filter(campaign_id=plan.case.campaign_id)[:6]:
        assert f"{criterion.code} {criterion.category}：{criterion.item}" in page


# Defect 2: the owner picker offers exactly the people saving accepts.


@pytest.fixture
def county_first_secretary(world, county):
    """A first secretary the county registered and posted to 东关村: outside the township's scope."""
    person = Person.objects.create(name="赵第一书记", organization=world.county_org)
    Post.objects.create(person=person, organization=world.village_e, role=PostRole.FIRST_SECRETARY)
    return person


def test_it_leaves_people_out_of_scope_out_of_the_owner_picker(plan, world, county_first_secretary, town1):
    form = MeasureForm(organization=world.village_e, user=town1)
    offered = list(form.fields["owner"].queryset)
    assert county_first_secretary not in offered
    assert world.secretary_e in offered
    with pytest.raises(ServiceError) as exc:
        measures.measure_save(
            plan=plan,
            actor=town1,
            task_id=None,
            title="x",
            owner_name="",
            owner=county_first_secretary,
            deadline=None,
            target="60 亩",
        )
    assert exc.value.message == measures.ERR_OWNER_PERSON


def test_it_offers_the_county_its_first_secretary_and_accepts_it(plan, world, county_first_secretary, county):
    offered = list(MeasureForm(organization=world.village_e, user=county).fields["owner"].queryset)
    assert county_first_secretary in offered
    assert set(offered) == set(measure_owners(county, world.village_e))


def test_it_puts_post_holders_first_and_leaves_other_villages_out(plan, world, town1):
    kept_only = Person.objects.create(name="阿档案员", organization=world.village_e)
    elsewhere = Person.objects.create(name="外村人", organization=world.village_w)
    offered = list(measure_owners(town1, world.village_e))
    assert elsewhere not in offered
    assert offered.index(world.secretary_e) < offered.index(kept_only)


def test_it_refuses_through_the_api_an_owner_the_picker_does_not_offer(plan, world, county_first_secretary, town1):
    body = {
        "title": "依托艾草产业发展集体经济",
        "owner_id": county_first_secretary.pk,
        "deadline": "2026-12-31",
        "target": "60 亩",
    }
    response = _api(town1).post(f"/plans/{plan.pk}/measures", body)
    assert response.status_code == 400
    assert response.json()["detail"] == measures.ERR_OWNER_PERSON


def test_it_offers_the_townships_own_cadres_and_accepts_them(plan, world, town1):
    organizer = Person.objects.create(name="钱组织委员", organization=world.town1_org)
    Post.objects.create(person=organizer, organization=world.town1_org, role=PostRole.ORGANIZER)
    offered = list(measure_owners(town1, world.village_e))
    assert offered.index(world.secretary_e) < offered.index(organizer)
    task = add_measure(plan, town1, owner_name="", owner=organizer)
    assert (task.owner, task.owner_name) == (organizer, "钱组织委员")
