"""Benchmark: copy detection (一村一策 in name only, zhengdun/copycheck/) in a campaign of N plans.

    .venv/bin/python bench/plan_similarity.py [--plans 10000] [--runs 7] [--copied 0.02]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengdun_bench_plans .venv/bin/python bench/plan_similarity.py

Builds a scratch database (a temporary SQLite file unless DATABASE_URL is set;
on PostgreSQL it uses that database as is, so point it at an empty scratch one)
with one campaign of N synthetic plans, their fingerprints and per-section
LSH bands, then times check_on_submit (index the plan, one candidate query,
score the candidates exactly, store the result) for a new plan: an original one, and a copy of a plan that a share
of the campaign (--copied) already copied, so its candidates are many. Prints
the median, the query count and the candidate count, and first a calibration
table of exact shingle Jaccard for shingle sizes 3, 4 and 5.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengdun.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["ZHENGDUN_DATA_DIR"] = tempfile.mkdtemp(prefix="zhengdun-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zhengdun.campaigns.models import Campaign  # noqa: E402
from zhengdun.cases.models import Case  # noqa: E402
from zhengdun.copycheck.index import (  # noqa: E402
    SAMPLE_DIR,
    Fingerprinted,
    candidates,
    fingerprint,
    index_shipped_samples,
    plan_fingerprint,
    similar_plans,
    text_sections,
)
from zhengdun.copycheck.models import Band, Fingerprint  # noqa: E402
from zhengdun.copycheck.services import check_on_submit  # noqa: E402
from zhengdun.copycheck.text import jaccard, names_for, normalise, shingles  # noqa: E402
from zhengdun.organizations.models import Organization  # noqa: E402
from zhengdun.plans.models import SECTIONS, Plan  # noqa: E402

STEP = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PLACE_CHARS = "东西南北中上下前后新老大小高低长安平和兴旺富强明光红星青山绿水金银石桥河湖沟岭坡岗塘湾坪庄寨堡店集埠口头"
SAMPLES = {path.stem: path.read_text(encoding="utf-8") for path in sorted(SAMPLE_DIR.glob("*.txt"))}
# Stock phrases every plan of the genre shares, and 2-3 character pieces from
# which each synthetic plan writes its "own" sentences.
CLAUSES = [c for text in SAMPLES.values() for c in re.split(r"[，。；！？\n]", text) if len(c) >= 6]
PIECES = [key[i : i + n] for key in (normalise(t) for t in SAMPLES.values()) for n in (2, 3) for i in range(0, len(key) - n, 5)]
PIECES = [p for p in PIECES if not re.search(r"[▣▤＃\d]", p)]


def _step(n: int) -> str:
    out = ""
    for _ in range(STEP):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def _place(n: int) -> str:
    size = len(PLACE_CHARS)
    return PLACE_CHARS[n % size] + PLACE_CHARS[n // size % size] + PLACE_CHARS[n // size // size % size]


def own_sentence(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(8, 14))) + "。"


def synthetic_sections(rng: random.Random, village: str) -> dict[str, str]:
    """About 3,000 characters: a third stock phrases, the rest the plan's own."""
    sections = {}
    for field, _ in SECTIONS:
        sentences = [rng.choice(CLAUSES) + "。" if rng.random() < 0.3 else own_sentence(rng) for _ in range(rng.randint(6, 12))]
        sentences.insert(rng.randrange(len(sentences)), f"{village}现有党员{rng.randint(10, 90)}名，")
        sections[field] = "".join(sentences)
    return sections


def localised_copy(sections: dict[str, str], source: str, village: str, rng: random.Random) -> dict[str, str]:
    """What copying looks like: another village's name, other figures."""
    return {f: re.sub(r"\d+", lambda _: str(rng.randint(1, 99)), t.replace(source, village)) for f, t in sections.items()}


