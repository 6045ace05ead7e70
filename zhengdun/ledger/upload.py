"""Reading an uploaded ledger workbook into rows. Nothing here touches the database.

The header is found by its names within the first rows, so the sheet the
system exported, or the paper form retyped by a township, both read. The
size check, opening the file, finding the header and reading a cell are
shared with the roster import (core/xlsx_reading.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from zhengdun.core.xlsx_reading import FileRejected, Header, RowError, after_header, cell_text, open_workbook
from zhengdun.ledger import messages as msg
from zhengdun.ledger.xlsx import META_SHEET

MAX_ROWS = 5_000
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
# Names found on hand-made copies of the 2014 form.
ALIASES = {"党组织名称": "name", "上级党组织": "parent", "书记姓名": "secretary_name", "党组织书记": "secretary_name"}
HEADER = Header(COLUMNS, anchors=("name",), no_header=msg.ERR_NO_HEADER, aliases=ALIASES)
LABELS = HEADER.labels
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
    # Formulas are read as formulas (not their cached results) so that they can be refused.
    with open_workbook(data, not_xlsx=msg.ERR_NOT_XLSX, data_only=False) as workbook:
        sheet = _read_rows(workbook.worksheets[0].iter_rows())
        if META_SHEET in workbook.sheetnames:
            sheet.meta = _read_meta(workbook[META_SHEET].iter_rows(values_only=True))
        return sheet


def text(value: Any) -> str:
    """A cell as the text a person typed, with every line break as LF.

    The ledger's texts run over several lines; one kind of line break keeps
    what is stored, and what it is compared with, the same whichever editor
    wrote the cell.
    """
    return cell_text(value).replace("\r\n", "\n").replace("\r", "\n")


def _read_rows(lines: Any) -> Sheet:
    sheet = Sheet()
    # Lines of cells, not values: a formula is told by its cell's data type.
    columns, body = after_header(lines, HEADER, value=attrgetter("value"))
    for number, line in body:
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
    if not sheet.rows:
        raise FileRejected(msg.ERR_NO_ROWS)
    return sheet


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
