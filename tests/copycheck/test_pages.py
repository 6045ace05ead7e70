"""The reviewer's view of copy detection: the include on the plan page and the side-by-side pages."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.copycheck.copycheck_support import FAR_ONLY, OWN_PROBLEMS, SEED_000, copied_plan, plan_for, reviewed_trio
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.copycheck.index import index_plan
from zhengdun.copycheck.selectors import OUT_OF_SCOPE_NOTE


@pytest.fixture
def plans(world, campaign):
    return reviewed_trio(world, campaign)


def _include(plan, user):
    return Template('{% include "copycheck/_similar.html" %}').render(Context({"plan": plan, "user": user}))


def test_it_lists_the_similar_plans_on_the_plan_page(plans, town1):
    html = _include(plans["mine"], town1)
    assert html.count('data-testid="similar-match"') == 3
    assert "西关村党支部" in html and "北河村党支部" in html and "范本" in html
    assert reverse("copycheck:similar", args=[plans["mine"].pk, plans["near"].pk]) in html
    assert reverse("copycheck:similar_sample", args=[plans["mine"].pk, SEED_000]) in html
    assert "不在您的管辖范围内，仅显示相似度" in html
    assert "提示阈值 80%" in html


def test_it_says_so_when_nothing_reaches_the_threshold(world, campaign, town1):
    plan = plan_for(campaign, world.village_e, problems=OWN_PROBLEMS)
    html = _include(plan, town1)
    assert 'data-testid="similar-match"' not in html and "未发现" in html


def test_it_shows_nothing_to_who_does_not_review_plans(plans, branch1):
    assert _include(plans["mine"], branch1).strip() == ""


def test_it_escapes_the_other_plans_title_in_the_list(plans, town1):
    plans["near"].title = "<script>alert('x')</script>"
    plans["near"].save()
    html = _include(plans["mine"], town1)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_it_shows_both_texts_side_by_side_with_shared_passages_marked(plans, town1, as_user):
    page = as_user(town1).get(reverse("copycheck:similar", args=[plans["mine"].pk, plans["near"].pk])).content.decode()
    assert page.count('data-passage="1"') == 2
    assert 'data-testid="similar-right"' in page and OUT_OF_SCOPE_NOTE not in page
    assert "东关村党支部" in page and "西关村党支部" in page


def test_it_escapes_markup_in_the_plan_texts(plans, town1, as_user):
    page = as_user(town1).get(reverse("copycheck:similar", args=[plans["mine"].pk, plans["near"].pk])).content.decode()
    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_it_shows_a_plan_outside_the_viewers_scope_by_name_and_score_only(plans, town1, as_user):
    page = as_user(town1).get(reverse("copycheck:similar", args=[plans["mine"].pk, plans["far"].pk])).content.decode()
    assert OUT_OF_SCOPE_NOTE in page and "北河村党支部" in page and 'data-testid="similarity-score"' in page
    assert FAR_ONLY not in page and 'data-testid="similar-right"' not in page


def test_it_shows_the_county_every_text(plans, county, as_user):
    page = as_user(county).get(reverse("copycheck:similar", args=[plans["mine"].pk, plans["far"].pk])).content.decode()
    assert FAR_ONLY in page and OUT_OF_SCOPE_NOTE not in page


def test_it_answers_404_for_an_unlike_plan_outside_the_viewers_scope(world, campaign, plans, town1, as_user):
    unlike = plan_for(campaign, world.village_m, problems=OWN_PROBLEMS)
    index_plan(unlike)
    assert as_user(town1).get(reverse("copycheck:similar", args=[plans["mine"].pk, unlike.pk])).status_code == 404


def test_it_answers_404_for_a_plan_of_another_campaign(world, plans, county, as_user):
    other_campaign = campaign_create_from_template(
        template_key="county_backward_2014", scope=world.county_org, start_year=2026, actor=county
    )
    elsewhere = copied_plan(other_campaign, world.village_w)
    assert as_user(county).get(reverse("copycheck:similar", args=[plans["mine"].pk, elsewhere.pk])).status_code == 404


def test_it_answers_404_for_a_plan_outside_the_viewers_scope(plans, town2, as_user):
    client = as_user(town2)
    assert client.get(reverse("copycheck:similar", args=[plans["mine"].pk, plans["far"].pk])).status_code == 404
    assert client.get(reverse("copycheck:similar_sample", args=[plans["mine"].pk, SEED_000])).status_code == 404


def test_it_answers_403_to_who_does_not_review_plans(plans, branch1, as_user):
    response = as_user(branch1).get(reverse("copycheck:similar", args=[plans["mine"].pk, plans["near"].pk]))
    assert response.status_code == 403


def test_it_compares_with_a_shipped_sample(plans, town1, as_user):
    page = as_user(town1).get(reverse("copycheck:similar_sample", args=[plans["mine"].pk, SEED_000])).content.decode()
    assert "软弱涣散党组织整顿提升工作实施方案" in page and 'data-passage="1"' in page


def test_it_answers_404_for_an_unknown_sample(plans, town1, as_user):
    assert as_user(town1).get(reverse("copycheck:similar_sample", args=[plans["mine"].pk, "nonesuch"])).status_code == 404
