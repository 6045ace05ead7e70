"""What changed between two versions of a plan, section by section.

Text is compared sentence by sentence (Chinese sentences end in 。；！？ or a
line break), and a changed sentence character by character, so a reviewer
sees the three characters someone changed rather than a whole paragraph
struck out. Every piece of plan text is escaped before it is wrapped in
<ins>/<del>; the markup is the only thing this module marks safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhengdun.plans.models import SECTIONS

SENTENCE = re.compile(r".*?(?:[。；！？!?;]|\n|$)", re.S)
# Below this similarity two sentences are shown as removed and added, not merged.
MERGE_RATIO = 0.4
# Character diffs of very long replaced runs cost more than they help a reader.
CHAR_DIFF_LIMIT = 4000
DEL = '<del class="text-danger bg-danger-subtle">{}</del>'
INS = '<ins class="text-success bg-success-subtle">{}</ins>'


@dataclass(frozen=True)
class SectionDiff:
    key: str
    heading: str
    html: SafeString


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.findall(text) if s]


def _chars(old: str, new: str) -> str:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < MERGE_RATIO:
        return DEL.format(escape(old)) + INS.format(escape(new))
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(old[i1:i2]))
            continue
        if i2 > i1:
            out.append(DEL.format(escape(old[i1:i2])))
        if j2 > j1:
            out.append(INS.format(escape(new[j1:j2])))
    return "".join(out)


def inline_diff(old: str, new: str) -> SafeString:
    """`new` with the removed text in <del> and the added text in <ins>, all escaped."""
    a, b = _sentences(old), _sentences(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(escape(removed))
        elif op == "replace" and len(removed) + len(added) <= CHAR_DIFF_LIMIT:
            out.append(_chars(removed, added))
        else:
            if removed:
                out.append(DEL.format(escape(removed)))
            if added:
                out.append(INS.format(escape(added)))
    return mark_safe("".join(out))  # noqa: S308 - every piece above went through escape()


def _measure_line(m: dict[str, Any]) -> str:
    value = f"（目标值 {m['target_value']} {m.get('unit', '')}）" if m.get("target_value") not in (None, "") else ""
    line = f"{m['title']}｜责任人：{m['owner_name']}｜完成时限：{m['deadline']}｜目标：{m['target']}{value}\n"
    detail = (m.get("detail") or "").strip()
    return line + (f"　{detail}\n" if detail else "")


def as_sections(content: dict[str, Any]) -> list[tuple[str, str, str]]:
    """A version's content as (key, heading, text) in document order."""
    sections = content.get("sections", {})
    rows = [("title", "标题", content.get("title", ""))]
    rows += [(name, heading, sections.get(name, "")) for name, heading in SECTIONS]
    measures = "".join(f"{i}. {_measure_line(m)}" for i, m in enumerate(content.get("measures", []), start=1))
    rows.append(("measures", "整改任务", measures))
    rows.append(("criteria", "对应认定标准", "、".join(content.get("criteria", []))))
    return rows


def diff_contents(old: dict[str, Any], new: dict[str, Any]) -> list[SectionDiff]:
    """Only the sections that differ, each as an inline diff."""
    before = {key: text for key, _, text in as_sections(old)}
    return [
        SectionDiff(key=key, heading=heading, html=inline_diff(before.get(key, ""), text))
        for key, heading, text in as_sections(new)
        if before.get(key, "") != text
    ]
