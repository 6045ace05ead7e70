"""Issue 9 §3 cause 1: a subtree is a range of paths, which both databases answer from the path index
(SQLite turns `path__startswith` into LIKE ... ESCAPE, which scans the whole table)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Func, OuterRef, Subquery

from zhengdun.core.scoping import PATH_ALPHABET, STEPLEN, next_prefix, restrict, subtree_q
from zhengdun.organizations.models import Organization, Post

# Paths at the alphabet's edges: steps ending in 0, 9, A and Z, a step of all Z, a root of all Z.
EDGE_PATHS = [
    "0000",
    "00000009",
    "0000000A",
    "0000000Z",
    "0000000Z0000",
    "0000000Z000Z",
    "0000000ZZZZZ",
    "00000010",
    "000Z",
    "000ZZZZZ",
    "000ZZZZZ0001",
    "0010",
    "00100000",
    "ZZZY",
    "ZZZZ",
    "ZZZZ0000",
    "ZZZZZZZZ",
    "ZZZZZZZZZZZZ",
]


def _step(n: int) -> str:
    digits = ""
    for _ in range(STEPLEN):
        n, d = divmod(n, len(PATH_ALPHABET))
        digits = PATH_ALPHABET[d] + digits
    return digits


def _bulk(paths: list[str], code_prefix: str) -> None:
    Organization.objects.bulk_create(
        Organization(path=p, depth=len(p) // STEPLEN, numchild=0, code=f"{code_prefix}{i}", name=f"组织{i}")
        for i, p in enumerate(paths)
    )


def _paths(qs: Any) -> set[str]:
    return set(qs.values_list("path", flat=True))


@pytest.mark.parametrize(
    ("prefix", "following"),
    [("0001", "0002"), ("0009", "000A"), ("000Z", "001"), ("00ZZ", "01"), ("0Z0Z", "0Z1"), ("ZZZZ", None), ("", None)],
)
def test_the_next_prefix_carries_past_the_last_character(prefix: str, following: str | None) -> None:
    assert next_prefix(prefix) == following


def test_organization_uses_the_alphabet_and_step_of_the_range() -> None:
    assert Organization.alphabet == PATH_ALPHABET
    assert Organization.steplen == STEPLEN


def test_the_range_finds_what_startswith_finds_on_edge_paths(db: None) -> None:
    _bulk(EDGE_PATHS, "E")
    prefixes = set(EDGE_PATHS) | {p[:i] for p in EDGE_PATHS for i in range(STEPLEN, len(p), STEPLEN)} | {"0001", "ZZZX"}
    for prefix in sorted(prefixes):
        expected = {p for p in EDGE_PATHS if p.startswith(prefix)}
        assert _paths(Organization.objects.filter(subtree_q(prefix))) == expected, prefix
        assert _paths(Organization.objects.filter(path__startswith=prefix)) == expected, prefix


def test_the_range_on_an_outer_reference_counts_each_subtree(db: None) -> None:
    _bulk(EDGE_PATHS, "E")
    below = (
        Organization.objects.filter(subtree_q(OuterRef("path")))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    counted = dict(Organization.objects.annotate(n=Subquery(below)).values_list("path", "n"))
    assert counted == {p: sum(q.startswith(p) for q in EDGE_PATHS) for p in EDGE_PATHS}


def test_a_range_through_a_join_keeps_the_rows_of_the_subtree(world: Any) -> None:
    posts = Post.objects.filter(subtree_q(world.town1_org.path, "organization__path"))
    assert set(posts.values_list("organization_id", flat=True)) == set(
        Post.objects.filter(organization__path__startswith=world.town1_org.path).values_list("organization_id", flat=True)
    )
    assert posts.exists()


@pytest.fixture
def nation(world: Any) -> None:
    """A few thousand organizations beside the county, and fresh planner statistics."""
    base = Organization.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    assert base is not None and len(base) == STEPLEN
    roots = [_step(int(base, 36) + 1 + i) for i in range(3)]
    paths = [root + _step(i) + _step(j) for root in roots for i in range(40) for j in range(30)]
    _bulk(roots + [root + _step(i) for root in roots for i in range(40)] + paths, "N")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _plan(qs: Any) -> str:
    return str(qs.explain())


def test_a_scoped_query_searches_the_path_index(nation: None, town1: Any) -> None:
    qs = restrict(Organization.objects.all(), town1)
    assert qs.count() == 4
    plan = _plan(qs)
    if connection.vendor == "sqlite":
        assert "SEARCH organizations_organization USING" in plan and "INDEX" in plan, plan
        assert "SCAN organizations_organization" not in plan, plan
    else:
        assert "Index" in plan and "Seq Scan" not in plan, plan
