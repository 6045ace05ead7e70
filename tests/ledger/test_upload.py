import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.ledger.conftest import save, workbook
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_update
from zhengdun.ledger.services import ledger_export

CONFIRM = reverse("ledger:confirm")


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def upload_url(campaign):
    return f"{reverse('ledger:upload')}?campaign={campaign.pk}"


def downloaded(actor, campaign, under) -> bytes:
    return ledger_export(actor=actor, campaign=campaign, under=under).data


def edited(data: bytes, **cells: str) -> bytes:
    """The workbook with cells changed, as a township would in Excel: edited(data, F5="新问题")."""
    book = workbook(data)
    for coordinate, value in cells.items():
        cell = book.worksheets[0][coordinate]
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # typed as '=… in Excel: text, not a formula
    return save(book)


def upload(client, campaign, data, name="台账.xlsx"):
    return client.post(upload_url(campaign), {"file": SimpleUploadedFile(name, data)})


def snapshot():
    """Every case's ledger fields and version, and the size of the audit trail."""
    cases = list(Case.objects.order_by("pk").values_list("pk", "main_problems", "measures", "version"))
    return cases, AuditEvent.objects.filter(action__in=[Action.IMPORT, Action.UPDATE]).count()


def test_it_round_trips_an_edited_sheet(as_user, world, campaign, town1, cases):
    client = as_user(town1)
    data = edited(downloaded(town1, campaign, world.town1_org), F5="班子软弱涣散\n书记年龄偏大", G6="=选派第一书记")
    response = upload(client, campaign, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "修改 <strong>2</strong> 个，未变 <strong>0</strong> 个" in page
    assert Case.objects.get(pk=cases["village_e"].pk).main_problems == "班子不团结，内耗严重"  # nothing written yet
    token = response.context["token"]
    assert token

    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "台账已更新：修改 2 个，未变 0 个" in response.content.decode()
    village_e = Case.objects.get(pk=cases["village_e"].pk)
    assert village_e.main_problems == "班子软弱涣散\n书记年龄偏大"
    assert village_e.measures == "调整充实班子"
    assert Case.objects.get(pk=cases["community_s"].pk).measures == "=选派第一书记"
    updates = AuditEvent.objects.filter(action=Action.UPDATE, object_type="cases.case", actor=town1)
    assert updates.count() == 2
    assert updates.get(object_id=str(village_e.pk)).after["main_problems"] == "班子软弱涣散\n书记年龄偏大"
    summary = AuditEvent.objects.get(action=Action.IMPORT)
    assert summary.actor == town1 and summary.after["changed"] == 2 and summary.after["file"] == "台账.xlsx"
    # The stored file is gone: confirming twice does nothing.
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "上传的台账已过期或不存在，请重新上传" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.IMPORT).count() == 1


def test_it_writes_nothing_for_an_unchanged_sheet(as_user, world, campaign, town1, cases):
    client = as_user(town1)
    before = snapshot()
    response = upload(client, campaign, downloaded(town1, campaign, world.town1_org))
    page = response.content.decode()
    assert "修改 <strong>0</strong> 个，未变 <strong>2</strong> 个" in page
    assert "台账与系统中的数据一致，无需更新" in page
    assert response.context["token"] == ""
    assert CONFIRM not in page
    assert snapshot() == before


def test_it_writes_nothing_when_the_same_edit_is_uploaded_again(as_user, world, campaign, town1, cases):
    client = as_user(town1)
    data = edited(downloaded(town1, campaign, world.town1_org), F5="新的问题")
    client.post(CONFIRM, {"token": upload(client, campaign, data).context["token"]})
    before = snapshot()
    response = upload(client, campaign, data)
    assert "台账与系统中的数据一致，无需更新" in response.content.decode()
    assert snapshot() == before


def test_it_keeps_the_system_text_for_an_empty_cell(as_user, world, campaign, town1, cases):
    client = as_user(town1)
    data = edited(downloaded(town1, campaign, world.town1_org), F5=None, G5="新措施")
    client.post(CONFIRM, {"token": upload(client, campaign, data).context["token"]})
    case = Case.objects.get(pk=cases["village_e"].pk)
    assert (case.main_problems, case.measures) == ("班子不团结，内耗严重", "新措施")


