"""Calibration of copy detection on the corpus in bench/copycheck_corpus/.

    .venv/bin/python bench/copycheck_calibrate.py [--quiet]

Scores every copy against the plan it was copied from and every ordered pair
of distinct plans (the first one as the submitted plan), exactly as the check
does (copycheck.score), and prints them with the whole-text Jaccard that the
check used before (the 63% of defect 17), whether the index (LSH bands) finds
the source, then the sweep of SECTION_COPIED and the chosen threshold. Needs
no database: it reads the texts and the settings only.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengdun.settings")

import django  # noqa: E402

django.setup()

from copycheck_corpus.corpus import COPY_KINDS, PARTIAL_KINDS, CorpusPlan, copies, distinct_plans  # noqa: E402

from zhengdun.copycheck.index import Fingerprinted, fingerprint, text_sections  # noqa: E402
from zhengdun.copycheck.score import SECTION_COPIED, Score, score  # noqa: E402
from zhengdun.copycheck.text import jaccard, names_for, normalise, shingles  # noqa: E402

DEFAULT_THRESHOLD = 0.8  # the campaign's default 方案雷同提示阈值
SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7)


def _names(plan: CorpusPlan) -> dict[str, str]:
    org = SimpleNamespace(name=f"{plan.village}党支部", parent=SimpleNamespace(name=plan.township, parent=None))
    return names_for(org)


def _fp(plan: CorpusPlan) -> Fingerprinted:
    return fingerprint(text_sections(plan.sections, list(plan.tasks)), _names(plan))


def _old(a: CorpusPlan, b: CorpusPlan) -> float:
    """The check before: exact 4-gram Jaccard of the whole texts, boilerplate kept."""
    keys = [normalise("\n".join(p.sections.values()) + "".join("".join(t) for t in p.tasks), _names(p)) for p in (a, b)]
    return jaccard(shingles(keys[0]), shingles(keys[1]))


def _score(a: Fingerprinted, b: Fingerprinted, section_copied: float = SECTION_COPIED) -> Score:
    return score(a.units, a.union, b.union, section_copied)


def _line(label: str, result: Score, old: float, found: bool | None = None) -> str:
    copied = "、".join(s.heading for s in result.copied) or "—"
    index = "" if found is None else ("  index: found" if found else "  index: MISSED")
    return (
        f"  {label:<46} score {result.value:.3f}  containment {result.containment:.3f}"
        f"  jaccard {result.jaccard:.3f}  before {old:.3f}{index}  copied: {copied}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    parser.add_argument("--rounds", type=int, default=7, help="copies of each plan in each way (other targets, other edits)")
    args = parser.parse_args()
    distinct = distinct_plans()
    made = copies(distinct, tuple(COPY_KINDS) + tuple(PARTIAL_KINDS), args.rounds)
    fps = {p.name: _fp(p) for p in distinct + made}
    by_name = {p.name: p for p in distinct}

    print(f"corpus: {len(distinct)} distinct plans, {len(made)} copies ({len(COPY_KINDS)} required kinds + partial)")
    copy_scores: dict[str, list[float]] = {}
    copied_shares: list[float] = []
    for kind, what in {**COPY_KINDS, **PARTIAL_KINDS}.items():
        print(f"\ncopies — {kind}: {what}")
        for plan in (p for p in made if p.kind == kind):
            mine, theirs = fps[plan.name], fps[plan.source]
            result = _score(mine, theirs)
            found = bool(mine.band_keys() & theirs.band_keys())
            copy_scores.setdefault(kind, []).append(float(result.value))
            if kind in COPY_KINDS:
                copied_shares += [float(s.share) for s in result.sections if s.key in plan.copied]
            if not args.quiet:
                print(_line(plan.name, result, _old(plan, by_name[plan.source]), found))

    print("\ndistinct pairs (the first one submitted, compared with the second)")
    distinct_scores: list[float] = []
    distinct_shares: list[float] = []
    for a in distinct:
        for b in distinct:
            if a is b:
                continue
            result = _score(fps[a.name], fps[b.name])
            distinct_scores.append(float(result.value))
            distinct_shares += [float(s.share) for s in result.sections]
            if not args.quiet:
                print(_line(f"{a.name} vs {b.name}", result, _old(a, b), bool(fps[a.name].band_keys() & fps[b.name].band_keys())))

    print("\nsummary")
    for kind, values in copy_scores.items():
        print(f"  {kind:<16} min {min(values):.3f}  mean {sum(values) / len(values):.3f}  max {max(values):.3f}")
    top = max(distinct_scores)
    mean = sum(distinct_scores) / len(distinct_scores)
    print(f"  {'distinct pairs':<16} min {min(distinct_scores):.3f}  mean {mean:.3f}  max {top:.3f}")
    print(
        f"  section shares: copied sections min {min(copied_shares):.3f};"
        f" sections of distinct pairs max {max(distinct_shares):.3f}"
    )

    print("\nsweep of SECTION_COPIED (the share from which a section counts as copied)")
    required = [p for p in made if p.kind in COPY_KINDS]
    pairs = [(fps[a.name], fps[b.name]) for a in distinct for b in distinct if a is not b]
    for value in SWEEP:
        lowest = min(float(_score(fps[p.name], fps[p.source], value).value) for p in required)
        highest = max(float(_score(x, y, value).value) for x, y in pairs)
        margin = min(lowest - DEFAULT_THRESHOLD, DEFAULT_THRESHOLD - highest)
        mark = "  <- SECTION_COPIED" if value == SECTION_COPIED else ""
        print(
            f"  {value:.1f}: lowest copy {lowest:.3f}, highest distinct pair {highest:.3f},"
            f" margin to {DEFAULT_THRESHOLD} {margin:+.3f}{mark}"
        )

    lowest = min(v for kind, values in copy_scores.items() if kind in COPY_KINDS for v in values)
    print(f"\ngap between distinct plans and copies: {top:.3f} .. {lowest:.3f}")
    if top < DEFAULT_THRESHOLD <= lowest:
        print(f"chosen threshold: {DEFAULT_THRESHOLD:.2f} (the campaign default) — no distinct pair reaches it, every copy does")
    else:
        print(f"chosen threshold: {(top + lowest) / 2:.2f} — the default {DEFAULT_THRESHOLD:.2f} lies outside the gap")


if __name__ == "__main__":
    main()
