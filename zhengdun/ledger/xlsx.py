"""Writing the ledger workbook: seed 004's attachment, ready to print on A4 landscape.

Layout of the first sheet (the reader in upload.py finds the header by its
names, so a township may add lines above it):

    1  后进基层党组织情况汇总表                       (title, merged)
    2  campaign name                                  (merged)
    3  填表单位：…   填报人及联系方式：…   填表日期：…
    4  序号 | 后进基层党组织名称 | … | 联系领导          (header, printed on every page)
    5… one row per listed organization

The workbook is written in openpyxl's write-only mode: rows go to the file as
they come, so memory stays flat however many organizations a province lists
(a 2014 sheet of 100,000 rows included). Cells take one of a few named styles
registered once in the workbook instead of a font and border object each.

A very hidden second sheet keeps the campaign id and each case's version at
download time, so an upload can tell that a case changed in between.

Formula injection: any text that a spreadsheet could take for a formula
(leading =, +, -, @, tab or CR) is stored as a plain string cell
(data_type "s", written as an inline string, never a <f> element) and styled
with quotePrefix, Excel's own "typed with a leading apostrophe" flag, so the
cell stays text even after someone edits it in Excel or WPS. The value itself
is not altered: no visible apostrophe on paper, and an upload reads back the
exact text that was exported.
"""

from __future__ import annotations

import datetime
import io
import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from zhengdun.campaigns.models import Campaign
from zhengdun.ledger.selectors import Ledger, LedgerRow, Listing
from zhengdun.organizations.models import Organization

TITLE = "后进基层党组织情况汇总表"
SHEET_TITLE = "台账"
META_SHEET = "_zhengdun_ledger"
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1
# The progress callback hears of every this many rows written.
PROGRESS_EVERY = 500

# (key, header, width in Excel character units). Widths add up to what fits
# an A4 landscape page at about 85% scale, so fit-to-width stays legible.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("number", "序号", 6),
    ("organization_name", "后进基层党组织名称", 22),
    # Broken after 党组织书记 as on the paper form; the reader ignores whitespace in headers.
    ("secretary_name", "党组织书记\n姓名", 11),
    ("secretary_phone", "党组织书记\n联系电话", 14),
    ("parent_name", "上级党组织名称", 16),
    ("main_problems", "主要问题", 40),
    ("measures", "整改措施", 40),
    ("contact_leaders", "联系领导", 16),
)
LAST_COLUMN = get_column_letter(len(COLUMNS))

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

FONT_NAME = "宋体"
LINE_HEIGHT = 15  # points per wrapped line at 11 pt
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_LEFT = Alignment(wrap_text=True, vertical="center")
WRAP_CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
CENTERED = Alignment(horizontal="center", vertical="center")
CENTERED_COLUMNS = {"number", "secretary_name", "secretary_phone"}

# The named styles of the sheet: each cell refers to one, so the workbook holds six
# formats however many rows it has.
STYLE_TITLE = "台账标题"
STYLE_SUBTITLE = "台账副标题"
STYLE_BLANK = "台账填表栏"
STYLE_BLANK_RIGHT = "台账填表日期"
STYLE_HEADER = "台账表头"
STYLE_LEFT = "台账正文"
STYLE_CENTER = "台账正文居中"
STYLES: tuple[NamedStyle, ...] = (
    NamedStyle(
        STYLE_TITLE, font=Font(name="黑体", size=18, bold=True), alignment=Alignment(horizontal="center", vertical="center")
    ),
    NamedStyle(STYLE_SUBTITLE, font=Font(name=FONT_NAME, size=12), alignment=Alignment(horizontal="center", vertical="center")),
    NamedStyle(STYLE_BLANK, font=Font(name=FONT_NAME, size=11)),
    NamedStyle(STYLE_BLANK_RIGHT, font=Font(name=FONT_NAME, size=11), alignment=Alignment(horizontal="right")),
    NamedStyle(STYLE_HEADER, font=Font(name=FONT_NAME, size=11, bold=True), alignment=WRAP_CENTER, border=BORDER),
    NamedStyle(STYLE_LEFT, font=Font(name=FONT_NAME, size=11), alignment=WRAP_LEFT, border=BORDER),
    NamedStyle(STYLE_CENTER, font=Font(name=FONT_NAME, size=11), alignment=WRAP_CENTER, border=BORDER),
)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class SheetInfo:
    filled_by: str
    filled_on: datetime.date


@dataclass(frozen=True)
class Head:
    """What the lines above the table say: the campaign, the filing unit, the listing."""

    campaign: Campaign
    unit: Organization
    listing: str


