"""Copy detection (一村一策 in name only): a plan is compared, section by
section, with every indexed plan of its campaign and with the shipped samples.

Each section of a text (and the plan's measures, written as tasks) becomes a
set of hashed 4-character shingles without the boilerplate (text.py). For the
search, each section gets a MinHash signature cut into LSH bands stored as
Band rows: finding the plans worth comparing is one indexed query whatever
the number of plans, and a copied section finds its source even when it was
moved to another heading or the rest of the plan was written anew. Only those
candidates are then scored, exactly, from their stored shingle sets
(score.py).

The index is derived data, rebuilt from the plan's text at each submission:
it is not audited (the submission that triggers it is), and dropping it
loses nothing that re-indexing cannot restore.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.db import transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Coalesce

from zhengdun.copycheck.models import Band, Fingerprint
from zhengdun.copycheck.score import HASH_DTYPE, MEASURES_FIELD, MIN_SHINGLES, Score, SectionShare, Unit, score
from zhengdun.copycheck.text import NO_NAMES, Names, names_for, own_hashes, split_sections
from zhengdun.plans.models import SECTIONS, Plan

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
# A section shares a band with a section of Jaccard s with probability
# 1 - (1 - s**4)**16: 0.64 at s = 0.5, 0.89 at 0.6, 0.99 at 0.7. A copied
# section with a few sentences changed stays above 0.7, and a copied plan has
# several such sections, so near copies are not missed; unrelated sections
# (s < 0.1) share a band with probability 0.0016.
SEED = 1
SAMPLE_DIR = Path(__file__).resolve().parent / "seed_texts"
MEASURES_HEADING = "整改任务"
SAMPLE_PREAMBLE = "前言"

# Affine permutations h -> a*h + b (mod 2^32) of the shingle hashes, which
# are already well mixed: drawn once, pinned by SEED so stored bands stay
# comparable.
_RNG = np.random.RandomState(SEED)
_A = (_RNG.randint(0, 1 << 31, size=NUM_PERM, dtype=np.uint64) * 2 + 1).astype(np.uint64)
_B = _RNG.randint(0, 1 << 32, size=NUM_PERM, dtype=np.uint64).astype(np.uint64)
_MASK = np.uint64(0xFFFFFFFF)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature (NUM_PERM 32-bit values) of a set of shingle hashes."""
    permuted = (np.outer(hashes.astype(np.uint64), _A) + _B) & _MASK
    return permuted.min(axis=0).astype(HASH_DTYPE)


def bands(signature: np.ndarray) -> list[str]:
    """One bucket per band: the band's number and its four values themselves,
    in hex, so equal buckets mean equal bands."""
    return [f"{band:02x}{signature[band * ROWS : (band + 1) * ROWS].tobytes().hex()}" for band in range(BANDS)]


@dataclass(frozen=True)
class Fingerprinted:
    """A text as copy detection holds it: its sections' shingle sets, and the text shown side by side."""

    units: tuple[Unit, ...]
    display: str
    union: np.ndarray = field(repr=False)

    def band_keys(self) -> set[str]:
        return {key for unit in self.units if len(unit.hashes) >= MIN_SHINGLES for key in bands(minhash(unit.hashes))}

    @property
    def judged(self) -> bool:
        return any(len(unit.hashes) >= MIN_SHINGLES for unit in self.units)


def fingerprint(sections: list[tuple[str, str, str]], names: Names = NO_NAMES) -> Fingerprinted:
    """sections: (field, heading, text) in document order."""
    units = tuple(Unit(key, heading, own_hashes(text, names)) for key, heading, text in sections)
    display = "\n\n".join(f"{heading}\n{text}" for _, heading, text in sections)
    hashes = [u.hashes for u in units]
    union = np.unique(np.concatenate(hashes)) if hashes else np.empty(0, dtype=HASH_DTYPE)
    return Fingerprinted(units=units, display=display, union=union)


