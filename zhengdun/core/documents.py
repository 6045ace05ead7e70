"""Official documents (公文) as .docx, laid out per GB/T 9704-2012.

One small renderer for every document the system issues (plans, bulletins,
summaries): A4 with the standard's margins, the title in 方正小标宋简体 二号,
the body in 仿宋_GB2312 三号 on a fixed 28.95 pt line (22 lines per page),
headings 黑体 / 楷体_GB2312, page numbers "— N —" in 宋体 四号 on the outer
side, and the issuing body with the date at the end.

Word picks the font of Chinese text from the eastAsia attribute of w:rFonts
only; python-docx's `font.name` sets the Latin ones. Every run therefore
gets both, so the names survive whichever application opens the file and a
machine without the official fonts falls back visibly instead of silently.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from docx import Document as new_document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# Font names as Chinese government templates spell them.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# Chinese type sizes (号) in points.
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_SMALL_4 = Pt(12)  # 小四, for table text

# The type area is 156 x 225 mm holding 22 lines: 225 mm / 22 = 28.95 pt.
LINE_PITCH = Pt(28.95)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH = Mm(156)
# The page number's dash sits 7 mm under the type area; the footer's bottom
# edge is one 四号 line (about 6.5 mm) lower still.
FOOTER_DISTANCE = Mm(21.5)

EM_DASH = "\u2014"
BLANK_DATE = "\u3000\u3000年\u3000月\u3000日"  # to be filled in by hand on a draft


def chinese_date(value: datetime.date) -> str:
    """成文日期 with Arabic numerals, as GB/T 9704-2012 7.3.5.1 writes it."""
    return f"{value.year}年{value.month}月{value.day}日"


def _ems(text: str) -> float:
    """Width in character widths: CJK is one, ASCII (digits) half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def set_run_font(run: Run, east_asia: str, size: Length | None = None, *, latin: str = LATIN_FONT, bold: bool = False) -> None:
    run.font.name = latin  # ascii and hAnsi
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        run.font.size = size
    run.font.bold = bold or None


def _fixed_lines(paragraph: Paragraph, pitch: Length = LINE_PITCH) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _indent_chars(paragraph: Paragraph, chars: int, size: Length = SIZE_3) -> None:
    """First-line indent of `chars` characters: in points for every reader,
    and in character units (w:firstLineChars) which Word prefers."""
    paragraph.paragraph_format.first_line_indent = Emu(size * chars)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), str(chars * 100))


def _field(paragraph: Paragraph, instruction: str, east_asia: str, size: Length) -> None:
    """A complex field (begin / instruction / separate / placeholder / end)."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        set_run_font(run, east_asia, size, latin=east_asia)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph.alignment = align
    # 单页码居右空一字，双页码居左空一字.
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = SIZE_4
    else:
        paragraph.paragraph_format.left_indent = SIZE_4
    for part in (f"{EM_DASH} ", None, f" {EM_DASH}"):
        if part is None:
            _field(paragraph, "PAGE", PAGE_NUMBER_FONT, SIZE_4)
        else:
            set_run_font(paragraph.add_run(part), PAGE_NUMBER_FONT, SIZE_4, latin=PAGE_NUMBER_FONT)


# What may follow w:tblBorders in w:tblPr; Word refuses children out of schema order.
AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def _borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    successor = next((child for tag in AFTER_BORDERS if (child := tbl_pr.find(qn(tag))) is not None), None)
    if successor is None:
        tbl_pr.append(borders)
    else:
        successor.addprevious(borders)


def _fixed_width(table: Table, width: Emu) -> None:
    # python-docx writes w:tblW (as "auto") with every table; make it the type area.
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:w"), str(round(width / 635)))  # EMU -> twentieths of a point
    tbl_w.set(qn("w:type"), "dxa")


def _row_flags(row: _Row, *, header: bool) -> None:
    """Rows never break across pages; the header row repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    for flag in ("cantSplit", "tblHeader") if header else ("cantSplit",):
        element = OxmlElement(f"w:{flag}")
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


