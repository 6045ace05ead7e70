"""The calibration corpus (bench/copycheck_corpus/), scored as the check scores:
every copy reaches the campaign's default threshold, no distinct pair does."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from bench.copycheck_corpus.corpus import COPY_KINDS, CorpusPlan, copies, distinct_plans
from zhengdun.copycheck.index import Fingerprinted, fingerprint, text_sections
from zhengdun.copycheck.score import score
from zhengdun.copycheck.text import names_for

DEFAULT_THRESHOLD = Decimal("0.800")


def _fp(plan: CorpusPlan) -> Fingerprinted:
    org = SimpleNamespace(name=f"{plan.village}党支部", parent=SimpleNamespace(name=plan.township, parent=None))
    return fingerprint(text_sections(plan.sections, list(plan.tasks)), names_for(org))


def test_it_catches_every_copy_of_the_corpus_and_finds_it_in_the_index():
    distinct = {p.name: _fp(p) for p in distinct_plans()}
    for copy in copies(distinct_plans(), tuple(COPY_KINDS)):
        mine, theirs = _fp(copy), distinct[copy.source]
        assert score(mine.units, mine.union, theirs.union).value >= DEFAULT_THRESHOLD, copy.name
        assert mine.band_keys() & theirs.band_keys(), copy.name


def test_it_flags_no_pair_of_distinct_plans():
    plans = [_fp(p) for p in distinct_plans()]
    scores = [score(a.units, a.union, b.union).value for a in plans for b in plans if a is not b]
    assert len(scores) == 56 and max(scores) < Decimal("0.5")
