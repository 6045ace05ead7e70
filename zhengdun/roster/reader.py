"""Reading a roster workbook into typed rows. Nothing here touches the database.

Cells arrive as whatever Excel stored: codes typed as numbers, phones as
floats, counts as text. Each is coerced here, and every bad cell becomes a
`RowError` with its Excel row number, so the planner sees clean values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from zhengdun.core.xlsx_reading import FileRejected, Header, RowError, after_header, cell_text, sheet_lines
from zhengdun.organizations.choices import Domain, Kind
from zhengdun.organizations.models import CODE_RE, PHONE_RE
from zhengdun.roster import messages as msg

NAME_MAX = 100
SECRETARY_NAME_MAX = 50
INCOME_LIMIT = Decimal("10000000000")  # EconomyRecord.income_wan: 12 digits, 2 after the point

# (key, header as printed in the template, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("code", "组织编码", True),
    ("name", "组织名称", True),
    ("parent", "上级组织", True),
    ("kind", "组织类型", False),
    ("domain", "所属领域", False),
    ("secretary_name", "书记姓名", False),
    ("secretary_phone", "书记电话", False),
    ("member_count", "党员数", False),
    ("households", "户数", False),
    ("population", "人口", False),
    ("income", "集体经济收入(万元)", False),
)
# The header line is the first that names the code or the name column.
HEADER = Header(COLUMNS, anchors=("code", "name"), no_header=msg.ERR_NO_HEADER, aliases={"集体经济收入": "income"})
COUNT_FIELDS = ("member_count", "households", "population")
LABELS = HEADER.labels

KIND_BY_LABEL = {label: value for value, label in Kind.choices} | {value: value for value in Kind.values}
DOMAIN_BY_LABEL = {label: value for value, label in Domain.choices} | {value: value for value in Domain.values}
KIND_LABELS, DOMAIN_LABELS = [str(label) for label in Kind.labels], [str(label) for label in Domain.labels]


@dataclass(slots=True)
class RosterRow:
    """One data row; None means the cell was empty (keep what is there)."""

    row: int
    code: str = ""
    name: str = ""
    parent: str = ""
    kind: str | None = None
    domain: str | None = None
    secretary_name: str | None = None
    secretary_phone: str | None = None
    member_count: int | None = None
    households: int | None = None
    population: int | None = None
    income: Decimal | None = None


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_roster(data: bytes) -> Roster:
    """Parse the first worksheet. Raises FileRejected when the file is unusable."""
    return _read_sheet(sheet_lines(data, not_xlsx=msg.ERR_NOT_XLSX))


def _read_sheet(lines: Any) -> Roster:
    # Lines arrive as tuples of values, streamed (core/xlsx_stream.py): what stays in
    # memory is one RosterRow per line and the shared strings, never a cell object.
    roster = Roster()
    limit = settings.IMPORT_MAX_ROWS
    columns, body = after_header(lines, HEADER)
    for number, values in body:
        if all(cell_text(v) == "" for v in values):
            continue
        if len(roster.rows) >= limit:
            raise FileRejected(msg.ERR_TOO_MANY_ROWS.format(limit=limit))
        cells = {key: (values[index] if index < len(values) else None) for key, index in columns.items()}
        roster.rows.append(_row(number, cells, roster.errors))
    if not roster.rows:
        raise FileRejected(msg.ERR_NO_ROWS)
    return roster


def _row(number: int, cells: dict[str, Any], errors: list[RowError]) -> RosterRow:
    row = RosterRow(row=number)

    def fail(message: str) -> None:
        errors.append(RowError(number, message))

    row.code = cell_text(cells.get("code"))
    if not row.code:
        fail(msg.ERR_CODE_REQUIRED)
    elif not CODE_RE.match(row.code):
        fail(msg.ERR_CODE_FORMAT.format(code=row.code))
        row.code = ""
    row.name = cell_text(cells.get("name"))
    if not row.name:
        fail(msg.ERR_NAME_REQUIRED)
    elif len(row.name) > NAME_MAX:
        fail(msg.ERR_NAME_TOO_LONG.format(limit=NAME_MAX))
    row.parent = cell_text(cells.get("parent"))
    row.kind = _choice(cells.get("kind"), KIND_BY_LABEL, msg.ERR_KIND_UNKNOWN, KIND_LABELS, fail)
    row.domain = _choice(cells.get("domain"), DOMAIN_BY_LABEL, msg.ERR_DOMAIN_UNKNOWN, DOMAIN_LABELS, fail)
    for key in COUNT_FIELDS:
        setattr(row, key, _count(cells.get(key), LABELS[key], fail))
    row.income = _income(cells.get("income"), fail)
    row.secretary_name = cell_text(cells.get("secretary_name")) or None
    if row.secretary_name and len(row.secretary_name) > SECRETARY_NAME_MAX:
        fail(msg.ERR_SECRETARY_NAME_TOO_LONG.format(limit=SECRETARY_NAME_MAX))
    phone = cell_text(cells.get("secretary_phone"))
    if phone and not PHONE_RE.match(phone):
        fail(msg.ERR_PHONE.format(value=phone))
    elif phone and not row.secretary_name:
        fail(msg.ERR_PHONE_WITHOUT_NAME)
    else:
        row.secretary_phone = phone or None
    return row


def _choice(value: Any, by_label: dict[str, str], message: str, labels: list[str], fail: Any) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    if text not in by_label:
        fail(message.format(value=text, choices="、".join(labels)))
        return None
    return by_label[text]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    try:
        number = Decimal(cell_text(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _count(value: Any, label: str, fail: Any) -> int | None:
    if cell_text(value) == "":
        return None
    number = _number(value)
    if number is None or number != number.to_integral_value():
        fail(msg.ERR_COUNT_NOT_INT.format(label=label, value=cell_text(value)))
        return None
    if number < 0:
        fail(msg.ERR_COUNT_NEGATIVE.format(label=label))
        return None
    return int(number)


def _income(value: Any, fail: Any) -> Decimal | None:
    if cell_text(value) == "":
        return None
    number = _number(value)
    if number is None:
        fail(msg.ERR_INCOME_NOT_NUMBER.format(value=cell_text(value)))
        return None
    if number < 0:
        fail(msg.ERR_INCOME_NEGATIVE)
        return None
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number >= INCOME_LIMIT:
        fail(msg.ERR_INCOME_TOO_LARGE)
        return None
    return number
