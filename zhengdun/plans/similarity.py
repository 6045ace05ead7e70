"""Copy detection (一村一策 in name only): a submitted plan is compared with
every indexed plan of its campaign and with the shipped sample plans.

Each text gets a MinHash signature of its 4-gram shingles (similarity_text.py);
the signature is cut into LSH bands stored as PlanShingles rows, so finding
the plans worth comparing is one indexed query whatever the number of plans,
and only those candidates are scored, from their stored signatures.

The index is derived data, rebuilt from the plan's text at each submission:
it is not audited (the submission that triggers it is), and dropping it
loses nothing that re-indexing cannot restore.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from datasketch import MinHash
from django.db import transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Coalesce

from zhengdun.plans.models import SECTIONS, Plan, PlanShingles, PlanSignature
from zhengdun.plans.similarity_text import NO_NAMES, Names, names_for, normalise, shingles

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
# Two texts with Jaccard s share a band with probability 1 - (1 - s**4)**32:
# 0.87 at s = 0.5 and 1 - 5e-8 at s = 0.8. The curve's midpoint,
# (1/32)**(1/4) ~ 0.42, lies well below any sensible campaign threshold, so
# near copies are not missed, while unrelated plans (s < 0.1) almost never
# become candidates.
SEED = 1
# Pinned, so stored signatures stay comparable if datasketch changes its
# default. 32-bit values: a plan has a few thousand shingles, far from the
# ~10^8 where 32-bit hashes start to collide; they hash ~35% faster than
# 64-bit ones, and four of them make a band's bucket in exactly 32 hex digits.
SCHEME = "affine32"
DTYPE = "<u4"
# Texts this short ("无", "见附件") would match each other at 100% and say
# nothing about copying; they get no signature.
MIN_SHINGLES = 50
SAMPLE_DIR = Path(__file__).resolve().parent / "seed_texts"
SCORE_PLACES = Decimal("0.001")
MEASURES_HEADING = "整改任务"

# The permutations depend only on NUM_PERM, SEED and SCHEME: draw them once, not per text.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def plan_texts(plan: Plan) -> tuple[str, str]:
    """(body, display): the text that is hashed (every section and measure,
    without the headings every plan has) and the text shown side by side."""
    sections = [(heading, text) for field, heading in SECTIONS if (text := getattr(plan, field).strip())]
    # A plan's measures live in its tasks, and a copier copies them too. The
    # owner and the deadline are left out: they differ even between copies.
    measures = ["，".join(part for part in (t.title, t.detail, t.target) if part.strip()) for t in plan.tasks.all()]
    body = "\n".join([text for _, text in sections] + measures)
    if measures:
        sections.append((MEASURES_HEADING, "\n".join(f"{n}. {m}" for n, m in enumerate(measures, 1))))
    return body, "\n\n".join(f"{heading}\n{text}" for heading, text in sections)


def plan_body(plan: Plan) -> str:
    return plan_texts(plan)[0]


def plan_display_text(plan: Plan) -> str:
    return plan_texts(plan)[1]


def plan_names(plan: Plan) -> Names:
    return names_for(plan.case.organization)


def signature(text: str, names: Names = NO_NAMES) -> np.ndarray | None:
    grams = shingles(normalise(text, names))
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_PERMUTATIONS)
    minhash.update_batch([g.encode() for g in grams])
    return minhash.hashvalues.astype(DTYPE)


def plan_signature(plan: Plan) -> np.ndarray | None:
    return signature(plan_body(plan), plan_names(plan))


def bands(hashvalues: np.ndarray) -> list[tuple[int, str]]:
    """(band, bucket): the band's four values themselves, in hex, so equal buckets mean equal bands."""
    return [(band, hashvalues[band * ROWS : (band + 1) * ROWS].tobytes().hex()) for band in range(BANDS)]


def estimate(a: np.ndarray, b: np.ndarray) -> Decimal:
    """Estimated Jaccard similarity: the share of equal signature positions."""
    return _score(int(np.count_nonzero(a == b)))


def _score(equal: int) -> Decimal:
    return (Decimal(equal) / NUM_PERM).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def load_signature(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=DTYPE)


def _band_rows(hashvalues: np.ndarray, **owner: object) -> list[PlanShingles]:
    return [PlanShingles(band=band, bucket=bucket, **owner) for band, bucket in bands(hashvalues)]


def index_plan(plan: Plan) -> np.ndarray | None:
    """Replace the plan's index rows with those of its current text."""
    body, display = plan_texts(plan)
    hashvalues = signature(body, plan_names(plan))
    with transaction.atomic():
        PlanShingles.objects.filter(plan=plan).delete()
        if hashvalues is None:
            PlanSignature.objects.filter(plan=plan).delete()
            return None
        campaign_id = plan.case.campaign_id
        PlanSignature.objects.update_or_create(
            plan=plan,
            defaults={"campaign_id": campaign_id, "hashvalues": hashvalues.tobytes(), "text": display},
        )
        PlanShingles.objects.bulk_create(_band_rows(hashvalues, plan=plan, campaign_id=campaign_id))
    return hashvalues


def index_sample(name: str, text: str) -> None:
    hashvalues = signature(text)
    with transaction.atomic():
        PlanShingles.objects.filter(plan__isnull=True, sample=name).delete()
        PlanSignature.objects.filter(plan__isnull=True, sample=name).delete()
        if hashvalues is None:
            return
        PlanSignature.objects.create(sample=name, hashvalues=hashvalues.tobytes(), text=text)
        PlanShingles.objects.bulk_create(_band_rows(hashvalues, sample=name))


