"""Copy detection at submission: calibration, the index, the campaign threshold, query counts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.core.management import call_command

from tests.copycheck.copycheck_support import (
    OWN_PROBLEMS,
    SEED_000,
    SEED_002,
    copied_plan,
    localised,
    plan_for,
    sample_text,
    sections_of,
    villages,
)
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.copycheck.index import index_plan, plan_fingerprint, sample_fingerprint, similar_plans
from zhengdun.copycheck.models import Band, Fingerprint
from zhengdun.copycheck.score import score
from zhengdun.copycheck.selectors import similar_box
from zhengdun.copycheck.services import check_on_submit
from zhengdun.plans.models import Task


def _score(first, second):
    """The symmetric overlap (Jaccard) of two plans, as the check measured it before containment."""
    mine, theirs = plan_fingerprint(first), plan_fingerprint(second)
    return score(mine.units, mine.union, theirs.union).jaccard


def test_it_scores_a_copy_with_another_village_name_and_figures_at_least_0_9(world, campaign):
    original = copied_plan(campaign, world.village_e, numbers_from=1)
    copy = copied_plan(campaign, world.village_n, numbers_from=2)
    assert _score(original, copy) >= Decimal("0.9")
    index_plan(original)
    assert check_on_submit(plan=copy) >= Decimal("0.9")


def test_it_scores_a_copy_with_one_section_rewritten_in_between(world, campaign):
    original = copied_plan(campaign, world.village_e, numbers_from=1)
    reworked = copied_plan(campaign, world.village_n, numbers_from=2, problems=OWN_PROBLEMS)
    assert Decimal("0.3") < _score(original, reworked) < Decimal("0.9")


def test_it_scores_the_two_seed_plans_below_0_3(world, campaign):
    seed_000 = copied_plan(campaign, world.village_e, SEED_000)
    seed_002 = copied_plan(campaign, world.village_n, SEED_002)
    assert _score(seed_000, seed_002) < Decimal("0.3")


def test_it_finds_the_shipped_sample_a_plan_was_copied_from(world, campaign):
    copy = copied_plan(campaign, world.village_w, SEED_002)
    assert check_on_submit(plan=copy) >= Decimal("0.9")
    [top] = similar_plans(copy, limit=1)
    assert (top.plan, top.sample) == (None, SEED_002)
    assert top.title == "关于XX村党支部整顿转化工作方案"


def test_it_returns_the_score_with_three_places(world, campaign):
    copied_plan(campaign, world.village_e, numbers_from=1)
    score = check_on_submit(plan=copied_plan(campaign, world.village_n, problems=OWN_PROBLEMS))
    assert score == score.quantize(Decimal("0.001")) and score.as_tuple().exponent == -3


def test_it_returns_none_for_a_text_too_short_to_judge_and_indexes_nothing(world, campaign):
    plan = plan_for(campaign, world.village_e, problems="见附件。")
    assert check_on_submit(plan=plan) is None
    assert not Band.objects.filter(plan=plan).exists()


def test_it_returns_none_when_nothing_is_alike(world, campaign):
    assert check_on_submit(plan=plan_for(campaign, world.village_n, problems=OWN_PROBLEMS)) is None


def test_it_replaces_a_plans_index_rows_when_it_is_submitted_again(world, campaign):
    plan = copied_plan(campaign, world.village_e)
    check_on_submit(plan=plan)
    first = set(Band.objects.filter(plan=plan).values_list("bucket", flat=True))
    assert first == plan_fingerprint(plan).band_keys()
    plan.problems = OWN_PROBLEMS
    plan.save()
    check_on_submit(plan=plan)
    second = set(Band.objects.filter(plan=plan).values_list("bucket", flat=True))
    assert second == plan_fingerprint(plan).band_keys() and first != second
    assert Fingerprint.objects.filter(plan=plan).count() == 1


def test_it_compares_only_with_plans_of_the_same_campaign(world, campaign, county):
    other_campaign = campaign_create_from_template(
        template_key="county_backward_2014", scope=world.county_org, start_year=2026, actor=county
    )
    index_plan(copied_plan(other_campaign, world.village_e, numbers_from=1))
    copy = copied_plan(campaign, world.village_n, numbers_from=2)
    assert [m.plan for m in similar_plans(copy) if m.plan is not None] == []


def test_it_lists_matches_from_the_campaigns_threshold(world, campaign, county):
    index_plan(copied_plan(campaign, world.village_e, numbers_from=1))
    reworked = copied_plan(campaign, world.village_n, numbers_from=2, problems=OWN_PROBLEMS)
    score = similar_plans(reworked, limit=1)[0].score
    campaign.plan_similarity_threshold = score + Decimal("0.01")
    campaign.save()
    reworked.case.campaign.refresh_from_db()
    assert [m.match.plan for m in similar_box(county, reworked).matches if m.match.plan] == []
    campaign.plan_similarity_threshold = score
    campaign.save()
    reworked.case.campaign.refresh_from_db()
    assert [m.match.plan.case.organization for m in similar_box(county, reworked).matches if m.match.plan] == [world.village_e]


def test_it_indexes_the_shipped_samples_lazily(world, campaign):
    assert not Fingerprint.objects.filter(plan__isnull=True).exists()
    similar_plans(copied_plan(campaign, world.village_e))
    assert set(Fingerprint.objects.filter(plan__isnull=True).values_list("sample", flat=True)) == {SEED_000, SEED_002}
    bands = sum(len(sample_fingerprint(sample_text(name)).band_keys()) for name in (SEED_000, SEED_002))
    assert Band.objects.filter(plan__isnull=True).count() == bands


def test_it_reindexes_samples_by_command_and_drops_those_no_longer_shipped(db):
    Fingerprint.objects.create(sample="withdrawn", hashes=b"", text="")
    Band.objects.create(sample="withdrawn", bucket="00")
    out = io.StringIO()
    call_command("index_plan_samples", stdout=out)
    assert out.getvalue() == f"已建立范本索引：{SEED_000}、{SEED_002}\n"
    assert set(Fingerprint.objects.values_list("sample", flat=True)) == {SEED_000, SEED_002}
    assert not Band.objects.filter(sample="withdrawn").exists()


def test_it_finds_candidates_in_the_same_number_of_queries_however_many_plans_are_indexed(
    world, campaign, django_assert_max_num_queries
):
    probe = copied_plan(campaign, world.village_e)
    probe = type(probe).objects.select_related("case__organization__parent").get(pk=probe.pk)
    similar_plans(probe)  # the samples are indexed on first use, not counted here
    counts = []
    for count, prefix in ((2, "甲"), (30, "乙")):
        for village in villages(world.town2_org, count, prefix):
            index_plan(copied_plan(campaign, village, numbers_from=village.pk))
        with django_assert_max_num_queries(5) as captured:
            assert similar_plans(probe)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_it_compares_the_measures_written_as_tasks(world, campaign):
    first = plan_for(campaign, world.village_e, problems=OWN_PROBLEMS)
    second = plan_for(campaign, world.village_n, problems=OWN_PROBLEMS.replace("北河村", "中河村")[::-1])
    for plan, owner in ((first, "王建国"), (second, "李四")):
        measures = sections_of(localised(sample_text(SEED_000), plan.case.organization))["measures_text"]
        for n, line in enumerate(measures.splitlines()):
            Task.objects.create(
                plan=plan,
                order=n,
                title=line[:60],
                detail=line[60:],
                owner_name=owner,
                deadline=date(2026, 12, 31),
                target="按期完成",
            )
    assert _score(first, second) >= Decimal("0.7")
