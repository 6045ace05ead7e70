"""GET /plans/{plan_id}/similar: scores for all, other plans' texts only within scope."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiClient
from tests.copycheck.copycheck_support import (
    FAR_ONLY,
    OWN_PROBLEMS,
    SEED_000,
    copied_plan,
    localised,
    plan_for,
    reviewed_trio,
    sample_text,
    sections_of,
)
from zhengdun.accounts.models import ApiToken
from zhengdun.copycheck.index import index_plan
from zhengdun.copycheck.selectors import ERR_NOT_REVIEWER


@pytest.fixture
def plans(world, campaign):
    return reviewed_trio(world, campaign)


@pytest.fixture
def api_as():
    def make(user) -> ApiClient:
        _token, raw = ApiToken.issue(user, name="测试")
        return ApiClient(raw)

    return make


def test_it_lists_matches_with_scores_and_texts_in_scope_only(plans, town1, api_as):
    body = api_as(town1).get(f"/plans/{plans['mine'].pk}/similar").json()
    assert body["plan_id"] == plans["mine"].pk and body["threshold"] == "0.800"
    by_org = {m["organization"] or m["sample"]: m for m in body["matches"]}
    assert set(by_org) == {"西关村党支部", "北河村党支部", SEED_000}
    assert by_org["西关村党支部"]["in_scope"] and "西关村" in by_org["西关村党支部"]["text"]
    assert by_org["北河村党支部"] | {"text": None} == by_org["北河村党支部"] and not by_org["北河村党支部"]["in_scope"]
    assert by_org["北河村党支部"]["parent"] == "河口镇"
    assert by_org[SEED_000]["kind"] == "sample" and by_org[SEED_000]["text"].startswith("软弱涣散党组织整顿提升工作实施方案")
    assert all(float(m["score"]) >= 0.8 for m in body["matches"])


def test_it_gives_the_county_every_text(plans, county, api_as):
    body = api_as(county).get(f"/plans/{plans['mine'].pk}/similar").json()
    assert any(FAR_ONLY in (m["text"] or "") for m in body["matches"])


def test_it_takes_a_lower_bound_instead_of_the_threshold(plans, town1, api_as):
    body = api_as(town1).get(f"/plans/{plans['mine'].pk}/similar", min_score="0.99").json()
    assert [m["organization"] for m in body["matches"]] == ["西关村党支部"]


def test_it_answers_404_outside_the_callers_scope(plans, town2, api_as):
    response = api_as(town2).get(f"/plans/{plans['mine'].pk}/similar")
    assert response.status_code == 404 and response.json()["detail"] == "不存在或无权访问"


def test_it_answers_403_to_who_does_not_review_plans(plans, branch1, api_as):
    response = api_as(branch1).get(f"/plans/{plans['mine'].pk}/similar")
    assert response.status_code == 403 and response.json()["detail"] == ERR_NOT_REVIEWER


def test_it_answers_401_without_a_token(plans):
    assert ApiClient(None).get(f"/plans/{plans['mine'].pk}/similar").status_code == 401


def test_it_never_lists_another_subtrees_plan_below_the_threshold(world, campaign, county, town2, api_as):
    index_plan(copied_plan(campaign, world.village_e, numbers_from=1))
    # Only its goals copied, its problems its own: about 0.45, below the threshold.
    goals = sections_of(localised(sample_text(SEED_000), world.village_n))["goals"]
    probe = plan_for(campaign, world.village_n, problems=OWN_PROBLEMS, goals=goals)
    body = api_as(town2).get(f"/plans/{probe.pk}/similar", min_score="0.1").json()
    assert [m["kind"] for m in body["matches"]] == ["sample"]
    body = api_as(county).get(f"/plans/{probe.pk}/similar", min_score="0.1").json()
    assert sorted(m["kind"] for m in body["matches"]) == ["plan", "sample"]