class Document:
    """Build an official document top to bottom, then take its bytes.

    doc = Document(title="…", issuing_body="…", date=date(2026, 11, 22))
    doc.heading1("一、基本情况"); doc.paragraph("…"); doc.table(["序号", …], rows)
    data = doc.render()
    """

    def __init__(self, *, title: str, issuing_body: str = "", date: datetime.date | None = None) -> None:
        self.title = title
        self.issuing_body = issuing_body
        self.date = date
        self._doc = new_document()
        self._setup_page()
        self._setup_styles()
        self._doc.core_properties.title = title
        self._doc.core_properties.author = issuing_body
        self._doc.core_properties.language = "zh-CN"
        self._signed = False
        self._write_title()

    # -- page and styles -------------------------------------------------

    def _setup_page(self) -> None:
        section = self._doc.sections[0]
        section.start_type = WD_SECTION_START.NEW_PAGE
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance = Mm(15)
        section.footer_distance = FOOTER_DISTANCE
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            grid.set(qn("w:type"), "lines")
            grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
        # Odd pages carry the number on the right, even pages on the left.
        self._doc.settings.odd_and_even_pages_header_footer = True
        section.footer.is_linked_to_previous = False
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def _setup_styles(self) -> None:
        normal = self._doc.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = SIZE_3
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), BODY_FONT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH

    def _write_title(self) -> None:
        p = self._doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # A 二号 title needs more than the body's pitch to breathe over two lines.
        _fixed_lines(p, Pt(35))
        set_run_font(p.add_run(self.title), TITLE_FONT, SIZE_2)
        self._blank()

    def _blank(self) -> None:
        _fixed_lines(self._doc.add_paragraph())

    # -- content ---------------------------------------------------------

    def _body_paragraph(self, *, indent: int = 2) -> Paragraph:
        p = self._doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _fixed_lines(p)
        if indent:
            _indent_chars(p, indent)
        return p

    def _heading(self, text: str, font: str) -> None:
        p = self._body_paragraph()
        p.paragraph_format.keep_with_next = True  # never the last line of a page
        set_run_font(p.add_run(text), font, SIZE_3)

    def heading1(self, text: str) -> None:
        """一级标题 “一、……”: 黑体 三号."""
        self._heading(text, HEADING1_FONT)

    def heading2(self, text: str) -> None:
        """二级标题 “（一）……”: 楷体_GB2312 三号."""
        self._heading(text, HEADING2_FONT)

    def paragraph(self, text: str, *, lead: str = "") -> None:
        """A body paragraph; `lead` is a run-in 二级标题 set in 楷体 before the text."""
        p = self._body_paragraph()
        if lead:
            set_run_font(p.add_run(lead), HEADING2_FONT, SIZE_3)
        set_run_font(p.add_run(text), BODY_FONT, SIZE_3)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], *, widths_mm: Sequence[float] | None = None) -> None:
        """A bordered table across the type area in 小四, so five columns fit 156 mm."""
        widths = [Mm(w) for w in widths_mm] if widths_mm else [Emu(TEXT_WIDTH // len(headers))] * len(headers)
        table = self._doc.add_table(rows=1 + len(rows), cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # w:tblLayout fixed: the widths below hold
        _fixed_width(table, Emu(sum(widths)))
        _borders(table)
        for col, width in zip(table.columns, widths, strict=True):
            col.width = width
        for r, values in enumerate([list(headers), *[list(row) for row in rows]]):
            _row_flags(table.rows[r], header=r == 0)
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.width = widths[c]  # Word reads the cell widths, LibreOffice the grid
                p = cell.paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or c == 0 else WD_ALIGN_PARAGRAPH.LEFT
                _fixed_lines(p, Pt(20))
                set_run_font(p.add_run(str(value)), HEADING1_FONT if r == 0 else BODY_FONT, SIZE_SMALL_4)
        self._blank()

    # -- the end ---------------------------------------------------------

    def _signature(self) -> None:
        """发文机关署名 and 成文日期 (GB/T 9704-2012 7.3.5.1, no seal): the body
        two characters from the right, the date one line lower starting two
        characters to the right of the body's first character. A date that
        would then run past the margin keeps two characters from the right,
        and the body moves left to stay two characters ahead of it."""
        date_text = chinese_date(self.date) if self.date else BLANK_DATE
        body_w, date_w = _ems(self.issuing_body), _ems(date_text)
        body_right = 2.0
        date_right = body_right + body_w - 2 - date_w
        if date_right < 2:
            date_right = 2.0
            body_right = date_right + date_w + 2 - body_w
        self._blank()
        for text, right in ((self.issuing_body, body_right), (date_text, date_right)):
            if not text:
                continue
            p = self._doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _fixed_lines(p)
            p.paragraph_format.right_indent = Emu(int(SIZE_3 * right))
            set_run_font(p.add_run(text), BODY_FONT, SIZE_3)

    def render(self) -> bytes:
        if not self._signed:
            self._signature()
            self._signed = True
        out = io.BytesIO()
        self._doc.save(out)
        return out.getvalue()
