"""Set-based writes to the tree, for imports of thousands of organizations at once.

treebeard adds one node per call (a read of the parent, an INSERT, an UPDATE of
the parent's child count). Here the materialized path of every new node is
computed in Python with treebeard's own scheme, and rows go in batches:

- a node's path is its parent's path plus one step of `steplen` characters over
  `alphabet` (`MP_Node._get_path`); new children take the steps after the
  parent's last child today (`_inc_path`), in the order given;
- nodes are inserted level by level, so a parent has its key before its children;
- `numchild` of a new node is counted in Python; of an existing parent, it is
  recounted in one UPDATE per batch of parents.

Callers check the rules (scope, codes, names: roster/checks.py) before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from zhengdun.core.errors import ServiceError
from zhengdun.organizations.models import Organization

# Rows per INSERT and keys per IN (...): SQLite allows 32,766 parameters a statement.
BATCH = 1000
ERR_PATH_FULL = "上级组织“{parent}”下的组织已达上限，无法再新建下级组织"

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(slots=True)
class NewNode:
    """An organization to add: unsaved, its fields set; its parent is an existing one or
    a NewNode given earlier, named by code (None: a new root)."""

    org: Organization
    parent_code: str | None


def add_nodes(nodes: Sequence[NewNode], existing: Mapping[str, Organization]) -> None:
    """Insert `nodes` (parents before children) under `existing` parents; sets their pk, path, depth, numchild."""
    if not nodes:
        return
    steplen, alphabet = Organization.steplen, Organization.alphabet
    limit = len(alphabet) ** steplen - 1
    last = _last_steps({n.parent_code for n in nodes}, existing)
    new: dict[str, Organization] = {}
    levels: dict[int, list[Organization]] = defaultdict(list)
    for node in nodes:
        org, code = node.org, node.parent_code
        parent = None if code is None else (new.get(code) or existing[code])
        step = last.get(code, 0) + 1
        if step > limit:
            raise ServiceError(ERR_PATH_FULL.format(parent=parent.name if parent else "（顶级）"))
        last[code] = step
        key = Organization._int2str(step)
        org.path = (parent.path if parent else "") + alphabet[0] * (steplen - len(key)) + key
        org.depth = parent.depth + 1 if parent else 1
        org.numchild = 0
        org.parent = parent
        if parent is not None and parent.code in new:
            parent.numchild += 1
        new[org.code] = org
        levels[org.depth].append(org)
    for depth in sorted(levels):
        batch = levels[depth]
        for org in batch:
            # The parent was inserted with the level above: its key is known now.
            org.parent_id = org.parent.pk if org.parent is not None else None
        Organization.objects.bulk_create(batch, batch_size=BATCH)
    _recount([existing[code].pk for code in last if code is not None and code in existing])


def _last_steps(parent_codes: set[str | None], existing: Mapping[str, Organization]) -> dict[str | None, int]:
    """The last step taken today under each existing parent (and among the roots)."""
    steplen = Organization.steplen
    by_id = {existing[c].pk: c for c in parent_codes if c is not None and c in existing}
    last: dict[str | None, int] = {}
    for ids in chunks(list(by_id)):
        found = Organization.objects.filter(parent_id__in=ids).values("parent_id").annotate(last=Max("path"))
        for row in found:
            last[by_id[row["parent_id"]]] = Organization._str2int(row["last"][-steplen:])
    if None in parent_codes:
        root = Organization.objects.get_last_root_node()
        if root is not None:
            last[None] = Organization._str2int(root.path[-steplen:])
    return last


def _recount(parent_ids: list[int]) -> None:
    children = (
        Organization.objects.filter(parent_id=OuterRef("pk")).order_by().values("parent_id").annotate(n=Count("pk")).values("n")
    )
    for ids in chunks(parent_ids):
        Organization.objects.filter(pk__in=ids).update(numchild=Coalesce(Subquery(children), 0))
