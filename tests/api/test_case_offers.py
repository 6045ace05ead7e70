"""The API offers exactly the steps the case page offers (one selector: Workflow.offers)."""

from __future__ import annotations

import re

from django.urls import reverse

from zhengdun.cases import services


def _identified(world, campaign, town1, county):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = services.case_transition(case=case, action="propose", actor=town1)
    return services.case_transition(case=case, action="identify", actor=county)


def _page_actions(client, case):
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    return set(re.findall(rf"/cases/{case.pk}/do/([a-z_]+)/", page))


def test_a_case_awaiting_removal_answers_with_the_state_it_would_return_to(world, campaign, api_as, as_user, town1, county):
    case = _identified(world, campaign, town1, county)
    case = services.case_transition(case=case, action="request_removal", actor=town1, note="已整改到位")
    response = api_as(county).get(f"/cases/{case.pk}")
    assert response.status_code == 200
    offers = {t["action"]: t for t in response.json()["transitions"]}
    assert offers["reject_removal"]["target"] is None
    assert offers["reject_removal"]["target_label"] == "原状态（已认定备案）"
    assert set(offers) == _page_actions(as_user(county), case) == {"approve_removal", "reject_removal"}


def test_approval_without_a_county_approved_plan_is_blocked_alike_on_page_and_api(
    world, campaign, api_as, as_user, town1, county
):
    case = _identified(world, campaign, town1, county)
    body = api_as(county).get(f"/cases/{case.pk}").json()
    assert "approve_plan" not in {t["action"] for t in body["transitions"]}
    (blocked,) = [t for t in body["blocked_transitions"] if t["action"] == "approve_plan"]
    assert blocked["blocked"].startswith("整顿方案尚未经县级审批通过")
    assert blocked["remedy_url"] == reverse("plans:for_case", args=[case.pk])
    assert "approve_plan" not in _page_actions(as_user(county), case)
    assert {t["action"] for t in body["transitions"]} == _page_actions(as_user(county), case)
