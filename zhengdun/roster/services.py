"""The roster import (名册导入): read a workbook, plan, then apply all of it or nothing.

    plan = preview_roster(data=..., actor=user, year=2025)      # writes nothing
    plan = import_roster(data=..., file_name=..., actor=user, year=2025)

Every row is checked before any is written; one bad row refuses the whole
file (ImportRejected, carrying every row's error). Writing is set-based
(apply.py): each created or changed object still gets its audit row, and one
IMPORT row sums the import up with the file's SHA-256. A file that matches the
tree writes nothing.

Rules worth knowing:
- an empty optional cell keeps what the tree holds; an import never clears;
- a new organization's level follows from its parent's, its kind defaults
  to 党支部 and its domain to its parent's;
- a changed parent for an existing code is refused: moving a subtree is done
  on the organization page (调整隶属), not by a sheet;
- income goes to the given year, by default the previous calendar year,
  since a roster reports last year's income.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.xlsx_reading import RowError
from zhengdun.roster import messages as msg
from zhengdun.roster.apply import apply_plan
from zhengdun.roster.plan import ImportPlan, build_plan
from zhengdun.roster.reader import read_roster

IMPORT_PERM = "organizations.import_organizations"
FIRST_YEAR = 2000


class ImportRejected(ServiceError):
    """At least one row is wrong; nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(msg.ERR_REJECTED.format(n=len(plan.errors)), errors=[str(e) for e in plan.errors])
        self.plan = plan
        self.row_errors: list[RowError] = plan.errors


def default_year() -> int:
    return timezone.localdate().year - 1


def check_year(year: int) -> None:
    high = timezone.localdate().year
    if not FIRST_YEAR <= year <= high:
        raise ServiceError(msg.ERR_YEAR.format(low=FIRST_YEAR, high=high))


def preview_roster(*, data: bytes, actor: Actor, year: int) -> ImportPlan:
    """The plan for this file; its `errors` list every failing row. Writes nothing."""
    if not actor.has_perm(IMPORT_PERM):
        raise NotPermitted(msg.ERR_NOT_PERMITTED)
    check_year(year)
    roster = read_roster(data)
    return build_plan(rows=roster.rows, errors=roster.errors, actor=actor, year=year)


@transaction.atomic
def import_roster(*, data: bytes, file_name: str, actor: Actor, year: int) -> ImportPlan:
    # Planned again inside the transaction: the tree may have changed since the preview.
    plan = preview_roster(data=data, actor=actor, year=year)
    if not plan.ok:
        raise ImportRejected(plan)
    if not plan.changed_rows:
        return plan
    apply_plan(plan=plan, actor=actor, file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    return plan
