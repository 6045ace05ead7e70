"""Reading an uploaded ledger workbook into rows. Nothing here touches the database.

The header is found by its names within the first rows, so the sheet the
system exported, or the paper form retyped by a township, both read. The
size check, header normalization and row-error type are the roster
import's (organizations/import_reader.py).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zhengdun.ledger import messages as msg
from zhengdun.ledger.xlsx import META_SHEET
from zhengdun.organizations.import_reader import FileRejected, RowError, check_size, normalize_header

MAX_ROWS = 5_000
HEADER_SEARCH_ROWS = 10
# The ledger's texts are read on paper; anything longer is a paste gone wrong.
TEXT_MAX = 5_000

# (key, header, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("name", "后进基层党组织名称", True),
    ("parent", "上级党组织名称", True),
    ("secretary_name", "党组织书记姓名", False),
    ("main_problems", "主要问题", True),
    ("measures", "整改措施", True),
)
LABELS = {key: header for key, header, _ in COLUMNS}
# Names found on hand-made copies of the 2014 form.
ALIASES = {"党组织名称": "name", "上级党组织": "parent", "书记姓名": "secretary_name", "党组织书记": "secretary_name"}
HEADER_KEYS = {normalize_header(header): key for key, header, _ in COLUMNS} | {normalize_header(k): v for k, v in ALIASES.items()}
# A row counts as data when any of these holds text; a footnote in 序号 does not.
DATA_KEYS = ("name", "parent", "main_problems", "measures")


@dataclass
class SheetRow:
    row: int  # the Excel row number
    name: str = ""
    parent: str = ""
    secretary_name: str = ""
    main_problems: str = ""
    measures: str = ""


@dataclass(frozen=True)
class Meta:
    """What the export put in its hidden sheet; absent on a retyped form."""

    campaign_id: int
    campaign_name: str
    versions: dict[int, int]  # organization id -> case version at download


@dataclass
class Sheet:
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    meta: Meta | None = None


def read_ledger(data: bytes) -> Sheet:
    """Parse the first worksheet. Raises FileRejected when the file is unusable."""
    check_size(len(data))
    try:
        # Formulas are read as formulas (not their cached results) so that they can be refused.
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise FileRejected(msg.ERR_NOT_XLSX) from None
    try:
        if not workbook.worksheets:
            raise FileRejected(msg.ERR_NOT_XLSX)
        sheet = _read_rows(workbook.worksheets[0].iter_rows())
        if META_SHEET in workbook.sheetnames:
            sheet.meta = _read_meta(workbook[META_SHEET].iter_rows(values_only=True))
        return sheet
    finally:
        workbook.close()


def text(value: Any) -> str:
    """A cell as the text a person typed: numbers without ".0", CRLF as LF, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").strip()


def _read_rows(lines: Any) -> Sheet:
    sheet = Sheet()
    columns: dict[str, int] | None = None
    for number, line in enumerate(lines, start=1):
        if columns is None:
            if number > HEADER_SEARCH_ROWS:
                break
            columns = _header(tuple(cell.value for cell in line), number)
            continue
        found = {key: line[index] for key, index in columns.items() if index < len(line)}
        cells = {key: text(cell.value) for key, cell in found.items()}
        if not any(cells.get(key) for key in DATA_KEYS):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise FileRejected(msg.ERR_TOO_MANY_ROWS.format(limit=MAX_ROWS))
        row = SheetRow(row=number, **cells)
        _check(row, sheet.errors)
        # A formula would be stored as its text or as a result nobody saw: refused.
        for key, cell in found.items():
            if cell.data_type in ("f", "e"):
                sheet.errors.append(RowError(number, msg.ERR_FORMULA.format(label=LABELS[key])))
        sheet.rows.append(row)
    if columns is None:
        raise FileRejected(msg.ERR_NO_HEADER.format(rows=HEADER_SEARCH_ROWS))
    if not sheet.rows:
        raise FileRejected(msg.ERR_NO_ROWS)
    return sheet


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
    if "name" not in columns:
        return None
    missing = [header for key, header, required in COLUMNS if required and key not in columns]
    if missing:
        raise FileRejected(str(RowError(number, msg.ERR_MISSING_HEADERS.format(names="、".join(missing)))))
    return columns


def _check(row: SheetRow, errors: list[RowError]) -> None:
    if not row.name:
        errors.append(RowError(row.row, msg.ERR_NAME_REQUIRED))
    for key in ("main_problems", "measures"):
        if len(getattr(row, key)) > TEXT_MAX:
            errors.append(RowError(row.row, msg.ERR_TOO_LONG.format(label=LABELS[key], limit=TEXT_MAX)))


def _read_meta(lines: Any) -> Meta | None:
    """The hidden sheet; anything unexpected in it means "no meta", never an error."""
    try:
        first = next(lines)
        next(lines)  # column names
        if first[0] != "campaign":
            return None
        versions = {int(org_id): int(version) for org_id, _case_id, version, *_ in lines if org_id is not None}
        return Meta(campaign_id=int(first[1]), campaign_name=text(first[2]), versions=versions)
    except (StopIteration, IndexError, TypeError, ValueError):
        return None
