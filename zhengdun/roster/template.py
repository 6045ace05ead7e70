"""The downloadable roster template: the header, an example row, the allowed values."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zhengdun.organizations.choices import Domain, Kind
from zhengdun.roster.reader import COLUMNS

TEMPLATE_FILE_NAME = "组织名册导入模板.xlsx"
ROSTER_SHEET = "组织名册"
VALUES_SHEET = "可选值"
GUIDE_SHEET = "填写说明"
# Rows the drop-down lists cover; a county roster rarely runs past a thousand lines.
VALIDATED_ROWS = 2000

EXAMPLE = {
    "code": "V0199",
    "name": "示例村党支部",
    "parent": "T01",
    "kind": Kind.BRANCH.label,
    "domain": Domain.RURAL.label,
    "secretary_name": "张三",
    "secretary_phone": "13800000000",
    "member_count": 25,
    "households": 300,
    "population": 1100,
    "income": 3.5,
}

NOTES = {
    "code": "必填。字母、数字、下划线或连字符，最长 32 位；已有编码将更新该组织，新编码将新建组织。",
    "name": "必填。同一上级组织下名称不能重复。",
    "parent": "必填（顶级组织除外）。填写已有组织或本表中组织的编码或全称。",
    "kind": "从“可选值”表中选择；新建时不填默认为党支部。",
    "domain": "从“可选值”表中选择；新建时不填则与上级组织相同。",
    "secretary_phone": "11 位手机号或带区号的固定电话。",
    "income": "以万元计，导入到所选年度（默认上一年度）。",
}

GUIDE = (
    "1. 第一行为表头，列的顺序可以调整；“组织编码”“组织名称”“上级组织”三列必填。",
    "2. 已有组织按编码更新，只修改与系统不同的内容；空白单元格表示保持原值，不会清空。",
    "3. 新组织的上级可以是系统中已有的组织，也可以是本表中的其他行，顺序不限。",
    "4. 导入不调整隶属关系；如需调整，请在组织页面使用“调整隶属”功能。",
    "5. 书记姓名与系统中现任书记不同时，原任职于导入当日截止，新书记自当日起任职。",
    "6. 任何一行有错误时，整个文件都不会导入；请按提示的行号修改后重新上传。",
    "7. 导入前请删除示例行。",
)


def build_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    header_font = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE2E2")
    for index, (key, header, required) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = header_font
        if required:
            cell.fill = required_fill
        if key in NOTES:
            cell.comment = Comment(NOTES[key], "整顿提升工作管理系统")
        sheet.cell(row=2, column=index, value=EXAMPLE[key])
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) * 2 + 4)
    sheet.freeze_panes = "A2"

    values = workbook.create_sheet(VALUES_SHEET)
    for column, (title, labels) in enumerate((("组织类型", Kind.labels), ("所属领域", Domain.labels)), start=1):
        values.cell(row=1, column=column, value=title).font = header_font
        for row, label in enumerate(labels, start=2):
            values.cell(row=row, column=column, value=str(label))
        values.column_dimensions[get_column_letter(column)].width = 16
        _add_list(sheet, title, column, len(labels))

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 100
    for row, line in enumerate(GUIDE, start=1):
        guide.cell(row=row, column=1, value=line)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _add_list(sheet: Worksheet, header: str, values_column: int, count: int) -> None:
    """A drop-down on the roster column `header`, fed by the 可选值 sheet."""
    target = next(i for i, (_, h, _) in enumerate(COLUMNS, start=1) if h == header)
    letter = get_column_letter(values_column)
    source = f"{quote_sheetname(VALUES_SHEET)}!${letter}$2:${letter}${count + 1}"
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.error = f"请从“{VALUES_SHEET}”表中选择{header}"
    validation.errorTitle = f"{header}无效"
    validation.showErrorMessage = True
    column = get_column_letter(target)
    validation.add(f"{column}2:{column}{VALIDATED_ROWS + 1}")
    sheet.add_data_validation(validation)
