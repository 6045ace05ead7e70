"""Defect 17 of issue 7: a plan whose six narrative sections were copied from
another village's approved plan, names swapped, scored 63% and was not flagged."""

from __future__ import annotations

from decimal import Decimal

from bench.copycheck_corpus.corpus import copy_of
from tests.copycheck.copycheck_support import corpus_plan, plan_from
from zhengdun.copycheck.index import index_plan, plan_fingerprint
from zhengdun.copycheck.models import SubmissionCheck
from zhengdun.copycheck.score import score
from zhengdun.copycheck.services import check_on_submit
from zhengdun.plans import services as plan_services

NARRATIVE = ["存在的问题", "问题原因", "整顿目标", "整改措施", "方法步骤", "整顿要求"]


def _overlap(first, second):
    mine, theirs = plan_fingerprint(first), plan_fingerprint(second)
    return score(mine.units, mine.union, theirs.union)


def test_it_flags_the_six_narrative_sections_copied_with_names_swapped(world, campaign, town2):
    original = plan_from(campaign, world.village_e, corpus_plan("dongguan"))
    index_plan(original)
    # 北河村 keeps 东关村's six narrative sections (its names and figures swapped)
    # and writes its own basic facts, leading group and tasks.
    copy = plan_from(campaign, world.village_n, copy_of(corpus_plan("dongguan"), corpus_plan("beihe"), "narrative_only"))
    assert _overlap(copy, original).jaccard < Decimal("0.7")  # what the check measured before: the 63%
    plan = plan_services.plan_submit(plan=copy, actor=town2, expected_version=copy.version)
    assert plan.similarity >= campaign.plan_similarity_threshold == Decimal("0.800")
    check = SubmissionCheck.objects.get(plan=plan)
    assert check.source_plan == original and check.score == plan.similarity
    assert [s["heading"] for s in check.sections] == NARRATIVE


def test_it_flags_a_whole_copy_with_a_few_sentences_changed(world, campaign):
    index_plan(plan_from(campaign, world.village_e, corpus_plan("dongguan")))
    copy = plan_from(campaign, world.village_n, copy_of(corpus_plan("dongguan"), corpus_plan("beihe"), "few_sentences"))
    assert check_on_submit(plan=copy) >= Decimal("0.8")


def test_it_catches_a_plan_made_of_another_plans_sections_by_containment(world, campaign):
    original = plan_from(campaign, world.village_e, corpus_plan("dongguan"))
    index_plan(original)
    subset = plan_from(campaign, world.village_n, copy_of(corpus_plan("dongguan"), corpus_plan("beihe"), "subset"))
    result = _overlap(subset, original)
    assert result.jaccard < Decimal("0.6") and result.containment >= Decimal("0.95")
    assert check_on_submit(plan=subset) == Decimal("1.000")
    assert [s["heading"] for s in SubmissionCheck.objects.get(plan=subset).sections] == ["整顿目标", "整改措施", "整顿要求"]


def test_it_does_not_flag_distinct_plans_sharing_the_usual_boilerplate(world, campaign):
    index_plan(plan_from(campaign, world.village_e, corpus_plan("dongguan")))
    index_plan(plan_from(campaign, world.village_w, corpus_plan("liuwan")))
    own = plan_from(campaign, world.village_n, corpus_plan("beihe"))
    assert _overlap(own, plan_from(campaign, world.village_m, corpus_plan("qingshan"))).value < Decimal("0.5")
    found = check_on_submit(plan=own)
    assert found is None or found < campaign.plan_similarity_threshold


def test_it_forgets_the_stored_result_when_a_resubmission_is_alike_to_nothing(world, campaign):
    index_plan(plan_from(campaign, world.village_e, corpus_plan("dongguan")))
    copy = plan_from(campaign, world.village_n, copy_of(corpus_plan("dongguan"), corpus_plan("beihe"), "names_figures"))
    check_on_submit(plan=copy)
    assert SubmissionCheck.objects.filter(plan=copy).exists()
    copy.tasks.all().delete()
    for key in ("basic_facts", "problems", "causes", "goals", "measures_text", "steps", "requirements", "leading_group"):
        setattr(copy, key, "")
    copy.problems = "见附件。"
    copy.save()
    assert check_on_submit(plan=copy) is None
    assert not SubmissionCheck.objects.filter(plan=copy).exists()
