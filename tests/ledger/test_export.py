import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.ledger.conftest import data_rows, listed_case, workbook
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.ledger.services import ledger_export
from zhengdun.organizations.models import Organization

# The seed's column names; two are broken after 党组织书记 for print, as on the paper form.
HEADER = [
    "序号",
    "后进基层党组织名称",
    "党组织书记\n姓名",
    "党组织书记\n联系电话",
    "上级党组织名称",
    "主要问题",
    "整改措施",
    "联系领导",
]


def export(actor, campaign, under, **kwargs):
    return ledger_export(actor=actor, campaign=campaign, under=under, on=datetime.date(2026, 3, 16), **kwargs)


def test_it_writes_the_title_the_blanks_and_the_header(world, campaign, county, cases):
    county.display_name, county.phone = "张组织", "13711112222"
    sheet = workbook(export(county, campaign, world.county_org).data).worksheets[0]
    assert sheet.title == "台账"
    assert sheet["A1"].value == "后进基层党组织情况汇总表"
    assert sheet["A2"].value == campaign.name
    assert sheet["A3"].value == "填表单位：某县"
    assert sheet["D3"].value == "填报人及联系方式：张组织 13711112222"
    assert sheet["G3"].value == "填表日期：2026年3月16日"
    assert [cell.value for cell in sheet[4]] == HEADER
    assert [cell.value.replace("\n", "") for cell in sheet[4]][2:4] == ["党组织书记姓名", "党组织书记联系电话"]
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}


def test_it_writes_one_row_per_listed_organization(world, campaign, county, cases):
    rows = data_rows(export(county, campaign, world.county_org).data)
    assert rows == [
        [1, "东关村党支部", "王建国", "13812345678", "城关镇", "班子不团结，内耗严重", "调整充实班子", "钱主（B岗：赵副）"],
        [2, "南关社区党支部", None, None, "城关镇", "组织生活不正常", None, None],
        [3, "北河村党支部", None, None, "河口镇", "书记不胜任", None, "李联系"],
    ]


def test_it_sets_up_a4_landscape_printing(world, campaign, county, cases):
    sheet = workbook(export(county, campaign, world.county_org).data).worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.page_margins.left == 0.4
    cell = sheet["F5"]
    assert cell.alignment.wrap_text is True
    assert cell.border.left.style == "thin"
    assert sheet.column_dimensions["F"].width == 40


def test_it_masks_phones_for_branch1_but_not_for_the_county(world, campaign, county, branch1, cases):
    assert data_rows(export(branch1, campaign, world.village_e).data)[0][3] == "138****5678"
    assert data_rows(export(county, campaign, world.village_e).data)[0][3] == "13812345678"


def test_it_records_the_export_with_subtree_and_masking(world, campaign, branch1, county, cases):
    export(branch1, campaign, world.village_e)
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == branch1
    assert event.object_type == "campaigns.campaign" and event.object_id == str(campaign.pk)
    assert event.org_path == world.village_e.path
    assert event.after["unit"] == "V0101"
    assert event.after["organizations"] == ["V0101"]
    assert event.after["phones_unmasked"] is False
    assert event.note == f"导出台账（{campaign.name}，东关村党支部，1 个组织，电话号码已脱敏，xlsx）"
    export(county, campaign, world.county_org)
    assert AuditEvent.objects.filter(action=Action.EXPORT).first().after["phones_unmasked"] is True


def test_it_writes_formula_like_text_as_plain_text(world, campaign, county):
    listed_case(campaign, world.village_e, county, main_problems="=1+1", measures="@SUM(A1)")
    listed_case(campaign, world.village_w, county, main_problems="+86 通报", measures="-加强学习\n-规范三会一课")
    listed_case(campaign, world.village_n, county, main_problems='=HYPERLINK("http://x.invalid","点我")', measures="\t=1")
    sheet = workbook(export(county, campaign, world.county_org).data).worksheets[0]
    cells = [sheet[f"{col}{row}"] for row in (5, 6, 7) for col in ("F", "G")]
    assert [c.value for c in cells] == [
        "=1+1",
        "@SUM(A1)",
        "+86 通报",
        "-加强学习\n-规范三会一课",
        '=HYPERLINK("http://x.invalid","点我")',
        "\t=1",
    ]
    for cell in cells:
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix is True, cell.coordinate
    # A plain cell gets no quote prefix.
    assert sheet["B5"].quotePrefix is False


def test_it_names_the_file_in_chinese(world, campaign, county, cases):
    name = export(county, campaign, world.town1_org).file_name
    assert name == f"后进基层党组织情况汇总表_城关镇_{campaign.name}_20260316.xlsx"


def test_it_keeps_export_queries_flat_as_rows_grow(world, campaign, county, cases):
    export(county, campaign, world.county_org)
    with CaptureQueriesContext(connection) as before:
        small = export(county, campaign, world.county_org)
    for i in range(6):
        parent = Organization.objects.get(pk=world.town2_org.pk)
        org = Organization.objects.add_child(parent, instance=Organization(code=f"M{i}", name=f"加村{i}", parent=world.town2_org))
        listed_case(campaign, org, county, main_problems="问题")
    with CaptureQueriesContext(connection) as after:
        large = export(county, campaign, world.county_org)
    assert len(large.ledger.rows) == len(small.ledger.rows) + 6
    assert len(after.captured_queries) == len(before.captured_queries)
