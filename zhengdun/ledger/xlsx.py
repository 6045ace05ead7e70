"""Writing the ledger workbook: seed 004's attachment, ready to print on A4 landscape.

Layout of the first sheet (the reader in upload.py finds the header by its
names, so a township may add lines above it):

    1  后进基层党组织情况汇总表                       (title, merged)
    2  campaign name                                  (merged)
    3  填表单位：…   填报人及联系方式：…   填表日期：…
    4  序号 | 后进基层党组织名称 | … | 联系领导          (header, printed on every page)
    5… one row per listed organization

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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zhengdun.ledger.selectors import Ledger, LedgerRow, Listing

TITLE = "后进基层党组织情况汇总表"
SHEET_TITLE = "台账"
META_SHEET = "_zhengdun_ledger"
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1

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
CENTERED_COLUMNS = {"number", "secretary_name", "secretary_phone"}


@dataclass(frozen=True)
class SheetInfo:
    filled_by: str
    filled_on: datetime.date


def put(cell: Cell, value: Any) -> Cell:
    """Write `value` so that no spreadsheet evaluates it."""
    if isinstance(value, str):
        # Control characters pasted from elsewhere are not allowed in the XML.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def build(ledger: Ledger, info: SheetInfo) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    _title(sheet, ledger, info)
    _header(sheet)
    for offset, row in enumerate(ledger.rows):
        _data_row(sheet, FIRST_DATA_ROW + offset, row)
    _page_setup(sheet)
    _meta(workbook, ledger)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _title(sheet: Worksheet, ledger: Ledger, info: SheetInfo) -> None:
    sheet.merge_cells(f"A1:{LAST_COLUMN}1")
    title = put(sheet["A1"], TITLE)
    title.font = Font(name="黑体", size=18, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32

    subtitle_text = ledger.campaign.name
    if ledger.listing == Listing.ALL:
        subtitle_text += "（含已销号）"
    sheet.merge_cells(f"A2:{LAST_COLUMN}2")
    subtitle = put(sheet["A2"], subtitle_text)
    subtitle.font = Font(name=FONT_NAME, size=12)
    subtitle.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[2].height = 20

    # Three labelled blanks spread across the page like the paper form.
    filed_on = f"{info.filled_on.year}年{info.filled_on.month}月{info.filled_on.day}日"
    parts = (("A3", "C3", f"填表单位：{ledger.unit.name}"), ("D3", "F3", f"填报人及联系方式：{info.filled_by}"))
    for start, end, text in parts:
        sheet.merge_cells(f"{start}:{end}")
        put(sheet[start], text).font = Font(name=FONT_NAME, size=11)
    sheet.merge_cells(f"G3:{LAST_COLUMN}3")
    date_cell = put(sheet["G3"], f"填表日期：{filed_on}")
    date_cell.font = Font(name=FONT_NAME, size=11)
    date_cell.alignment = Alignment(horizontal="right")
    sheet.row_dimensions[3].height = 20


def _header(sheet: Worksheet) -> None:
    for index, (_key, header, width) in enumerate(COLUMNS, start=1):
        cell = put(sheet.cell(row=HEADER_ROW, column=index), header)
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        cell.alignment = WRAP_CENTER
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * 2 + 4


def _data_row(sheet: Worksheet, number: int, row: LedgerRow) -> None:
    values = {key: getattr(row, key) for key, _header, _width in COLUMNS}
    font = Font(name=FONT_NAME, size=11)
    for index, (key, _header, _width) in enumerate(COLUMNS, start=1):
        cell = put(sheet.cell(row=number, column=index), values[key])
        cell.font = font
        cell.border = BORDER
        cell.alignment = WRAP_CENTER if key in CENTERED_COLUMNS else WRAP_LEFT
    # Excel does not grow a row to fit wrapped text written by a program, so
    # the height is estimated here; too short a row would hide text on paper.
    lines = max(_lines(str(values[key]), width) for key, _header, width in COLUMNS)
    sheet.row_dimensions[number].height = max(1, lines) * LINE_HEIGHT + 4


def _lines(text: str, width: int) -> int:
    # Padding and CJK fonts wider than the nominal unit leave about 85% of a column for text.
    usable = max(1.0, width * 0.85)
    return sum(max(1, math.ceil(_display_width(part) / usable)) for part in text.split("\n"))


def _display_width(text: str) -> int:
    # A Chinese character takes about two character units of column width.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _page_setup(sheet: Worksheet) -> None:
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
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


def _meta(workbook: Workbook, ledger: Ledger) -> None:
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.append(["campaign", ledger.campaign.pk, ledger.campaign.name])
    meta.append(["organization", "case", "version"])
    for row in ledger.rows:
        meta.append([row.organization_id, row.case_id, row.version])


def file_name(ledger: Ledger, on: datetime.date) -> str:
    return _safe_name(f"{TITLE}_{ledger.unit.name}_{ledger.campaign.name}_{on:%Y%m%d}") + ".xlsx"


def _safe_name(text: str, forbidden: Iterable[str] = '\\/:*?"<>|\r\n\t') -> str:
    return "".join("_" if ch in forbidden else ch for ch in text)[:150]
