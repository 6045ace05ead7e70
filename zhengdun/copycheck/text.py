"""Plan text as copy detection sees it: one comparison key per text, its
character shingles (as strings, and hashed for the index), and the passages
two texts share.

Copying a plan from another village usually means swapping the village's
name and its figures, so the key replaces the plan's own organization, its
parent, sample placeholders ("XX村", "*村") and every number (digits, and
Chinese numerals before a measure word: "二十二名") with neutral tokens, and
drops whitespace and punctuation. What remains is the wording, which is what
a copy keeps. Shingles of the usual political boilerplate (boilerplate/*.txt)
are dropped from the hashed sets: every plan may quote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# Single characters that never survive the punctuation filter in source text,
# so a token in the key always stands for a replaced name or number.
ORG_TOKEN = "▣"
PARENT_TOKEN = "▤"
NUMBER_TOKEN = "＃"

# Chinese words are mostly two characters: 3-grams are dominated by genre
# vocabulary shared by every plan ("党组织", "基层党", "战斗堡"), which lifts
# unrelated plans to a noisy baseline; 4-grams span two words and are already
# specific to a sentence's wording, while 5-grams would let each small edit
# destroy more shingles. bench/README.md shows the figures for 3, 4 and 5.
SHINGLE_SIZE = 4

PARTY_SUFFIXES = ("党总支部委员会", "党支部委员会", "党工委", "党总支", "党支部", "党委", "总支", "支部")
VILLAGE_SUFFIXES = ("社区居委会", "居委会", "社区", "村")
TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "镇", "乡")

_PLACEHOLDER = r"(?:[XxＸｘ×*＊]+|某+)"
_VILLAGE_PLACEHOLDER = _PLACEHOLDER + "(?:" + "|".join(VILLAGE_SUFFIXES) + ")"
_TOWNSHIP_PLACEHOLDER = _PLACEHOLDER + "(?:" + "|".join(TOWNSHIP_SUFFIXES) + ")"
# A run of X stands for a figure the sample leaves blank ("XX户", "XX年"); a
# Chinese numeral counts as a figure only before a measure word, so "第一书记"
# and "三会一课" stay words.
CHINESE_NUMBER = r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万]*(?=[名人个户亩元年岁次项天月位家条处余多])"
_NUMBER = r"\d+(?:[.．]\d+)?|[XxＸｘ×*＊]{2,}|" + CHINESE_NUMBER

# How many places of one seed in the second text are tried (see shared_passages).
MAX_SEED_PLACES = 8

Names = dict[str, str]
NO_NAMES: Names = {}


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _variants(name: str, place_suffixes: tuple[str, ...]) -> set[str]:
    """ "东关村党支部" -> {"东关村", "东关"}: how a plan names its own place.

    The party suffix stays in the text ("▣党支部"), just as a sample's
    "XX村党支部" becomes "▣党支部"; only the place is neutralised.
    """
    place = _strip_suffix(name.strip(), PARTY_SUFFIXES)
    stem = _strip_suffix(place, place_suffixes)
    return {v for v in (place, stem) if len(v) >= 2}


def names_for(organization: Any) -> Names:
    """The names of an organization and of its parent, each mapped to its token."""
    names: Names = {}
    parent = getattr(organization, "parent", None)
    if parent is not None:
        names.update(dict.fromkeys(_variants(parent.name, TOWNSHIP_SUFFIXES + VILLAGE_SUFFIXES), PARENT_TOKEN))
    # The organization's own names win where a stem is shared with its parent.
    names.update(dict.fromkeys(_variants(organization.name, VILLAGE_SUFFIXES + TOWNSHIP_SUFFIXES), ORG_TOKEN))
    return names


def _tokens_pattern(names: Names) -> str:
    # Longest names first: the regex takes the first alternative that matches.
    alternatives = [re.escape(n) for n in sorted(names, key=len, reverse=True)]
    name_group = f"(?P<name>{'|'.join(alternatives)})|" if alternatives else ""
    return f"{name_group}(?P<village>{_VILLAGE_PLACEHOLDER})|(?P<township>{_TOWNSHIP_PLACEHOLDER})|(?P<number>{_NUMBER})"


# Punctuation is skipped up to a placeholder ("，*村"), which starts with a non-word character.
_SKIP = f"(?:(?!{_VILLAGE_PLACEHOLDER}|{_TOWNSHIP_PLACEHOLDER})[\\W_])+"


def _scanner(names: Names) -> re.Pattern[str]:
    return re.compile(f"{_tokens_pattern(names)}|(?P<skip>{_SKIP})|(?P<char>.)", re.DOTALL)


_TOKENS = {"village": ORG_TOKEN, "township": PARENT_TOKEN, "number": NUMBER_TOKEN}


@dataclass(frozen=True)
class Keyed:
    """The comparison key of a text and, for each key character, the span of
    the source text it came from (so matches can be shown in the original)."""

    key: str
    spans: tuple[tuple[int, int], ...]


def keyed(text: str, names: Names = NO_NAMES) -> Keyed:
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _scanner(names).finditer(text):
        kind = m.lastgroup
        if kind == "skip":
            continue
        if kind == "name":
            chars.append(names[m.group()])
        elif kind == "char":
            chars.append(m.group().lower())
        else:
            chars.append(_TOKENS[kind or "number"])
        spans.append(m.span())
    return Keyed("".join(chars), tuple(spans))


_TOKEN_CHARS = ORG_TOKEN + PARENT_TOKEN + NUMBER_TOKEN
_DROPPED = re.compile(f"(?:(?![{_TOKEN_CHARS}])[\\W_])+")


def normalise(text: str, names: Names = NO_NAMES) -> str:
    """keyed(text, names).key without the spans, five times faster: names,
    placeholders and numbers become tokens in one pass, then whitespace and
    punctuation go in a second (the tokens are not word characters, so that
    pass spares them)."""
    scanner = re.compile(_tokens_pattern(names), re.DOTALL)

    def token(m: re.Match[str]) -> str:
        kind = m.lastgroup
        if kind == "name":
            return names[m.group()]
        return _TOKENS[kind] if kind in _TOKENS else m.group()

    return _DROPPED.sub("", scanner.sub(token, text)).lower()


def shingles(key: str, size: int = SHINGLE_SIZE) -> set[str]:
    if len(key) < size:
        return {key} if key else set()
    return {key[i : i + size] for i in range(len(key) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard of string shingles, for tests and the benchmark's tables."""
    return len(a & b) / len(a | b) if a or b else 0.0


