"""How much of a plan is found in another text, section by section.

A symmetric measure (Jaccard) lets a copier dilute a copy: keep six copied
sections, write the basic facts, the leading group and the tasks anew, and
the two texts' overlap falls to 60% while most of the plan is still another
village's. So the score asks the reviewer's question instead: what share of
*this* plan is contained in the other one?

- Each section's share is the part of its shingles found anywhere in the
  other text (containment), so a section moved under another heading counts.
- A section whose share reaches SECTION_COPIED is copied: a few changed
  sentences do not make it one's own, so it counts in full.
- The basic facts, the leading group and the tasks are written for the
  village by nature (its figures, its people, its owners and deadlines): they
  count when they were copied too, but writing them anew does not dilute the
  copied rest.

The score is the copied (or contained) share of the counted sections,
weighted by their size. bench/copycheck_calibrate.py derives SECTION_COPIED
and the default threshold from a corpus of copies and of distinct plans that
share the usual boilerplate; bench/README.md has the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

HASH_DTYPE = "<u4"
MEASURES_FIELD = "tasks"
OWN_BY_NATURE = frozenset({"basic_facts", "leading_group", MEASURES_FIELD})
SECTION_COPIED = 0.5
# Sections this short ("无", "见附件") would match each other and say nothing
# about copying: they are neither banded nor scored.
MIN_SHINGLES = 30
SCORE_PLACES = Decimal("0.001")


def _decimal(value: float) -> Decimal:
    return Decimal(value).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


SECTION_COPIED_PERCENT = f"{SECTION_COPIED:.0%}"


def _percent(value: Decimal) -> str:
    return f"{value * 100:.1f}%"


@dataclass(frozen=True)
class Unit:
    """One section of a text: its field (or heading, for a sample) and its hashed shingles."""

    key: str
    heading: str
    hashes: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class SectionShare:
    key: str
    heading: str
    share: Decimal
    copied: bool

    @property
    def percent(self) -> str:
        return _percent(self.share)


@dataclass(frozen=True)
class Score:
    value: Decimal
    containment: Decimal  # share of all the plan's shingles found in the other text
    jaccard: Decimal  # the symmetric overlap, shown for comparison
    sections: tuple[SectionShare, ...] = ()

    @property
    def copied(self) -> tuple[SectionShare, ...]:
        return tuple(s for s in self.sections if s.copied)

    @property
    def percent(self) -> str:
        return _percent(self.value)

    @property
    def containment_percent(self) -> str:
        return _percent(self.containment)

    @property
    def jaccard_percent(self) -> str:
        return _percent(self.jaccard)


def _found(hashes: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Which of `hashes` are in `other` (sorted, unique): a binary search each."""
    if not len(other):
        return np.zeros(len(hashes), dtype=bool)
    at = np.minimum(np.searchsorted(other, hashes), len(other) - 1)
    return other[at] == hashes


def score(units: tuple[Unit, ...], union: np.ndarray, other: np.ndarray, section_copied: float = SECTION_COPIED) -> Score:
    """The score of the text made of `units` (whose shingles are `union`)
    against `other`'s shingles; `section_copied` is a parameter for the
    calibration, which tries several."""
    judged = [u for u in units if len(u.hashes) >= MIN_SHINGLES]
    inter = int(np.count_nonzero(_found(union, other)))
    size = len(union) + len(other) - inter
    containment = inter / len(union) if len(union) else 0.0
    jaccard = inter / size if size else 0.0
    if not judged:
        return Score(value=_decimal(0), containment=_decimal(containment), jaccard=_decimal(jaccard))
    hits = np.add.reduceat(
        _found(np.concatenate([u.hashes for u in judged]), other), np.cumsum([0] + [len(u.hashes) for u in judged[:-1]])
    )
    shares = [int(h) / len(u.hashes) for u, h in zip(judged, hits, strict=True)]
    narrative = any(u.key not in OWN_BY_NATURE for u in judged)
    weight = total = 0.0
    for unit, share in zip(judged, shares, strict=True):
        copied = share >= section_copied
        if narrative and unit.key in OWN_BY_NATURE and not copied:
            continue
        weight += len(unit.hashes)
        total += len(unit.hashes) * (1.0 if copied else share)
    sections = tuple(
        SectionShare(key=u.key, heading=u.heading, share=_decimal(share), copied=share >= section_copied)
        for u, share in zip(judged, shares, strict=True)
    )
    return Score(value=_decimal(total / weight), containment=_decimal(containment), jaccard=_decimal(jaccard), sections=sections)
