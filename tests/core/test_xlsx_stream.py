"""The streamed reader gives what openpyxl's values_only, data_only reading gives."""

import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from tests.core import workbook_bombs as bombs
from zhengdun.core.xlsx_reading import FileRejected, sheet_lines
from zhengdun.core.xlsx_stream import SheetUnreadable, first_sheet_values


def saved(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def openpyxl_lines(data):
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [tuple(v for v in line) for line in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def trimmed(lines):
    # openpyxl pads every line to the sheet's width; the stream stops at a line's last value.
    out = []
    for line in lines:
        line = list(line)
        while line and line[-1] is None:
            line.pop()
        out.append(tuple(line))
    return out


def a_workbook():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["组织编码", "组织名称", None, "党员数", "收入", "是否"])
    sheet.append([104, "北关村党支部", None, 31, 2.5, True])
    sheet.append(["V0105", "  全角\u3000空格  ", "T01", "12", 1e20, False])
    sheet["B5"] = CellRichText("东关", TextBlock(InlineFont(b=True), "村党支部"))
    sheet["D7"] = 7
    second = workbook.create_sheet("别的表")
    second.append(["不读这张"])
    return workbook


def test_it_reads_the_first_sheet_as_openpyxl_does():
    data = saved(a_workbook())
    assert list(first_sheet_values(data)) == trimmed(openpyxl_lines(data))
    assert list(first_sheet_values(data))[4] == (None, "东关村党支部")


def test_it_reads_a_write_only_workbook_with_inline_strings():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for n in range(50):
        sheet.append([f"V{n:04}", f"村{n}", n, n / 4])
    data = saved(workbook)
    assert list(first_sheet_values(data)) == trimmed(openpyxl_lines(data))


def test_a_row_gap_yields_empty_lines_and_keeps_the_numbering():
    data = bombs.row_gap(last_row=5)
    lines = list(first_sheet_values(data))
    assert lines[1:] == [(), (), (), (1,)] and lines == trimmed(openpyxl_lines(data))


def test_a_broken_part_is_not_xlsx():
    data = saved(a_workbook()).replace(b"xl/workbook.xml", b"xl/workbook.xmX")
    with pytest.raises(SheetUnreadable):
        list(first_sheet_values(data))
    with pytest.raises(FileRejected) as refused:
        list(sheet_lines(data, not_xlsx="不是 xlsx"))
    assert refused.value.message == "不是 xlsx"
