"""A plan's text as readers see it, from a frozen version's content or the
working copy: numbered sections split into paragraphs, and the measures.

The public page and the Word document both read this, so what the public
sees and what is printed are the same words in the same order.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from zhengdun.plans.models import SECTIONS

NUMERALS = "一二三四五六七八九十"
# "（一）选优配强班子。其余正文……": a run-in level-2 heading ending at the first stop.
RUN_IN = re.compile(r"^(（[一二三四五六七八九十]+）[^。；！？]*[。；！？]?)(.*)$", re.DOTALL)


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (a plan has at most a few dozen headings)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


@dataclass(frozen=True)
class Paragraph:
    lead: str  # a run-in "（一）……。" heading, or ""
    text: str


@dataclass(frozen=True)
class Section:
    field: str
    heading: str  # "一、基本情况"
    paragraphs: list[Paragraph]


@dataclass(frozen=True)
class Measure:
    number: int
    title: str
    detail: str
    owner_name: str
    deadline: datetime.date | None
    target: str

    @property
    def deadline_text(self) -> str:
        return f"{self.deadline.year}年{self.deadline.month}月{self.deadline.day}日" if self.deadline else ""


@dataclass(frozen=True)
class PlanText:
    title: str
    sections: list[Section]
    measures: list[Measure]


def paragraphs_of(text: str) -> list[Paragraph]:
    found: list[Paragraph] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = RUN_IN.match(line)
        found.append(Paragraph(lead=match.group(1), text=match.group(2).strip()) if match else Paragraph(lead="", text=line))
    return found


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _measures(rows: list[dict[str, Any]]) -> list[Measure]:
    return [
        Measure(
            number=i,
            title=str(row.get("title", "")),
            detail=str(row.get("detail", "")),
            owner_name=str(row.get("owner_name", "")),
            deadline=_date(row.get("deadline")),
            target=str(row.get("target", "")),
        )
        for i, row in enumerate(rows, start=1)
    ]


def plan_text(content: dict[str, Any]) -> PlanText:
    """Read the content shape of selectors.plan_content (what versions freeze).

    Empty sections are left out and the rest numbered in order; the measures
    section stays whenever there are measures, since their table goes there.
    """
    texts = content.get("sections") or {}
    measures = _measures(list(content.get("measures") or []))
    sections: list[Section] = []
    for name, heading in SECTIONS:
        paragraphs = paragraphs_of(str(texts.get(name) or ""))
        if not paragraphs and not (name == "measures_text" and measures):
            continue
        sections.append(Section(field=name, heading=f"{numeral(len(sections) + 1)}、{heading}", paragraphs=paragraphs))
    return PlanText(title=str(content.get("title") or ""), sections=sections, measures=measures)
