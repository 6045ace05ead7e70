"""Reading a roster workbook into typed rows. Nothing here touches the database.

Cells arrive as whatever Excel stored: codes typed as numbers, phones as
floats, counts as text. Each is coerced here, and every bad cell becomes a
`RowError` with its Excel row number, so the planner sees clean values.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zhengdun.core.errors import ServiceError
from zhengdun.organizations import import_messages as msg
from zhengdun.organizations.choices import Domain, Kind
from zhengdun.organizations.models import CODE_RE, PHONE_RE

MAX_ROWS = 10_000
# A county's sheet sometimes carries a title line or two above the header.
HEADER_SEARCH_ROWS = 10
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
HEADER_ALIASES = {"集体经济收入": "income"}
COUNT_FIELDS = ("member_count", "households", "population")
LABELS = {key: header for key, header, _ in COLUMNS}

KIND_BY_LABEL = {label: value for value, label in Kind.choices} | {value: value for value in Kind.values}
DOMAIN_BY_LABEL = {label: value for value, label in Domain.choices} | {value: value for value in Domain.values}


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number; 0 when the file as a whole is wrong
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


@dataclass
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


class FileRejected(ServiceError):
    """The file cannot be read at all; the message says why."""


def normalize_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", text)


HEADER_KEYS = {normalize_header(header): key for key, header, _ in COLUMNS} | HEADER_ALIASES


def size_limit_text() -> str:
    limit = settings.MAX_UPLOAD_BYTES
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


def check_size(size: int) -> None:
    if size > settings.MAX_UPLOAD_BYTES:
        raise FileRejected(msg.ERR_TOO_LARGE.format(limit=size_limit_text()))


def read_roster(data: bytes) -> Roster:
    """Parse the first worksheet. Raises FileRejected when the file is unusable."""
    check_size(len(data))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise FileRejected(msg.ERR_NOT_XLSX) from None
    try:
        if not workbook.worksheets:
            raise FileRejected(msg.ERR_NOT_XLSX)
        return _read_sheet(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _read_sheet(lines: Any) -> Roster:
    roster = Roster()
    columns: dict[str, int] | None = None
    for number, values in enumerate(lines, start=1):
        if columns is None:
            if number > HEADER_SEARCH_ROWS:
                break
            columns = _header(values, number)
            continue
        if all(_text(v) == "" for v in values):
            continue
        if len(roster.rows) >= MAX_ROWS:
            raise FileRejected(msg.ERR_TOO_MANY_ROWS.format(limit=MAX_ROWS))
        cells = {key: (values[index] if index < len(values) else None) for key, index in columns.items()}
        roster.rows.append(_row(number, cells, roster.errors))
    if columns is None:
        raise FileRejected(msg.ERR_NO_HEADER.format(rows=HEADER_SEARCH_ROWS))
    if not roster.rows:
        raise FileRejected(msg.ERR_NO_ROWS)
    return roster


def _header(values: tuple[Any, ...], number: int) -> dict[str, int] | None:
    """Column index per field, or None when this line is not the header."""
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        key = HEADER_KEYS.get(normalize_header(value))
        if key is None:
            continue
        if key in columns:
            raise FileRejected(str(RowError(number, msg.ERR_DUPLICATE_HEADER.format(name=LABELS[key]))))
        columns[key] = index
    if "code" not in columns and "name" not in columns:
        return None
    missing = [header for key, header, required in COLUMNS if required and key not in columns]
    if missing:
        raise FileRejected(str(RowError(number, msg.ERR_MISSING_HEADERS.format(names="、".join(missing)))))
    return columns


def _row(number: int, cells: dict[str, Any], errors: list[RowError]) -> RosterRow:
    row = RosterRow(row=number)

    def fail(message: str) -> None:
        errors.append(RowError(number, message))

    row.code = _text(cells.get("code"))
    if not row.code:
        fail(msg.ERR_CODE_REQUIRED)
    elif not CODE_RE.match(row.code):
        fail(msg.ERR_CODE_FORMAT.format(code=row.code))
        row.code = ""
    row.name = _text(cells.get("name"))
    if not row.name:
        fail(msg.ERR_NAME_REQUIRED)
    elif len(row.name) > NAME_MAX:
        fail(msg.ERR_NAME_TOO_LONG.format(limit=NAME_MAX))
    row.parent = _text(cells.get("parent"))
    row.kind = _choice(cells.get("kind"), KIND_BY_LABEL, msg.ERR_KIND_UNKNOWN, Kind.labels, fail)
    row.domain = _choice(cells.get("domain"), DOMAIN_BY_LABEL, msg.ERR_DOMAIN_UNKNOWN, Domain.labels, fail)
    for key in COUNT_FIELDS:
        setattr(row, key, _count(cells.get(key), LABELS[key], fail))
    row.income = _income(cells.get("income"), fail)
    row.secretary_name = _text(cells.get("secretary_name")) or None
    if row.secretary_name and len(row.secretary_name) > SECRETARY_NAME_MAX:
        fail(msg.ERR_SECRETARY_NAME_TOO_LONG.format(limit=SECRETARY_NAME_MAX))
    phone = _text(cells.get("secretary_phone"))
    if phone and not PHONE_RE.match(phone):
        fail(msg.ERR_PHONE.format(value=phone))
    elif phone and not row.secretary_name:
        fail(msg.ERR_PHONE_WITHOUT_NAME)
    else:
        row.secretary_phone = phone or None
    return row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # codes and phones typed into number cells
    return str(value).replace("\u3000", " ").strip()


def _choice(value: Any, by_label: dict[str, str], message: str, labels: list[str], fail: Any) -> str | None:
    text = _text(value)
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
        number = Decimal(_text(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _count(value: Any, label: str, fail: Any) -> int | None:
    if _text(value) == "":
        return None
    number = _number(value)
    if number is None or number != number.to_integral_value():
        fail(msg.ERR_COUNT_NOT_INT.format(label=label, value=_text(value)))
        return None
    if number < 0:
        fail(msg.ERR_COUNT_NEGATIVE.format(label=label))
        return None
    return int(number)


def _income(value: Any, fail: Any) -> Decimal | None:
    if _text(value) == "":
        return None
    number = _number(value)
    if number is None:
        fail(msg.ERR_INCOME_NOT_NUMBER.format(value=_text(value)))
        return None
    if number < 0:
        fail(msg.ERR_INCOME_NEGATIVE)
        return None
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number >= INCOME_LIMIT:
        fail(msg.ERR_INCOME_TOO_LARGE)
        return None
    return number
