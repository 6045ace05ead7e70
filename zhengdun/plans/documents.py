"""The plan as an official document (.docx, GB/T 9704-2012)."""

from __future__ import annotations

import re

from zhengdun.core.documents import Document
from zhengdun.plans.models import Plan, PlanVersion
from zhengdun.plans.plan_text import plan_text
from zhengdun.plans.selectors import plan_content

MEASURE_HEADERS = ("序号", "整改措施", "责任人", "完成时限", "可衡量的目标")
# Millimetres across the 156 mm type area; a full date fits its column on one line.
MEASURE_WIDTHS = (14.0, 50.0, 20.0, 36.0, 36.0)
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def plan_docx(plan: Plan, version: PlanVersion | None = None) -> bytes:
    """The working copy by default, or a stored version; the issuing body
    (the organization when none is set) and the date close the document."""
    content = version.content if version is not None else plan_content(plan)
    text = plan_text(content)
    doc = Document(
        title=text.title or plan.title,
        issuing_body=plan.issuing_body or plan.case.organization.name,
        date=plan.issued_on,
    )
    for section in text.sections:
        doc.heading1(section.heading)
        for paragraph in section.paragraphs:
            if paragraph.lead and not paragraph.text:
                doc.heading2(paragraph.lead)
            else:
                doc.paragraph(paragraph.text, lead=paragraph.lead)
        if section.field == "measures_text" and text.measures:
            rows = [[str(m.number), m.title, m.owner_name, m.deadline_text, m.target] for m in text.measures]
            doc.table(MEASURE_HEADERS, rows, widths_mm=MEASURE_WIDTHS)
    return doc.render()


def docx_filename(plan: Plan, version: PlanVersion | None = None) -> str:
    title = str(version.content.get("title") or plan.title) if version is not None else plan.title
    name = UNSAFE_IN_NAME.sub("", title).strip() or "整顿方案"
    suffix = f"（第{version.number}版）" if version is not None else ""
    return f"{name}{suffix}.docx"