def put(sheet: WriteOnlyWorksheet, value: Any, style: str) -> WriteOnlyCell:
    """A cell holding `value` so that no spreadsheet evaluates it."""
    if isinstance(value, str):
        # Control characters pasted from elsewhere are not allowed in the XML.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.style = style
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def build(ledger: Ledger, info: SheetInfo) -> bytes:
    out = io.BytesIO()
    write(out, Head(ledger.campaign, ledger.unit, ledger.listing), ledger.rows, info)
    return out.getvalue()


def write(out: IO[bytes] | Path, head: Head, rows: Iterable[LedgerRow], info: SheetInfo, progress: Progress | None = None) -> int:
    """Stream the workbook into `out`, row by row; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    for style in STYLES:
        workbook.add_named_style(style)
    sheet = workbook.create_sheet(SHEET_TITLE)
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.append(["campaign", head.campaign.pk, head.campaign.name])
    meta.append(["organization", "case", "version"])
    # Columns, merges and print settings are written before the first row.
    for index, (_key, _label, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _page_setup(sheet)
    _title(sheet, head, info)
    _header(sheet)
    count = 0
    for count, row in enumerate(rows, start=1):
        _data_row(sheet, FIRST_DATA_ROW + count - 1, row)
        meta.append([row.organization_id, row.case_id, row.version])
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.save(out)
    if progress is not None:
        progress(count)
    return count


def _append(sheet: WriteOnlyWorksheet, number: int, cells: list[WriteOnlyCell | None], height: float) -> None:
    sheet.row_dimensions[number].height = height
    sheet.append(cells)
    # The row is in the file now; dropping its dimension keeps memory flat.
    del sheet.row_dimensions[number]


def _title(sheet: WriteOnlyWorksheet, head: Head, info: SheetInfo) -> None:
    for number in (1, 2):
        sheet.merged_cells.add(f"A{number}:{LAST_COLUMN}{number}")
    _append(sheet, 1, [put(sheet, TITLE, STYLE_TITLE)], 32)
    subtitle = head.campaign.name
    if head.listing == Listing.ALL:
        subtitle += "（含已销号）"
    _append(sheet, 2, [put(sheet, subtitle, STYLE_SUBTITLE)], 20)
    # Three labelled blanks spread across the page like the paper form.
    filed_on = f"{info.filled_on.year}年{info.filled_on.month}月{info.filled_on.day}日"
    for merged in ("A3:C3", "D3:F3", f"G3:{LAST_COLUMN}3"):
        sheet.merged_cells.add(merged)
    blanks = [
        put(sheet, f"填表单位：{head.unit.name}", STYLE_BLANK),
        None,
        None,
        put(sheet, f"填报人及联系方式：{info.filled_by}", STYLE_BLANK),
        None,
        None,
        put(sheet, f"填表日期：{filed_on}", STYLE_BLANK_RIGHT),
    ]
    _append(sheet, 3, blanks, 20)


def _header(sheet: WriteOnlyWorksheet) -> None:
    cells: list[WriteOnlyCell | None] = [put(sheet, header, STYLE_HEADER) for _key, header, _width in COLUMNS]
    _append(sheet, HEADER_ROW, cells, LINE_HEIGHT * 2 + 4)


def _data_row(sheet: WriteOnlyWorksheet, number: int, row: LedgerRow) -> None:
    values = {key: getattr(row, key) for key, _label, _width in COLUMNS}
    cells: list[WriteOnlyCell | None] = [
        put(sheet, values[key], STYLE_CENTER if key in CENTERED_COLUMNS else STYLE_LEFT) for key, _label, _width in COLUMNS
    ]
    # Excel does not grow a row to fit wrapped text written by a program, so
    # the height is estimated here; too short a row would hide text on paper.
    lines = max(_lines(str(values[key]), width) for key, _label, width in COLUMNS)
    _append(sheet, number, cells, max(1, lines) * LINE_HEIGHT + 4)


def _lines(text: str, width: int) -> int:
    # Padding and CJK fonts wider than the nominal unit leave about 85% of a column for text.
    usable = max(1.0, width * 0.85)
    return sum(max(1, math.ceil(_display_width(part) / usable)) for part in text.split("\n"))


def _display_width(text: str) -> int:
    # A Chinese character takes about two character units of column width.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _page_setup(sheet: WriteOnlyWorksheet) -> None:
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"


def file_name(head: Head | Ledger, on: datetime.date) -> str:
    return _safe_name(f"{TITLE}_{head.unit.name}_{head.campaign.name}_{on:%Y%m%d}") + ".xlsx"


def _safe_name(text: str, forbidden: Iterable[str] = '\\/:*?"<>|\r\n\t') -> str:
    return "".join("_" if ch in forbidden else ch for ch in text)[:150]
