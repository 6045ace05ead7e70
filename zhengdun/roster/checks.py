"""Checking roster rows against the tree: codes, parents, scope, cycles, names.

A few bulk queries whatever the number of rows: the organizations named by
codes or parent names in the file, and their siblings bearing the same names.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import zip_longest
from typing import Any, Literal

from django.db.models import Q

from zhengdun.core.scoping import scope_for
from zhengdun.core.xlsx_reading import RowError
from zhengdun.organizations.bulk import chunks
from zhengdun.organizations.models import Organization
from zhengdun.organizations.services import has_invisible_characters
from zhengdun.roster import messages as msg
from zhengdun.roster.reader import RosterRow

TOP_LEVEL = "（顶级）"


class Checked:
    """The rows that passed, each with its parent's code (None: top level)."""

    def __init__(self, rows: list[RosterRow], actor: Any, errors: list[RowError]) -> None:
        self.actor = actor
        self.scope = scope_for(actor)
        self.errors = errors
        self.rows: list[RosterRow] = []
        self.by_code: dict[str, RosterRow] = {}
        self.parent_of: dict[str, str | None] = {}
        self.db_by_code: dict[str, Organization] = {}
        self.db_by_name: dict[str, set[str]] = defaultdict(set)
        # Codes taken outside the importer's subtree: refused without saying by whom.
        self.taken_elsewhere: set[str] = set()
        self.file_by_name: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if not row.code:
                continue
            if row.code in self.by_code:
                self.fail(row, msg.ERR_CODE_REPEATED.format(code=row.code, other=self.by_code[row.code].row))
                continue
            if has_invisible_characters(row.name):
                self.fail(row, msg.ERR_NAME_HIDDEN_CHARACTERS)
                continue
            self.by_code[row.code] = row
            self.rows.append(row)
            self.file_by_name[row.name].add(row.code)

    def fail(self, row: RosterRow, message: str) -> None:
        self.errors.append(RowError(row.row, message))

    def run(self) -> Checked:
        self._load()
        self._resolve_parents()
        self._find_cycles()
        self._check_names()
        self.errors.sort(key=lambda e: e.row)
        return self

    def _load(self) -> None:
        refs = {r.parent for r in self.rows if r.parent}
        codes, names = sorted(set(self.by_code) | refs), sorted(refs)
        found: dict[int, Organization] = {}
        # A batch of codes and one of names per query: one query for a county's file.
        for by_code, by_name in zip_longest(chunks(codes), chunks(names), fillvalue=()):
            query = Organization.objects.filter(Q(code__in=by_code) | Q(name__in=by_name)).select_related("parent")
            found.update((org.pk, org) for org in query)
        for org in found.values():
            # Beside its subtree, an importer sees the line above it (its county), never its neighbours.
            above = any(root.startswith(org.path) for root in self.scope.roots)
            if not (self.scope.covers_path(org.path) or above):
                self.taken_elsewhere.add(org.code)
                continue
            self.db_by_code[org.code] = org
            self.db_by_name[org.name].add(org.code)

    def _resolve_parents(self) -> None:
        for row in self.rows:
            existing = self.db_by_code.get(row.code)
            if row.code in self.taken_elsewhere or (existing is not None and not self.scope.covers_path(existing.path)):
                self.fail(row, msg.ERR_CODE_TAKEN_ELSEWHERE.format(code=row.code))
                continue
            if existing is not None and self._renames_own_root(existing, row):
                self.fail(row, msg.ERR_OWN_ROOT.format(name=existing.name))
                continue
            parent_code = self._resolve(row)
            if parent_code is False:
                continue
            if existing is not None:
                current = existing.parent.code if existing.parent else None
                # A roster import never moves a subtree: that is a deliberate act with its own page.
                if parent_code != current:
                    self.fail(row, msg.ERR_MOVE.format(name=existing.name, current=existing.parent or TOP_LEVEL))
                    continue
            elif parent_code in self.db_by_code and not self.scope.covers_path(self.db_by_code[parent_code].path):
                self.fail(row, msg.ERR_PARENT_OUT_OF_SCOPE.format(parent=row.parent))
                continue
            self.parent_of[row.code] = parent_code

    def _renames_own_root(self, existing: Organization, row: RosterRow) -> bool:
        # The same rule as organizations.services.org_update, told in the preview already.
        own = existing.pk == self.actor.organization_id and not self.actor.is_superuser
        return own and bool(row.name) and row.name != existing.name

    def _resolve(self, row: RosterRow) -> str | None | Literal[False]:
        """The parent's code; None for a top-level organization; False after an error."""
        if not row.parent:
            existing = self.db_by_code.get(row.code)
            if (existing is not None and existing.parent is None) or (existing is None and self.actor.is_superuser):
                return None
            self.fail(row, msg.ERR_PARENT_REQUIRED)
            return False
        if row.parent in self.by_code or row.parent in self.db_by_code:
            code = row.parent
        else:
            codes = self.file_by_name.get(row.parent, set()) | self.db_by_name.get(row.parent, set())
            if not codes:
                self.fail(row, msg.ERR_PARENT_UNKNOWN.format(parent=row.parent))
                return False
            if len(codes) > 1:
                self.fail(row, msg.ERR_PARENT_AMBIGUOUS.format(parent=row.parent))
                return False
            (code,) = codes
        if code == row.code:
            self.fail(row, msg.ERR_PARENT_SELF)
            return False
        return code

    def _find_cycles(self) -> None:
        """Only new rows can form a cycle: an existing row keeps its current parent."""
        new = {code for code in self.parent_of if code not in self.db_by_code}
        done: set[str] = set()
        for start in sorted(new):
            chain: list[str] = []
            code: str | None = start
            while code in new and code not in done and code not in chain:
                chain.append(code)
                code = self.parent_of[code]
            if code is not None and code in chain:
                loop = chain[chain.index(code) :]
                text = " → ".join([*loop, code])
                for member in loop:
                    self.fail(self.by_code[member], msg.ERR_CYCLE.format(chain=text))
                    del self.parent_of[member]
            done.update(chain)

    def _check_names(self) -> None:
        """A name is unique under its parent, counting the tree and the file."""
        seen: dict[tuple[str | None, str], RosterRow] = {}
        for row in self.rows:
            if row.code not in self.parent_of or not row.name:
                continue
            key = (self.parent_of[row.code], row.name)
            if key in seen:
                other = seen[key].row
                self.fail(row, msg.ERR_NAME_REPEATED.format(parent=self.parent_name(key[0]), name=row.name, other=other))
            else:
                seen[key] = row
        if not seen:
            return
        # Siblings named like a row, under the existing parents of the file, a batch of parents at a time.
        parents = sorted({self.db_by_code[p].pk for p, _ in seen if p in self.db_by_code})
        names = {n for _, n in seen}
        clauses = [Q(parent_id__in=batch) for batch in chunks(parents)]
        if any(p is None for p, _ in seen):
            clauses.append(Q(parent__isnull=True))
        found: list[tuple[str, str, str | None]] = []
        for clause in clauses:
            found += Organization.objects.filter(clause).values_list("code", "name", "parent__code")
        for code, name, parent_code in found:
            if name not in names:
                continue
            named = seen.get((parent_code, name))
            if named is not None and named.code != code:
                self.fail(named, msg.ERR_NAME_TAKEN.format(parent=self.parent_name(parent_code), name=name))

    def parent_name(self, code: str | None) -> str:
        if code is None:
            return TOP_LEVEL
        if code in self.by_code:
            return self.by_code[code].name
        return self.db_by_code[code].name

    def ordered(self) -> list[RosterRow]:
        """Existing rows first, then new ones, parents before children."""

        def depth(code: str) -> int:
            steps = 0
            parent = self.parent_of.get(code)
            while parent is not None and parent not in self.db_by_code:
                steps += 1
                parent = self.parent_of.get(parent)
            return steps

        existing = [r for r in self.rows if r.code in self.db_by_code]
        new = sorted((r for r in self.rows if r.code not in self.db_by_code), key=lambda r: (depth(r.code), r.row))
        return existing + new