# 64-bit mixing constants of MurmurHash3's finaliser, and an odd multiplier
# to combine the code points of one shingle.
_MIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_COMBINE = np.uint64(0x9E3779B97F4A7C15)


def _fmix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * _MIX_1
    h = h ^ (h >> np.uint64(33))
    h = h * _MIX_2
    return h ^ (h >> np.uint64(33))


def hash_shingles(key: str, size: int = SHINGLE_SIZE) -> np.ndarray:
    """The key's shingles as sorted unique 32-bit hashes, computed in numpy:
    stable across processes (unlike hash()), and a plan's 3,000 shingles take
    well under a millisecond instead of one hashlib call each."""
    codes = np.frombuffer(key.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if len(codes) < size:
        return np.empty(0, dtype=np.uint32)
    h = np.zeros(len(codes) - size + 1, dtype=np.uint64)
    for offset in range(size):
        h = (h * _COMBINE) ^ codes[offset : len(codes) - size + 1 + offset]
    return np.unique((_fmix(h) >> np.uint64(32)).astype(np.uint32))


BOILERPLATE_DIR = Path(__file__).resolve().parent / "boilerplate"


@cache
def boilerplate_hashes() -> np.ndarray:
    """Hashed shingles of the shipped boilerplate texts: policy documents whose
    stock phrases every plan may repeat, so sharing them proves nothing."""
    keys = [normalise(p.read_text(encoding="utf-8")) for p in sorted(BOILERPLATE_DIR.glob("*.txt"))]
    return np.unique(np.concatenate([hash_shingles(k) for k in keys] or [np.empty(0, dtype=np.uint32)]))


def own_hashes(text: str, names: Names = NO_NAMES) -> np.ndarray:
    """The hashed shingles of a text that are not boilerplate."""
    hashes = hash_shingles(normalise(text, names))
    return hashes[~np.isin(hashes, boilerplate_hashes(), assume_unique=True)]


_SAMPLE_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(.+?)\s*$")


def split_sections(text: str, preamble: str = "前言") -> list[tuple[str, str]]:
    """A document cut at its "一、……" headings: (heading, text) in order.

    Shipped samples are whole documents; cut like this they are compared
    section by section, as plans are.
    """
    sections: list[tuple[str, list[str]]] = [(preamble, [])]
    for line in text.splitlines():
        heading = _SAMPLE_HEADING.match(line)
        if heading:
            sections.append((heading.group(1), []))
        else:
            sections[-1][1].append(line)
    return [(heading, body) for heading, lines in sections if (body := "\n".join(lines).strip())]


@dataclass(frozen=True)
class Passage:
    """A passage both texts contain: its span in each source text, numbered
    in the order of the first text so the two columns can refer to it."""

    number: int
    a: tuple[int, int]
    b: tuple[int, int]
    size: int


def shared_passages(
    text_a: str, text_b: str, min_len: int = 12, *, names_a: Names = NO_NAMES, names_b: Names = NO_NAMES
) -> list[Passage]:
    """Maximal passages of at least `min_len` key characters found in both texts.

    Seed-and-extend over the keys instead of difflib's get_matching_blocks:
    difflib aligns in order only, so a copy with its sections reordered would
    show only one of them as shared, while the score (a set measure) ignores
    order. Runs for one pair at display time, in time linear in the texts.
    """
    ka, kb = keyed(text_a, names_a), keyed(text_b, names_b)
    a, b = ka.key, kb.key
    seeds: dict[str, list[int]] = {}
    for j in range(len(b) - min_len + 1):
        places = seeds.setdefault(b[j : j + min_len], [])
        # A phrase repeated all over a text would make this quadratic; a few
        # places are enough to find the longest match in real plans.
        if len(places) < MAX_SEED_PLACES:
            places.append(j)
    passages: list[Passage] = []
    i = 0
    while i <= len(a) - min_len:
        best_j, best_len = -1, 0
        for j in seeds.get(a[i : i + min_len], ()):
            length = min_len
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            if length > best_len:
                best_j, best_len = j, length
        if best_len == 0:
            i += 1
            continue
        passages.append(
            Passage(
                number=len(passages) + 1,
                a=(ka.spans[i][0], ka.spans[i + best_len - 1][1]),
                b=(kb.spans[best_j][0], kb.spans[best_j + best_len - 1][1]),
                size=best_len,
            )
        )
        i += best_len
    return passages
