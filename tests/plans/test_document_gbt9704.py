"""The plan as an official document in the layout of GB/T 9704-2012."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tests.notices.notice_support import approved_plan
from zhengdun.core.documents import Document, chinese_date
from zhengdun.plans.documents import MEASURE_HEADERS, docx_filename, plan_docx
from zhengdun.plans.models import Plan, Task


def east_asia(run) -> str:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def opened(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture
def plan(world, campaign):
    return approved_plan(campaign, world.village_e)


@pytest.fixture
def document(plan) -> docx.document.Document:
    return opened(plan_docx(plan))


def test_it_lays_out_an_a4_page_with_the_standard_margins(document):
    section = document.sections[0]

    def mm(emu: int) -> float:  # Word stores twentieths of a point: compare to 0.1 mm
        return round(emu / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37.0, 35.0)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28.0, 26.0)
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156.0  # the type area


def test_it_sets_the_title_in_xiaobiaosong_size_two(document, plan):
    title = document.paragraphs[0]
    assert title.text == plan.title and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert run.font.size == Pt(22) and east_asia(run) == "方正小标宋简体"
    assert run.font.name  # a Latin fallback is named too


def test_it_sets_the_body_in_fangsong_size_three_on_fixed_lines(document):
    body = next(p for p in document.paragraphs if "两委成员各自为政" in p.text)
    run = body.runs[-1]
    assert run.font.size == Pt(16) and east_asia(run) == "仿宋_GB2312" and run.font.name == "Times New Roman"
    fmt = body.paragraph_format
    assert fmt.first_line_indent == Pt(32)  # two characters of 三号
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and Pt(28) <= fmt.line_spacing <= Pt(29)


def test_it_numbers_headings_and_sets_their_fonts(document):
    texts = [p.text for p in document.paragraphs]
    assert "一、基本情况" in texts and "二、存在的问题" in texts and "三、整顿目标" in texts and "四、整改措施" in texts
    assert "问题原因" not in "".join(texts)  # an empty section is left out, numbering closes up
    heading = next(p for p in document.paragraphs if p.text == "一、基本情况")
    assert east_asia(heading.runs[0]) == "黑体" and heading.runs[0].font.size == Pt(16)
    run_in = next(p for p in document.paragraphs if p.text.startswith("（一）班子不团结。"))
    assert run_in.runs[0].text == "（一）班子不团结。" and east_asia(run_in.runs[0]) == "楷体_GB2312"


def test_it_puts_the_measures_in_a_bordered_table(document):
    table = document.tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == MEASURE_HEADERS
    assert [c.text for c in table.rows[1].cells] == ["1", "流转土地种植艾草", "王建国", "2026年6月30日", "流转土地 60 亩"]
    assert len(table.rows) == 3
    assert table._tbl.tblPr.find(qn("w:tblBorders")) is not None
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page


def test_it_ends_with_the_issuing_body_and_the_date(document):
    filled = [p for p in document.paragraphs if p.text.strip()]
    body, date = filled[-2], filled[-1]
    assert body.text == "中共城关镇委员会" and date.text == "2026年3月5日"
    assert body.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert body.paragraph_format.right_indent == Pt(32)  # 右空二字
    # 8 characters of body, 6 of date: starting two characters further right
    # puts the date two characters from the margin as well.
    assert date.paragraph_format.right_indent == Pt(32)


def test_it_numbers_pages_in_the_footer_on_the_outer_side(document):
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        xml = footer._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert east_asia(footer.runs[0]) == "宋体" and footer.runs[0].font.size == Pt(14)
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert document.settings.odd_and_even_pages_header_footer


def test_it_renders_the_working_copy_by_default_and_a_version_on_request(plan):
    Plan.objects.filter(pk=plan.pk).update(title="修改中的标题")
    Task.objects.filter(plan=plan, order=2).delete()
    plan.refresh_from_db()
    current = opened(plan_docx(plan))
    frozen = opened(plan_docx(plan, plan.approved_version))
    assert current.paragraphs[0].text == "修改中的标题" and len(current.tables[0].rows) == 2
    assert frozen.paragraphs[0].text.startswith("关于东关村党支部") and len(frozen.tables[0].rows) == 3
    assert docx_filename(plan, plan.approved_version) == "关于东关村党支部整顿提升工作的实施方案（第1版）.docx"


def test_it_leaves_a_date_to_fill_in_when_none_is_set(plan):
    Plan.objects.filter(pk=plan.pk).update(issued_on=None, issuing_body="")
    plan.refresh_from_db()
    filled = [p.text for p in opened(plan_docx(plan)).paragraphs if p.text.strip()]
    assert filled[-2] == "东关村党支部" and filled[-1] == "\u3000\u3000年\u3000月\u3000日"


def test_it_renders_any_document_the_same_way():
    doc = Document(title="关于整顿工作进展情况的通报", issuing_body="中共某县委组织部", date=datetime.date(2026, 11, 22))
    doc.heading1("一、总体情况")
    doc.heading2("（一）排查情况")
    doc.paragraph("全县共排查党组织 120 个。")
    doc.render()
    paragraphs = [p for p in opened(doc.render()).paragraphs if p.text.strip()]  # rendering twice signs once
    assert [p.text for p in paragraphs] == [
        "关于整顿工作进展情况的通报",
        "一、总体情况",
        "（一）排查情况",
        "全县共排查党组织 120 个。",
        "中共某县委组织部",
        "2026年11月22日",
    ]
    # Body 8 characters wide, date 7: shifted two characters right the date
    # would pass the 2-character margin, so it keeps the margin and the body
    # moves one character left (GB/T 9704-2012 7.3.5.1).
    body, date = paragraphs[-2], paragraphs[-1]
    assert date.paragraph_format.right_indent == Pt(32)
    assert body.paragraph_format.right_indent == Pt(48)
    assert chinese_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
