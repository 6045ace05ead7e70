"""The comparison key: what survives of a plan's text when names, figures and punctuation go."""

from __future__ import annotations

from tests.copycheck.copycheck_support import SEED_000, SEED_002, sample_text
from zhengdun.copycheck.text import (
    NUMBER_TOKEN,
    ORG_TOKEN,
    PARENT_TOKEN,
    jaccard,
    names_for,
    normalise,
    shared_passages,
    shingles,
)


def test_it_maps_the_organizations_and_its_parents_names_to_tokens(world):
    assert names_for(world.village_e) == {"东关村": ORG_TOKEN, "东关": ORG_TOKEN, "城关镇": PARENT_TOKEN, "城关": PARENT_TOKEN}


def test_it_drops_whitespace_and_punctuation_and_neutralises_names_and_figures(world):
    text = "东关村党支部（城关镇）：\n现有党员 31 人，2025年收入4.9万元。"
    assert (
        normalise(text, names_for(world.village_e))
        == f"{ORG_TOKEN}党支部{PARENT_TOKEN}现有党员{NUMBER_TOKEN}人{NUMBER_TOKEN}年收入{NUMBER_TOKEN}万元"
    )


def test_it_reads_sample_placeholders_like_the_villages_own_name(world):
    own = normalise("结合西关村实际，西关村党支部、城关镇党委研究确定", names_for(world.village_w))
    assert normalise("结合*村实际，XX村党支部、XX镇党委研究确定") == own


def test_it_keeps_other_villages_names():
    assert "西关村" in normalise("与西关村结对共建")


def test_it_finds_passages_shared_in_another_order_and_maps_them_to_the_source_text(world):
    first, second = "选优配强村党支部班子，把致富能手培养成党员。", "规范三会一课制度，每月固定主题党日活动。"
    mine = f"东关村：{first}{second}"
    theirs = f"XX村情况如下。{second}另外，{first}"
    passages = shared_passages(mine, theirs, names_a=names_for(world.village_e))
    assert [mine[p.a[0] : p.a[1]] for p in passages] == [first.rstrip("。"), second.rstrip("。")]
    assert [theirs[p.b[0] : p.b[1]] for p in passages] == [first.rstrip("。"), second.rstrip("。")]
    assert [p.number for p in passages] == [1, 2]


def test_it_ignores_common_phrases_shorter_than_the_minimum():
    assert shared_passages("加强基层党组织建设。", "要加强基层党组织建设工作") == []


def test_it_tells_the_two_seed_plans_apart():
    key_000, key_002 = normalise(sample_text(SEED_000)), normalise(sample_text(SEED_002))
    assert jaccard(shingles(key_000), shingles(key_002)) < 0.1