def text_sections(texts: dict[str, str], tasks: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(field, heading, text) of every filled section, then the measures
    written as tasks, from a plan's section texts and its tasks' (title,
    detail, target)."""
    sections = [(key, heading, text) for key, heading in SECTIONS if (text := texts.get(key, "").strip())]
    # A plan's measures live in its tasks, and a copier copies them too. The
    # owner and the deadline are left out: they differ even between copies.
    measures = ["，".join(part for part in task if part.strip()) for task in tasks]
    if measures:
        sections.append((MEASURES_FIELD, MEASURES_HEADING, "\n".join(f"{n}. {m}" for n, m in enumerate(measures, 1))))
    return sections


def plan_sections(plan: Plan) -> list[tuple[str, str, str]]:
    texts = {key: getattr(plan, key) for key, _ in SECTIONS}
    return text_sections(texts, [(t.title, t.detail, t.target) for t in plan.tasks.all()])


def plan_names(plan: Plan) -> Names:
    return names_for(plan.case.organization)


def plan_fingerprint(plan: Plan) -> Fingerprinted:
    return fingerprint(plan_sections(plan), plan_names(plan))


def plan_display_text(plan: Plan) -> str:
    return plan_fingerprint(plan).display


def sample_fingerprint(text: str) -> Fingerprinted:
    fp = fingerprint([(heading, heading, body) for heading, body in split_sections(text, SAMPLE_PREAMBLE)])
    # A sample is shown as shipped, not as its cut sections.
    return Fingerprinted(units=fp.units, display=text, union=fp.union)


def load_hashes(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=HASH_DTYPE)


def _band_rows(fp: Fingerprinted, **owner: object) -> list[Band]:
    return [Band(bucket=bucket, **owner) for bucket in sorted(fp.band_keys())]


def index_plan(plan: Plan) -> Fingerprinted | None:
    """Replace the plan's index rows with those of its current text; None when too short to judge."""
    fp = plan_fingerprint(plan)
    with transaction.atomic():
        Band.objects.filter(plan=plan).delete()
        if not fp.judged:
            Fingerprint.objects.filter(plan=plan).delete()
            return None
        campaign_id = plan.case.campaign_id
        Fingerprint.objects.update_or_create(
            plan=plan, defaults={"campaign_id": campaign_id, "hashes": fp.union.tobytes(), "text": fp.display}
        )
        Band.objects.bulk_create(_band_rows(fp, plan=plan, campaign_id=campaign_id))
    return fp


def index_sample(name: str, text: str) -> None:
    fp = sample_fingerprint(text)
    with transaction.atomic():
        Band.objects.filter(plan__isnull=True, sample=name).delete()
        Fingerprint.objects.filter(plan__isnull=True, sample=name).delete()
        if not fp.judged:
            return
        Fingerprint.objects.create(sample=name, hashes=fp.union.tobytes(), text=text)
        Band.objects.bulk_create(_band_rows(fp, sample=name))


def index_shipped_samples() -> list[str]:
    """(Re)index seed_texts/*.txt under their file names; drop samples no longer shipped."""
    names = []
    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        index_sample(path.stem, path.read_text(encoding="utf-8"))
        names.append(path.stem)
    Band.objects.filter(plan__isnull=True).exclude(sample__in=names).delete()
    Fingerprint.objects.filter(plan__isnull=True).exclude(sample__in=names).delete()
    return names


def ensure_samples_indexed() -> None:
    # Lazily, so a fresh install compares with the samples without a setup step.
    if not Fingerprint.objects.filter(plan__isnull=True).exists():
        index_shipped_samples()


def sample_title(text: str, name: str) -> str:
    for line in text.splitlines():
        if "方案" in line and len(line.strip()) <= 60:
            return line.strip()
    return name


@dataclass(frozen=True)
class Match:
    result: Score
    plan: Plan | None = None
    sample: str = ""
    sample_text: str = ""

    @property
    def score(self) -> Decimal:
        return self.result.value

    @property
    def copied(self) -> tuple[SectionShare, ...]:
        return self.result.copied

    @property
    def title(self) -> str:
        return self.plan.title if self.plan is not None else sample_title(self.sample_text, self.sample)


Key = tuple[int | None, str]  # (plan id, sample name): one of them is set


def candidates(fp: Fingerprinted, campaign_id: int, exclude_plan_id: int | None) -> list[Key]:
    """Plans of the campaign and samples sharing at least one band with a
    section of `fp`: one query on the bucket index."""
    # One IN list, not an OR of (band, bucket) pairs: a plan has about 130
    # buckets, and Django takes 30 ms to build an OR of that many Q objects
    # that the database answers in 2.
    buckets = sorted(fp.band_keys())
    if not buckets:
        return []
    # The campaign is tested through an expression on purpose: written as
    # `campaign_id = ? OR campaign_id IS NULL`, SQLite would rather walk the
    # campaign's foreign-key index, which holds every row of the campaign.
    rows = Band.objects.alias(owner=Coalesce("campaign_id", Value(0))).filter(bucket__in=buckets, owner__in=[campaign_id, 0])
    if exclude_plan_id is not None:
        rows = rows.exclude(plan_id=exclude_plan_id)
    return list(rows.values_list("plan_id", "sample").distinct())


def _stored(keys: list[Key]) -> list[tuple[int | None, str, bytes | memoryview, str]]:
    """(plan id, sample, shingle hashes, sample text) of the candidates: one query.

    A sample's text comes along (a few short documents); a plan's text stays
    in the database however many candidates there are.
    """
    plan_ids = [p for p, _ in keys if p is not None]
    samples = [s for p, s in keys if p is None]
    rows = Fingerprint.objects.filter(Q(plan_id__in=plan_ids) | Q(plan__isnull=True, sample__in=samples))
    sample_text = Case(When(plan__isnull=True, then=F("text")), default=Value(""), output_field=TextField())
    return list(rows.annotate(sample_text=sample_text).values_list("plan_id", "sample", "hashes", "sample_text"))


def find_matches(
    fp: Fingerprinted,
    *,
    campaign_id: int,
    exclude_plan_id: int | None = None,
    limit: int = 5,
    min_score: Decimal | None = None,
) -> list[Match]:
    ensure_samples_indexed()
    keys = candidates(fp, campaign_id, exclude_plan_id)
    if not keys:
        return []
    scores: dict[Key, Score] = {}
    texts: dict[str, str] = {}
    # Keyed, so a sample indexed twice (by two first requests at once) is listed once.
    for plan_id, sample, raw, text in _stored(keys):
        texts[sample] = text
        result = score(fp.units, fp.union, load_hashes(raw))
        if min_score is None or result.value >= min_score:
            scores[(plan_id, sample)] = result
    top = sorted(scores.items(), key=lambda item: (-item[1].value, item[0][0] is None, item[0][0] or 0, item[0][1]))[:limit]
    plans = Plan.objects.select_related("case__organization__parent").in_bulk([p for (p, _), _ in top if p is not None])
    return [
        Match(result=result, plan=plans[plan_id])
        if plan_id is not None
        else Match(result=result, sample=sample, sample_text=texts[sample])
        for (plan_id, sample), result in top
        if plan_id is None or plan_id in plans
    ]


def similar_plans(plan: Plan, limit: int = 5, min_score: Decimal | None = None) -> list[Match]:
    """The plans of the same campaign and the samples most like the plan's current text.

    Reads only: the plan's fingerprint is computed, not stored, so a page can ask.
    """
    fp = plan_fingerprint(plan)
    if not fp.judged:
        return []
    return find_matches(fp, campaign_id=plan.case.campaign_id, exclude_plan_id=plan.pk, limit=limit, min_score=min_score)


def indexed_hashes(plan: Plan) -> np.ndarray | None:
    """The shingle set the index holds for a plan (as of its last submission),
    or that of its current text when it was never indexed; None if too short."""
    raw = Fingerprint.objects.filter(plan=plan).values_list("hashes", flat=True).first()
    if raw is not None:
        return load_hashes(raw)
    fp = plan_fingerprint(plan)
    return fp.union if fp.judged else None


def stored_sample(name: str) -> tuple[np.ndarray, str] | None:
    ensure_samples_indexed()
    row = Fingerprint.objects.filter(plan__isnull=True, sample=name).values_list("hashes", "text").first()
    return (load_hashes(row[0]), row[1]) if row else None