def build(n_plans: int, copied: float, rng: random.Random) -> tuple[Campaign, list[Organization], dict[str, str], str]:
    call_command("migrate", verbosity=0)
    per_township = 20
    county = Organization(path=_step(1), depth=1, numchild=0, code="K", name="某县", level="county", kind="committee")
    rows = [county]
    villages: list[Organization] = []
    towns: list[Organization] = []  # each village's township, for names_for
    for t in range(-(-(n_plans + 2) // per_township)):
        town = Organization(
            path=county.path + _step(t + 1),
            depth=2,
            numchild=0,
            code=f"T{t}",
            name=f"{_place(t * 7 + 3)}镇",
            level="township",
            kind="committee",
        )
        rows.append(town)
        for v in range(per_township):
            n = t * per_township + v
            village = Organization(
                path=town.path + _step(v + 1),
                depth=3,
                numchild=0,
                code=f"V{n}",
                name=f"{_place(n)}村党支部",
                level="village",
                kind="branch",
                domain="rural",
            )
            villages.append(village)
            towns.append(town)
    Organization.objects.bulk_create(rows + villages, batch_size=2000)
    by_path = dict(Organization.objects.values_list("path", "id"))
    for org in rows + villages:
        org.id = by_path[org.path]
    for village, town in zip(villages, towns, strict=True):
        village.parent = town
    Organization.objects.bulk_update(
        [Organization(id=v.id, parent_id=v.parent.id) for v in villages]
        + [Organization(id=t.id, parent_id=county.id) for t in rows[1:]],
        ["parent"],
        batch_size=2000,
    )
    campaign = Campaign.objects.create(name="基准", scope=county, start_year=2026, end_year=2026, reporting_period="month")
    cases = Case.objects.bulk_create([Case(campaign=campaign, organization=v) for v in villages[:n_plans]], batch_size=2000)

    popular_village = villages[0].name.removesuffix("党支部")
    popular = synthetic_sections(rng, popular_village)
    plans = []
    for i, case in enumerate(cases):
        village = case.organization.name.removesuffix("党支部")
        sections = (
            localised_copy(popular, popular_village, village, rng)
            if i == 0 or rng.random() < copied
            else synthetic_sections(rng, village)
        )
        plans.append(Plan(case=case, title=f"{village}党支部整顿提升工作方案", status="submitted", **sections))
    plans = Plan.objects.bulk_create(plans, batch_size=1000)

    # The plans have no tasks: their sections are the whole text, as index_plan would read it.
    fps: list[Fingerprinted] = [
        fingerprint(text_sections({k: getattr(p, k) for k, _ in SECTIONS}, []), names_for(p.case.organization)) for p in plans
    ]
    Fingerprint.objects.bulk_create(
        [
            Fingerprint(plan=p, campaign=campaign, hashes=fp.union.tobytes(), text=fp.display)
            for p, fp in zip(plans, fps, strict=True)
        ],
        batch_size=1000,
    )
    band_rows = (
        Band(plan=p, campaign=campaign, bucket=bucket)
        for p, fp in zip(plans, fps, strict=True)
        for bucket in sorted(fp.band_keys())
    )
    batch: list[Band] = []
    for row in band_rows:
        batch.append(row)
        if len(batch) == 20_000:
            Band.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Band.objects.bulk_create(batch, batch_size=5000)
    index_shipped_samples()
    return campaign, villages[n_plans:], popular, popular_village


def timed(label: str, fn: Callable[[], Any], runs: int) -> None:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    print(f"{label:<52} median {statistics.median(times) * 1000:7.1f} ms   min {min(times) * 1000:7.1f} ms   queries {queries}")


def calibrate(rng: random.Random) -> None:
    """Exact Jaccard by shingle size for the cases the tests calibrate on."""
    a_names = {"东关村": "▣", "东关": "▣"}
    b_names = {"北河村": "▣", "北河": "▣"}
    seed_000, seed_002 = SAMPLES["sample_aicao_village"], SAMPLES["sample_xx_village"]
    copy_a = re.sub(r"\d+", "17", seed_000.replace("*村", "东关村"))
    copy_b = re.sub(r"\d+", "42", seed_000.replace("*村", "北河村"))
    problems = seed_000.index("二、存在的问题"), seed_000.index("三、整改措施")
    own = "".join(own_sentence(rng) for _ in range(12))
    reworked = copy_b[: problems[0]] + own + copy_b[problems[1] :]
    # A copier polishing the wording: one character in 15 replaced.
    polished = "".join(rng.choice(PLACE_CHARS) if i % 15 == 7 else ch for i, ch in enumerate(copy_b))
    unrelated = [(synthetic_sections(rng, "甲村"), synthetic_sections(rng, "乙村")) for _ in range(50)]
    print(f"{'exact Jaccard of k-gram shingles':<52} {'k=3':>6} {'k=4':>6} {'k=5':>6}")
    cases = {
        "copy, other village name and figures": (copy_a, a_names, copy_b, b_names),
        "copy, one section (存在的问题) rewritten": (copy_a, a_names, reworked, b_names),
        "copy, one character in 15 changed": (copy_a, a_names, polished, b_names),
        "seed 000 vs seed 002": (seed_000, {}, seed_002, {}),
    }
    for label, (x, xn, y, yn) in cases.items():
        row = [jaccard(shingles(normalise(x, xn), k), shingles(normalise(y, yn), k)) for k in (3, 4, 5)]
        print(f"{label:<52} " + " ".join(f"{v:6.3f}" for v in row))
    row = [
        statistics.mean(
            jaccard(shingles(normalise("".join(a.values())), k), shingles(normalise("".join(b.values())), k))
            for a, b in unrelated
        )
        for k in (3, 4, 5)
    ]
    print(f"{'two unrelated synthetic plans (mean of 50)':<52} " + " ".join(f"{v:6.3f}" for v in row))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--copied", type=float, default=0.02, help="share of plans copied from one popular plan")
    args = parser.parse_args()
    rng = random.Random(2026)
    calibrate(rng)

    start = time.perf_counter()
    campaign, spare, popular, popular_village = build(args.plans, args.copied, rng)
    print(f"{connection.vendor}: built and indexed {args.plans} plans in {time.perf_counter() - start:.1f} s")

    def new_plan(village: Organization, sections: dict[str, str]) -> Plan:
        case = Case.objects.create(campaign=campaign, organization=village)
        plan = Plan.objects.create(case=case, title=f"{village.name}整顿提升工作方案", **sections)
        return Plan.objects.select_related("case__organization__parent").get(pk=plan.pk)

    original = new_plan(spare[0], synthetic_sections(rng, spare[0].name.removesuffix("党支部")))
    copy = new_plan(spare[1], localised_copy(popular, popular_village, spare[1].name.removesuffix("党支部"), rng))
    for label, plan in (("original plan", original), ("copy of a plan copied by --copied of the campaign", copy)):
        score = check_on_submit(plan=plan)
        found = candidates(plan_fingerprint(plan), campaign.pk, plan.pk)
        print(f"{label}: top score {score}, {len(found)} candidates")
        timed(
            "  fingerprint of its text (normalise, shingle, MinHash per section)",
            lambda plan=plan: plan_fingerprint(plan),
            args.runs,
        )
        timed("  similar_plans (fingerprint, candidates, exact scoring)", lambda plan=plan: similar_plans(plan), args.runs)
        timed(
            f"  check_on_submit ({args.plans} plans: re-index, compare, store)",
            lambda plan=plan: check_on_submit(plan=plan),
            args.runs,
        )


if __name__ == "__main__":
    main()