def test_it_reports_unmatched_and_conflicting_rows_and_writes_nothing(as_user, world, campaign, town1, cases):
    client = as_user(town1)
    book = workbook(downloaded(town1, campaign, world.town1_org))
    sheet = book.worksheets[0]
    sheet["F5"] = "改了也不写"
    sheet["C6"] = "张冒名"  # 南关社区: secretary differs (none on record)
    sheet.append([3, "西关村党支部", None, None, "城关镇", "只排查未认定", None, None])  # row 7
    sheet.append([4, "北河村党支部", None, None, "河口镇", "不在本镇", None, None])  # row 8: town2
    sheet.append([5, "东关村党支部", "王建国", None, "城关镇", "重复一行", None, None])  # row 9
    sheet.append([6, "不存在村党支部", None, None, "城关镇", "x", None, None])  # row 10
    sheet.append([7, None, None, None, None, "有问题没名称", None, None])  # row 11
    before = snapshot()
    response = upload(client, campaign, save(book))
    page = response.content.decode()
    assert "台账中有 6 处问题（未匹配 3 处、冲突 2 处、填写有误 1 处），未写入任何数据，请按行号修改后重新上传" in page
    problems = [(p.row, p.kind_label, p.message) for p in response.context["plan"].problems]
    assert problems == [
        (6, "冲突", "党组织书记姓名“张冒名”与系统记录“（无现任书记）”不一致"),
        (7, "未匹配", "“西关村党支部”未被认定为本次整顿工作的整顿对象"),
        (8, "未匹配", "在您的管辖范围内找不到上级党组织为“河口镇”的“北河村党支部”"),
        (9, "冲突", "与第 5 行是同一个党组织"),
        (10, "未匹配", "在您的管辖范围内找不到上级党组织为“城关镇”的“不存在村党支部”"),
        (11, "填写有误", "后进基层党组织名称不能为空"),
    ]
    assert "<td>第 9 行</td><td>冲突</td><td>与第 5 行是同一个党组织</td>" in page
    assert response.context["token"] == ""
    assert CONFIRM not in page
    assert snapshot() == before


def test_it_reports_a_delisted_organization_as_not_current(as_user, world, campaign, county, cases):
    book = workbook(downloaded(county, campaign, world.county_org))
    book.worksheets[0].append([4, "中河村党支部", None, None, "河口镇", "已销号的", None, None])
    response = upload(as_user(county), campaign, save(book))
    problems = [(p.row, p.message) for p in response.context["plan"].problems]
    assert problems == [(8, "“中河村党支部”在本次整顿工作中的状态为“已销号”，不在当前台账中")]


def test_it_refuses_a_formula_in_a_cell_it_reads(as_user, world, campaign, town1, cases):
    book = workbook(downloaded(town1, campaign, world.town1_org))
    book.worksheets[0]["G5"] = '=F5&"整改"'
    before = snapshot()
    response = upload(as_user(town1), campaign, save(book))
    problems = [(p.row, p.kind_label, p.message) for p in response.context["plan"].problems]
    assert problems == [(5, "填写有误", "“整改措施”是公式或公式错误值，请改为文字（如需以 = 开头，请在前面加英文单引号 '）")]
    assert snapshot() == before


def test_it_refuses_a_row_changed_by_someone_since_the_download(as_user, world, campaign, town1, county, cases):
    data = edited(downloaded(town1, campaign, world.town1_org), F5="乡镇填写的问题")
    case = Case.objects.get(pk=cases["village_e"].pk)
    case_update(case=case, actor=county, expected_version=case.version, main_problems="县里改过", measures="", is_key=False)
    before = snapshot()
    response = upload(as_user(town1), campaign, data)
    problems = [(p.row, p.kind_label, p.message) for p in response.context["plan"].problems]
    assert problems == [(5, "冲突", "下载台账之后，该组织的台账信息已被他人修改，请重新下载台账后再填写")]
    assert snapshot() == before


def test_it_refuses_at_confirm_a_case_changed_since_the_preview(as_user, world, campaign, town1, county, cases):
    client = as_user(town1)
    token = upload(client, campaign, edited(downloaded(town1, campaign, world.town1_org), F5="乡镇填写的问题")).context["token"]
    case = Case.objects.get(pk=cases["village_e"].pk)
    case_update(case=case, actor=county, expected_version=case.version, main_problems="县里改过", measures="", is_key=False)
    before = snapshot()
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "下载台账之后，该组织的台账信息已被他人修改" in response.content.decode()
    assert snapshot() == before


