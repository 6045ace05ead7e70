"""Plans for copy-detection tests, built with the ORM from the shipped samples."""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Any

from bench.copycheck_corpus.corpus import CorpusPlan, distinct_plans
from tests.personas import add_village
from zhengdun.cases.models import Case
from zhengdun.copycheck.index import SAMPLE_DIR, index_plan
from zhengdun.organizations.models import Organization
from zhengdun.plans.models import Plan, Task

# Seed 000's sample (艾草村) and seed 002's (XX村, "请勿照搬照抄").
SEED_000 = "sample_aicao_village"
SEED_002 = "sample_xx_village"

_HEADING = re.compile(r"^[一二三四五六七八九十]+、(.+)$")
# Heading words of the samples -> the plan's section fields.
_FIELDS = (
    ("基本情况", "basic_facts"),
    ("问题", "problems"),
    ("原因", "causes"),
    ("目标", "goals"),
    ("措施", "measures_text"),
    ("步骤", "steps"),
    ("要求", "requirements"),
)

# A problems section written for 北河村 itself, to replace a copied one.
OWN_PROBLEMS = (
    "北河村地处河口镇东北部山区，村民居住分散，青壮年常年外出务工，留守村内的多为老人和儿童。"
    "村党支部现有党员二十二名，其中六十岁以上的占一半以上，近三年仅发展一名预备党员，后继乏人的问题突出。"
    "支部书记兼任村委会主任，本人经营一家砖厂，精力分散，每月到村办公的时间不足十天，群众反映办事找不到人。"
    "村里的核桃加工合作社因为管理不善连续两年亏损，拖欠社员货款四万余元，部分社员多次到镇里上访。"
    "村务公开栏长期没有更新，低保评定没有召开村民代表会议，群众对村干部的信任明显下降。"
    "去年汛期河堤冲毁后，村里没有及时组织党员群众抢修，而是等待上级拨款，耽误了秋季播种。"
)


def sample_text(name: str) -> str:
    return (SAMPLE_DIR / f"{name}.txt").read_text(encoding="utf-8")


def sections_of(text: str) -> dict[str, str]:
    """The sample's text cut at its "一、……" headings into the plan's sections."""
    sections: dict[str, list[str]] = {}
    current = "basic_facts"
    for line in text.splitlines():
        heading = _HEADING.match(line.strip())
        if heading:
            current = next((f for word, f in _FIELDS if word in heading.group(1)), "requirements")
            continue
        sections.setdefault(current, []).append(line)
    return {field: "\n".join(lines).strip() for field, lines in sections.items()}


def localised(text: str, org: Organization, numbers_from: int = 0) -> str:
    """The sample as a village would copy it: its own names, its own figures."""
    place = org.name.removesuffix("党支部")
    township = org.parent.name if org.parent else "某镇"
    text = re.sub(r"(?:\*|XX)村", place, text).replace("XX镇", township)
    counter = itertools.count(numbers_from * 7 + 3)
    return re.sub(r"\d+|XX", lambda m: str(next(counter) * 13 % 97 + 2), text)


def plan_for(campaign: Any, org: Organization, title: str = "", **sections: str) -> Plan:
    case, _ = Case.objects.get_or_create(campaign=campaign, organization=org)
    return Plan.objects.create(case=case, title=title or f"{org.name}整顿提升工作方案", **sections)


def copied_plan(campaign: Any, org: Organization, sample: str = SEED_000, numbers_from: int = 0, **changes: str) -> Plan:
    """A plan for `org` copied from a sample, with `changes` to some sections."""
    sections = sections_of(localised(sample_text(sample), org, numbers_from))
    sections.update(changes)
    return plan_for(campaign, org, **sections)


def corpus_plan(name: str) -> CorpusPlan:
    """A distinct plan of the calibration corpus (bench/copycheck_corpus/)."""
    return next(p for p in distinct_plans() if p.name == name)


def plan_from(campaign: Any, org: Organization, source: CorpusPlan) -> Plan:
    """A draft plan for `org` with a corpus plan's sections and tasks: ready to submit."""
    plan = plan_for(campaign, org, **source.sections)
    Task.objects.bulk_create(
        Task(plan=plan, order=n, title=title, detail=detail, target=target, owner_name="王建国", deadline=date(2026, 12, 31))
        for n, (title, detail, target) in enumerate(source.tasks)
    )
    return plan


# Text only 东关村 and 西关村 share (with markup, to be escaped), and text only 北河村 has.
HOSTILE = '<img src=x onerror="alert(1)">村民代表会议每季度召开一次，议事结果张榜公布接受监督。'
FAR_ONLY = "河口镇北河村独有的一段说明文字，不应让城关镇看到。"


def reviewed_trio(world: Any, campaign: Any) -> dict[str, Plan]:
    """town1's plan (东关村) under review, an indexed near copy in town1
    (西关村) and one in town2 (北河村), outside town1's scope."""
    mine = copied_plan(campaign, world.village_e, numbers_from=1, steps=HOSTILE)
    near = copied_plan(campaign, world.village_w, numbers_from=2, steps=HOSTILE)
    far = copied_plan(campaign, world.village_n, numbers_from=3, steps=FAR_ONLY)
    for plan in (near, far):
        index_plan(plan)
    mine = Plan.objects.select_related("case__campaign", "case__organization__parent").get(pk=mine.pk)
    return {"mine": mine, "near": near, "far": far}


_STEMS = "甲乙丙丁戊己庚辛壬癸"


def villages(parent: Organization, count: int, prefix: str = "新") -> list[Organization]:
    # No digits in the names: localised() rewrites digits as the plan's figures.
    made = []
    for n in range(count):
        name = f"{prefix}{_STEMS[n // 10 % 10]}{_STEMS[n % 10]}村党支部"
        made.append(add_village(parent, f"{parent.code}-{ord(prefix[0]):x}-{n:03d}", name))
    return made


def web_scoping_objects(campaign: Any, township: Organization) -> dict[str, Any]:
    """Kwargs of the similarity pages for tests/web/test_scoping_every_url.py,
    on villages of their own so they never collide with other pages' plans."""
    first, second = villages(township, 2, prefix="比")
    plan = copied_plan(campaign, first)
    other = copied_plan(campaign, second, numbers_from=1)
    index_plan(other)
    return {"copycheck:similar": plan.pk, "copycheck:similar_sample": plan.pk, "other_id": other.pk, "name": SEED_000}
