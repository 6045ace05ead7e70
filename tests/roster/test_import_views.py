import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.roster.roster import HEADER, org, town1_as_it_is, xlsx
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.organizations.models import Organization
from zhengdun.organizations.services import org_create
from zhengdun.roster.services import default_year

UPLOAD = reverse("roster:upload")
CONFIRM = reverse("roster:confirm")
TEMPLATE = reverse("roster:template")


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def upload(client, data, name="名册.xlsx", year=2025):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), "year": year})


def test_it_shows_the_form_with_last_year_and_the_template_link(as_user, town1):
    response = as_user(town1).get(UPLOAD)
    assert response.status_code == 200
    assert response.context["form"].initial["year"] == default_year()
    assert TEMPLATE in response.content.decode()


def test_it_previews_then_writes_on_confirm(as_user, world, town1):
    client = as_user(town1)
    rows = town1_as_it_is()
    rows[1]["党员数"] = 20
    response = upload(client, xlsx(org("V0104", "北关村党支部", "城关镇"), *rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert "新建 <strong>1</strong> 个，修改 <strong>1</strong> 个，未变 <strong>2</strong> 个" in page
    assert "党员数：18 → 20" in page
    assert not Organization.objects.filter(code="V0104").exists()
    token = response.context["token"]

    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "导入完成：新建 1 个，修改 1 个，未变 2 个" in response.content.decode()
    assert Organization.objects.get(code="V0104").parent == world.town1_org
    assert Organization.objects.get(code="V0102").member_count == 20
    assert AuditEvent.objects.filter(action=Action.IMPORT, actor=town1).count() == 1
    # The stored file is gone: confirming twice does nothing.
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "导入文件已过期或不存在，请重新上传" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.IMPORT).count() == 1


def test_it_lists_every_error_with_its_row_and_offers_no_confirm(as_user, world, town1):
    response = upload(as_user(town1), xlsx(org("V0104", "北关村党支部", "T02"), org("V0105", "", "T01")))
    page = response.content.decode()
    assert "名册中有 2 处错误，未导入任何数据，请修改后重新导入" in page
    assert "<td>第 2 行</td><td>找不到上级组织“T02”：请填写已有组织或本表中组织的编码或全称</td>" in page
    assert "<td>第 3 行</td><td>组织名称不能为空</td>" in page
    assert CONFIRM not in page
    assert response.context["token"] == ""


def test_it_refuses_a_file_that_is_not_xlsx(as_user, world, town1):
    response = upload(as_user(town1), "组织编码,组织名称\nV1,甲\n".encode(), name="名册.csv")
    assert response.status_code == 200
    assert "无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（可下载导入模板填写）" in response.content.decode()


def test_it_refuses_an_oversized_file(as_user, world, town1, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    response = upload(as_user(town1), xlsx(*town1_as_it_is()))
    assert "文件过大：导入文件不能超过 1 KB" in response.content.decode()


def test_it_refuses_a_year_out_of_range(as_user, world, town1):
    response = upload(as_user(town1), xlsx(*town1_as_it_is()), year=1990)
    assert "年度应在 2000 至" in response.content.decode()


def test_it_revalidates_on_confirm(as_user, world, town1, county):
    client = as_user(town1)
    token = upload(client, xlsx(org("V0104", "北关村党支部", "T01"))).context["token"]
    org_create(parent=world.town1_org, actor=county, code="V0199", name="北关村党支部")
    response = client.post(CONFIRM, {"token": token})
    assert "上级组织“城关镇”下已有名为“北关村党支部”的组织" in response.content.decode()
    assert not Organization.objects.filter(code="V0104").exists()


def test_it_ties_the_stored_file_to_its_uploader(as_user, world, town1, county):
    token = upload(as_user(town1), xlsx(org("V0104", "北关村党支部", "T01"))).context["token"]
    response = as_user(county).post(CONFIRM, {"token": token}, follow=True)
    assert "导入文件已过期或不存在，请重新上传" in response.content.decode()
    assert not Organization.objects.filter(code="V0104").exists()
    response = as_user(town1).post(CONFIRM, {"token": "../../etc/passwd"}, follow=True)
    assert "导入文件已过期或不存在，请重新上传" in response.content.decode()


def test_it_offers_the_template_as_a_valid_workbook(as_user, world, town1):
    response = as_user(town1).get(TEMPLATE)
    assert response.status_code == 200
    assert "filename*=utf-8''%E7%BB%84%E7%BB%87" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    roster, values = workbook["组织名册"], workbook["可选值"]
    assert [c.value for c in roster[1]] == HEADER
    assert roster["A2"].value == "V0199"
    assert [c.value for c in values["A"] if c.value][1:] == ["党委", "党工委", "党总支", "党支部", "联合党支部"]
    assert len(roster.data_validations.dataValidation) == 2


def test_it_forbids_a_branch_operator(as_user, branch1):
    client = as_user(branch1)
    assert client.get(UPLOAD).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert client.post(CONFIRM, {"token": "x" * 32}).status_code == 403


def test_it_sends_an_anonymous_visitor_to_sign_in(client, world):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