def test_it_matches_a_retyped_sheet_without_the_hidden_versions(as_user, world, campaign, town1, cases):
    book = Workbook()
    sheet = book.active
    sheet.append(["后进基层党组织情况汇总表"])
    sheet.append(
        [
            "序号",
            "后进基层党组织名称",
            "党组织书记姓名",
            "党组织书记\n联系电话",
            "上级党组织名称",
            "主要问题",
            "整改措施",
            "联系领导",
        ]
    )
    sheet.append([1, "南关社区党支部", None, None, "城关镇", None, "建立三会一课台账"])
    client = as_user(town1)
    response = upload(client, campaign, save(book))
    assert "修改 <strong>1</strong> 个" in response.content.decode()
    client.post(CONFIRM, {"token": response.context["token"]})
    assert Case.objects.get(pk=cases["community_s"].pk).measures == "建立三会一课台账"


def test_it_refuses_a_sheet_from_another_campaign(as_user, world, campaign, county, town1, cases):
    from zhengdun.campaigns.services import campaign_create_from_template

    other = campaign_create_from_template(
        template_key="county_backward_2014", scope=world.county_org, start_year=2026, actor=county
    )
    response = upload(as_user(town1), other, downloaded(town1, campaign, world.town1_org))
    assert f"该台账下载自另一项整顿工作（“{campaign.name}”），与所选整顿工作不一致，未写入任何数据" in response.content.decode()


def test_it_refuses_a_file_that_is_not_xlsx(as_user, world, campaign, town1, cases):
    before = snapshot()
    response = upload(as_user(town1), campaign, "后进基层党组织名称,主要问题\n东关村党支部,x\n".encode(), name="台账.csv")
    assert response.status_code == 200
    assert "无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（可先下载台账，在其中填写）" in response.content.decode()
    assert snapshot() == before


def test_it_refuses_a_workbook_without_the_ledger_header(as_user, world, campaign, town1, cases):
    book = Workbook()
    book.active.append(["组织编码", "组织名称"])
    response = upload(as_user(town1), campaign, save(book))
    assert "找不到表头：第一张工作表的前 10 行中应有“后进基层党组织名称”" in response.content.decode()


def test_it_refuses_an_oversized_file(as_user, world, campaign, town1, cases, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    before = snapshot()
    response = upload(as_user(town1), campaign, downloaded(town1, campaign, world.town1_org))
    assert "文件过大：导入文件不能超过 1 KB" in response.content.decode()
    assert snapshot() == before


def test_it_forbids_upload_to_branch1(as_user, world, campaign, branch1, town1, cases):
    data = edited(downloaded(town1, campaign, world.town1_org), F5="x")
    client = as_user(branch1)
    assert client.get(upload_url(campaign)).status_code == 403
    assert upload(client, campaign, data).status_code == 403
    assert client.post(CONFIRM, {"token": "x" * 32}).status_code == 403


def test_it_answers_404_for_an_out_of_scope_campaign(as_user, world, county, town2, cases):
    from zhengdun.campaigns.services import campaign_create_from_template

    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    assert as_user(town2).get(upload_url(own)).status_code == 404


def test_it_cannot_reach_another_users_stored_upload(as_user, world, campaign, town1, county, cases):
    token = upload(as_user(town1), campaign, edited(downloaded(town1, campaign, world.town1_org), F5="x")).context["token"]
    response = as_user(county).post(CONFIRM, {"token": token}, follow=True)
    assert "上传的台账已过期或不存在，请重新上传" in response.content.decode()
    assert Case.objects.get(pk=cases["village_e"].pk).main_problems == "班子不团结，内耗严重"


def test_it_reads_formula_like_text_back_exactly(as_user, world, campaign, town1, county, cases):
    case = Case.objects.get(pk=cases["village_e"].pk)
    case_update(case=case, actor=county, expected_version=case.version, main_problems="=1+1", measures="@SUM(A1)", is_key=False)
    response = upload(as_user(town1), campaign, downloaded(town1, campaign, world.town1_org))
    assert "台账与系统中的数据一致，无需更新" in response.content.decode()
