"""Separation of duties on the plan: whoever drafted the plan or submitted the version
under review does not pass it, at the township nor at the county (issue 8 §2)."""

import pytest

from tests.plans.plan_support import ready_plan, review, screened_and_identified, submit
from zhengdun.core.errors import NotPermitted
from zhengdun.plans.guards import ERR_REVIEW_OWN_PLAN
from zhengdun.plans.models import PlanReview, PlanStatus
from zhengdun.plans.selectors import plan_offers


@pytest.fixture
def case(world, campaign, town1, county):
    return screened_and_identified(campaign, world.village_e, town1, county)


def test_the_drafter_cannot_pass_the_township_review(case, town1, branch1):
    plan = submit(ready_plan(case, town1), branch1)
    offers = {o.action: o for o in plan_offers(town1, plan)}
    assert offers["township_pass"].blocked == ERR_REVIEW_OWN_PLAN
    assert offers["township_return"].allowed  # sending it back for changes stays open
    with pytest.raises(NotPermitted, match=ERR_REVIEW_OWN_PLAN):
        review(plan, town1, "township")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and not PlanReview.objects.filter(plan=plan).exists()


def test_the_submitter_cannot_pass_the_township_review(case, town1, branch1, clerk1):
    plan = submit(ready_plan(case, branch1), town1)
    with pytest.raises(NotPermitted, match=ERR_REVIEW_OWN_PLAN):
        review(plan, town1, "township")
    plan = review(plan, clerk1, "township")
    assert plan.status == PlanStatus.TOWNSHIP_REVIEWED


def test_the_drafter_cannot_pass_the_county_approval(case, county, town1):
    plan = review(submit(ready_plan(case, county), county), town1, "township")
    assert {o.action: o.blocked for o in plan_offers(county, plan)}["county_pass"] == ERR_REVIEW_OWN_PLAN
    with pytest.raises(NotPermitted, match=ERR_REVIEW_OWN_PLAN):
        review(plan, county, "county")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.TOWNSHIP_REVIEWED and plan.approved_version is None


def test_the_api_says_why_in_chinese(case, town1, branch1):
    from tests.api.conftest import ApiClient
    from zhengdun.accounts.models import ApiToken

    plan = submit(ready_plan(case, town1), town1)
    _token, raw = ApiToken.issue(town1, name="测试")
    api = ApiClient(raw)
    body = api.get(f"/plans/{plan.pk}").json()
    assert {"action": "township_pass", "reason": ERR_REVIEW_OWN_PLAN} in [
        {"action": b["action"], "reason": b["blocked"]} for b in body["blocked_transitions"]
    ]
    refused = api.post(f"/plans/{plan.pk}/reviews", {"level": "township", "decision": "pass"})
    assert refused.status_code == 403 and refused.json()["detail"] == ERR_REVIEW_OWN_PLAN
