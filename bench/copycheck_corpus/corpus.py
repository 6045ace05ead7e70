"""The copy-detection calibration corpus: distinct plans and copies of them.

Distinct plans: the six hand-written plans in distinct/*.txt and the two
shipped sample plans (seeds 000 and 002, given a village name and figures),
each with stock sentences from boilerplate_pool.txt added, so every pair
shares the usual political boilerplate as real plans do.

Copies: every distinct plan copied for another village (the next one in the
list), in each of the ways COPY_KINDS describes. Seeded: the same corpus on
every run. README.md says how it was made.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE_DIR = HERE.parents[1] / "zhengdun" / "copycheck" / "seed_texts"
SEED = 7

# Plan fields by the heading words of the corpus files and of the samples.
FIELDS = {
    "基本情况": "basic_facts",
    "存在的问题": "problems",
    "问题原因": "causes",
    "整顿目标": "goals",
    "整改措施": "measures_text",
    "方法步骤": "steps",
    "整顿要求": "requirements",
    "组织领导": "leading_group",
}
NARRATIVE = ("problems", "causes", "goals", "measures_text", "steps", "requirements")
SAMPLE_FIELDS = (
    ("基本情况", "basic_facts"),
    ("原因", "causes"),
    ("问题", "problems"),
    ("目标", "goals"),
    ("措施", "measures_text"),
    ("步骤", "steps"),
    ("要求", "requirements"),
)
# The samples as distinct plans: (file, village, township, people).
SAMPLES = (
    ("sample_aicao_village", "莲峰村", "莲峰镇", ()),
    ("sample_xx_village", "龙泉村", "龙泉镇", ()),
)
CHINESE_FIGURES = ("三", "七", "十二", "二十六", "四十", "一百零五", "三百一十", "两千")
_CHINESE_NUMBER = re.compile(
    r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万]*(?=[名人个户亩元年岁次项天月位家条处余多])"
)
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


@dataclass(frozen=True)
class CorpusPlan:
    name: str
    village: str
    township: str
    people: tuple[str, ...]
    sections: dict[str, str]
    tasks: tuple[tuple[str, str, str], ...] = ()
    source: str = ""  # for a copy: the distinct plan it was copied from
    kind: str = ""  # for a copy: one of COPY_KINDS
    copied: tuple[str, ...] = field(default=())  # for a copy: the fields that hold copied text


def _read(path: Path) -> CorpusPlan:
    meta: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    tasks: list[tuple[str, str, str]] = []
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("== "):
            current = line[3:].strip()
        elif not current and "：" in line:
            key, value = line.split("：", 1)
            meta[key] = value.strip()
        elif current == "整改任务" and line.strip():
            title, detail, target = line.split("｜")
            tasks.append((title, detail, target))
        elif current:
            sections.setdefault(FIELDS[current], []).append(line)
    return CorpusPlan(
        name=path.stem,
        village=meta["村"],
        township=meta["乡镇"],
        people=tuple(meta.get("人名", "").split()),
        sections={key: "\n".join(lines).strip() for key, lines in sections.items()},
        tasks=tuple(tasks),
    )


def _sample(name: str, village: str, township: str, rng: random.Random) -> CorpusPlan:
    text = (SAMPLE_DIR / f"{name}.txt").read_text(encoding="utf-8")
    text = re.sub(r"(?:\*|XX)村", village, text).replace("XX镇", township)
    text = re.sub(r"XX", lambda _: str(rng.randint(2, 900)), text)
    sections: dict[str, list[str]] = {}
    current = "basic_facts"
    for line in text.splitlines():
        heading = re.match(r"^[一二三四五六七八九十]+、(.+)$", line.strip())
        if heading:
            current = next((f for word, f in SAMPLE_FIELDS if word in heading.group(1)), "requirements")
            continue
        sections.setdefault(current, []).append(line)
    return CorpusPlan(
        name=name,
        village=village,
        township=township,
        people=(),
        sections={key: "\n".join(lines).strip() for key, lines in sections.items()},
    )


def _pool() -> dict[str, list[str]]:
    pool: dict[str, list[str]] = {}
    kind = ""
    for line in (HERE / "boilerplate_pool.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            kind = line.strip("[]")
        else:
            pool.setdefault(kind, []).append(line)
    return pool


def _with_boilerplate(plan: CorpusPlan, pool: dict[str, list[str]], rng: random.Random) -> CorpusPlan:
    def fill(line: str) -> str:
        return line.replace("{村}", plan.village).replace("{镇}", plan.township)

    s = dict(plan.sections)
    s["basic_facts"] = fill(rng.choice(pool["开头"])) + "\n" + s.get("basic_facts", "")
    s["goals"] = s.get("goals", "") + "\n" + "".join(fill(x) for x in rng.sample(pool["目标"], 2))
    s["measures_text"] = s.get("measures_text", "") + "\n" + fill(rng.choice(pool["措施"]))
    s["requirements"] = "\n".join(fill(x) for x in rng.sample(pool["要求"], 3)) + "\n" + s.get("requirements", "")
    s["leading_group"] = s.get("leading_group", "") + fill(rng.choice(pool["领导"]))
    return replace(plan, sections=s)


def distinct_plans() -> list[CorpusPlan]:
    rng = random.Random(SEED)
    pool = _pool()
    plans = [_read(p) for p in sorted((HERE / "distinct").glob("*.txt"))]
    plans = [_with_boilerplate(p, pool, rng) for p in plans]
    return plans + [_sample(name, village, township, rng) for name, village, township, _ in SAMPLES]


# Copying: the source's names become the target's, every figure changes.


def _renamer(source: CorpusPlan, target: CorpusPlan, rng: random.Random) -> Callable[[str], str]:
    pairs = [(source.village, target.village), (source.township, target.township)]
    pairs += [(source.village.rstrip("村社区"), target.village.rstrip("村社区"))]
    pairs += [(source.township.rstrip("镇乡街道"), target.township.rstrip("镇乡街道"))]
    people = target.people or ("张三", "李四", "王五")
    pairs += [(p, people[n % len(people)]) for n, p in enumerate(source.people)]
    pairs = sorted((p for p in pairs if len(p[0]) >= 2), key=lambda p: -len(p[0]))

    def rename(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        text = re.sub(r"\d+", lambda m: str(rng.randint(2, 99) if len(m.group()) < 3 else rng.randint(100, 9999)), text)
        return _CHINESE_NUMBER.sub(lambda _: rng.choice(CHINESE_FIGURES), text)

    return rename


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def _own_sentences(target: CorpusPlan) -> list[str]:
    return [s for key in NARRATIVE for s in _sentences(target.sections.get(key, "")) if 15 <= len(s) <= 80]


def _like(sentence: str, own: list[str], rng: random.Random) -> str:
    """A sentence of the target's own of about the same length: rewriting a
    sentence, not pasting a page."""
    return min(rng.sample(own, min(6, len(own))), key=lambda s: abs(len(s) - len(sentence)))


def _edit_sentences(sections: dict[str, str], own: list[str], rng: random.Random) -> dict[str, str]:
    """A few sentences changed across the narrative sections: one in six
    (at least three) replaced by sentences of about the same length from the
    target's own plan, one deleted, one added."""
    split = {k: _sentences(t) if k in NARRATIVE else [t] for k, t in sections.items()}
    places = [(k, i) for k in NARRATIVE for i in range(len(split.get(k, [])))]
    for k, i in rng.sample(places, max(3, len(places) // 6)):
        split[k][i] = _like(split[k][i], own, rng)
    k, i = rng.choice(places)
    split[k][i] = ""
    k, i = rng.choice(places)
    split[k].insert(i, _like("一句三十个字左右的话，加在原文之中，是抄者自己的", own, rng))
    return {k: "".join(parts) for k, parts in split.items()}


def _copy(source: CorpusPlan, target: CorpusPlan, kind: str, rng: random.Random) -> CorpusPlan:
    rename = _renamer(source, target, rng)
    copied = {key: rename(text) for key, text in source.sections.items()}
    tasks = tuple(tuple(rename(part) for part in task) for task in source.tasks)
    own = dict(target.sections)
    if kind == "names_figures":
        sections, fields = copied, tuple(copied)
    elif kind == "few_sentences":
        sections = _edit_sentences(copied, _own_sentences(target), rng)
        fields = tuple(sections)
    elif kind == "narrative_only":
        # Defect 17: the six narrative sections copied; the basic facts, the
        # leading group and the tasks the village's own.
        sections = {k: copied.get(k, "") if k in NARRATIVE else own.get(k, "") for k in FIELDS.values()}
        tasks, fields = target.tasks, tuple(k for k in NARRATIVE if copied.get(k))
    elif kind == "moved_sections":
        # Sections put under other headings, two of them merged.
        sections = {
            "basic_facts": own.get("basic_facts", ""),
            "problems": copied.get("causes", ""),
            "causes": copied.get("problems", ""),
            "goals": copied.get("goals", "") + "\n" + copied.get("requirements", ""),
            "measures_text": copied.get("steps", ""),
            "steps": copied.get("measures_text", ""),
            "leading_group": own.get("leading_group", ""),
        }
        tasks, fields = target.tasks, ("problems", "causes", "goals", "measures_text", "steps")
    elif kind == "subset":
        # A plan made of three of another plan's sections and nothing else.
        largest = sorted((k for k in NARRATIVE if copied.get(k)), key=lambda k: -len(copied[k]))[:3]
        sections, tasks, fields = {k: copied[k] for k in largest}, (), tuple(largest)
    elif kind == "partial":
        # Not a required catch: half the narrative copied, half the village's own.
        present = [k for k in NARRATIVE if copied.get(k)]
        half = set(rng.sample(present, len(present) // 2))
        sections = {k: copied[k] if k in half else own.get(k, "") for k in FIELDS.values()}
        tasks, fields = target.tasks, tuple(sorted(half))
    else:
        raise ValueError(kind)
    return CorpusPlan(
        name=f"{kind}:{source.name}→{target.name}",
        village=target.village,
        township=target.township,
        people=target.people,
        sections={k: v for k, v in sections.items() if v.strip()},
        tasks=tasks,
        source=source.name,
        kind=kind,
        copied=fields,
    )


COPY_KINDS = {
    "names_figures": "whole plan, names and figures swapped",
    "few_sentences": (
        "whole plan, names and figures swapped, one narrative sentence in six (at least 3) replaced, one deleted, one added"
    ),
    "narrative_only": "defect 17: the six narrative sections copied; basic facts, leading group and tasks the village's own",
    "moved_sections": "sections put under other headings (two merged); basic facts, leading group and tasks own",
    "subset": "a plan made of three of another plan's sections, nothing else",
}
# Shown in the calibration for the reviewer's judgement, not required to be caught.
PARTIAL_KINDS = {"partial": "half the narrative sections copied, the other half and the rest the village's own"}


def copy_of(source: CorpusPlan, target: CorpusPlan, kind: str, seed: int = SEED) -> CorpusPlan:
    """One copy of `source` made for `target`'s village (for tests)."""
    return _copy(source, target, kind, random.Random(seed))


def copies(distinct: list[CorpusPlan], kinds: tuple[str, ...] = tuple(COPY_KINDS), rounds: int = 7) -> list[CorpusPlan]:
    """Each distinct plan copied in each way, `rounds` times: round r copies
    it for the plan r places after it, with other random edits."""
    if not 1 <= rounds < len(distinct):
        raise ValueError(f"rounds must be between 1 and {len(distinct) - 1}")
    made = []
    for r in range(1, rounds + 1):
        rng = random.Random(SEED + r)
        for n, source in enumerate(distinct):
            target = distinct[(n + r) % len(distinct)]
            made.extend(replace(c, name=f"{c.name}#{r}") for c in (_copy(source, target, kind, rng) for kind in kinds))
    return made