def index_shipped_samples() -> list[str]:
    """(Re)index seed_texts/*.txt under their file names; drop samples no longer shipped."""
    names = []
    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        index_sample(path.stem, path.read_text(encoding="utf-8"))
        names.append(path.stem)
    PlanShingles.objects.filter(plan__isnull=True).exclude(sample__in=names).delete()
    PlanSignature.objects.filter(plan__isnull=True).exclude(sample__in=names).delete()
    return names


def ensure_samples_indexed() -> None:
    # Lazily, so a fresh install compares with the samples without a setup step.
    if not PlanSignature.objects.filter(plan__isnull=True).exists():
        index_shipped_samples()


def sample_title(text: str, name: str) -> str:
    for line in text.splitlines():
        if "方案" in line and len(line.strip()) <= 60:
            return line.strip()
    return name


@dataclass(frozen=True)
class Match:
    score: Decimal
    plan: Plan | None = None
    sample: str = ""
    sample_text: str = ""

    @property
    def title(self) -> str:
        return self.plan.title if self.plan is not None else sample_title(self.sample_text, self.sample)


Key = tuple[int | None, str]  # (plan id, sample name): one of them is set


def candidates(hashvalues: np.ndarray, campaign_id: int, exclude_plan_id: int | None) -> list[Key]:
    """Plans of the campaign and samples sharing at least one band: one query on the (band, bucket) index."""
    shared = Q()
    for band, bucket in bands(hashvalues):
        shared |= Q(band=band, bucket=bucket)
    # The campaign is tested through an expression on purpose: written as
    # `campaign_id = ? OR campaign_id IS NULL`, SQLite would rather walk the
    # campaign's foreign-key index, which holds every row of the campaign.
    rows = PlanShingles.objects.alias(owner=Coalesce("campaign_id", Value(0))).filter(shared, owner__in=[campaign_id, 0])
    if exclude_plan_id is not None:
        rows = rows.exclude(plan_id=exclude_plan_id)
    return list(rows.values_list("plan_id", "sample").distinct())


def _signatures(keys: list[Key]) -> list[tuple[int | None, str, bytes, str]]:
    """(plan id, sample, signature, sample text) of the candidates: one query.

    A sample's text comes along (a few short documents); a plan's text stays
    in the database however many candidates there are.
    """
    plan_ids = [p for p, _ in keys if p is not None]
    samples = [s for p, s in keys if p is None]
    rows = PlanSignature.objects.filter(Q(plan_id__in=plan_ids) | Q(plan__isnull=True, sample__in=samples))
    sample_text = Case(When(plan__isnull=True, then=F("text")), default=Value(""), output_field=TextField())
    return list(rows.annotate(sample_text=sample_text).values_list("plan_id", "sample", "hashvalues", "sample_text"))


def find_matches(
    hashvalues: np.ndarray,
    *,
    campaign_id: int,
    exclude_plan_id: int | None = None,
    limit: int = 5,
    min_score: Decimal | None = None,
) -> list[Match]:
    ensure_samples_indexed()
    keys = candidates(hashvalues, campaign_id, exclude_plan_id)
    if not keys:
        return []
    found = _signatures(keys)
    equal = np.count_nonzero(np.stack([load_signature(raw) for _, _, raw, _ in found]) == hashvalues, axis=1)
    scores: dict[Key, Decimal] = {}
    texts: dict[str, str] = {}
    # Keyed, so a sample indexed twice (by two first requests at once) is listed once.
    for (plan_id, sample, _, text), count in zip(found, equal, strict=True):
        texts[sample] = text
        score = _score(int(count))
        if min_score is None or score >= min_score:
            scores[(plan_id, sample)] = score
    top = sorted(scores.items(), key=lambda item: (-item[1], item[0][0] is None, item[0][0] or 0, item[0][1]))[:limit]
    plans = Plan.objects.select_related("case__organization__parent").in_bulk([p for (p, _), _ in top if p is not None])
    return [
        Match(score=score, plan=plans[plan_id])
        if plan_id is not None
        else Match(score=score, sample=sample, sample_text=texts[sample])
        for (plan_id, sample), score in top
        if plan_id is None or plan_id in plans
    ]


def similar_plans(plan: Plan, limit: int = 5, min_score: Decimal | None = None) -> list[Match]:
    """The plans of the same campaign and the samples most like the plan's current text.

    Reads only: the plan's signature is computed, not stored, so a page can ask.
    """
    hashvalues = plan_signature(plan)
    if hashvalues is None:
        return []
    return find_matches(hashvalues, campaign_id=plan.case.campaign_id, exclude_plan_id=plan.pk, limit=limit, min_score=min_score)


def check_on_submit(plan: Plan) -> Decimal | None:
    """Index the submitted plan and return its highest similarity to another
    plan of the campaign or a sample; None when nothing shares a band with it
    (or its text is too short to judge)."""
    hashvalues = index_plan(plan)
    if hashvalues is None:
        return None
    top = find_matches(hashvalues, campaign_id=plan.case.campaign_id, exclude_plan_id=plan.pk, limit=1)
    return top[0].score if top else None


def indexed_signature(plan: Plan) -> np.ndarray | None:
    """The signature the index holds for a plan (as of its last submission),
    or that of its current text when it was never indexed."""
    raw = PlanSignature.objects.filter(plan=plan).values_list("hashvalues", flat=True).first()
    return load_signature(raw) if raw is not None else plan_signature(plan)


def sample_signature(name: str) -> tuple[np.ndarray, str] | None:
    ensure_samples_indexed()
    row = PlanSignature.objects.filter(plan__isnull=True, sample=name).values_list("hashvalues", "text").first()
    return (load_signature(row[0]), row[1]) if row else None
