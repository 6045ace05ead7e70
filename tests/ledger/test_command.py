import pytest
from django.core.management import CommandError, call_command

from tests.ledger.conftest import data_rows
from zhengdun.audit.models import Action, AuditEvent


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("export_ledger", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_file_as_the_system(world, campaign, cases, tmp_path):
    out = tmp_path / "台账.xlsx"
    printed = run("--campaign", str(campaign.pk), "--org", "T01", "--out", str(out))
    assert printed.strip() == f"已导出台账：{out}（2 个组织）"
    rows = data_rows(out.read_bytes())
    assert [row[1] for row in rows] == ["东关村党支部", "南关社区党支部"]
    assert rows[0][3] == "13812345678"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor is None and event.actor_name == "system"
    assert event.after["phones_unmasked"] is True and event.org_path == world.town1_org.path


def test_it_exports_as_a_user_with_that_users_masking(world, campaign, cases, tmp_path):
    out = tmp_path / "ledger.xlsx"
    run("--campaign", str(campaign.pk), "--org", "V0101", "--out", str(out), "--as", "branch1")
    assert data_rows(out.read_bytes())[0][3] == "138****5678"
    assert AuditEvent.objects.get(action=Action.EXPORT).actor_name == "branch1"


def test_it_includes_the_delisted_with_all(world, campaign, cases, tmp_path):
    out = tmp_path / "ledger.xlsx"
    run("--campaign", str(campaign.pk), "--org", "T02", "--out", str(out), "--all")
    assert [row[1] for row in data_rows(out.read_bytes())] == ["北河村党支部", "中河村党支部"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--campaign", "999999", "--org", "T01"], "找不到编号为 999999 的整顿工作（或不在该账号的管辖范围内）"),
        (["--org", "NOPE"], "找不到编码为“NOPE”的组织（或不在该账号的管辖范围内）"),
        (["--org", "T01", "--as", "town2"], "找不到编码为“T01”的组织（或不在该账号的管辖范围内）"),
        (["--org", "T01", "--as", "nobody"], "找不到可用的账号“nobody”"),
    ],
)
def test_it_refuses_bad_arguments_in_chinese(world, campaign, cases, tmp_path, args, message):
    if "--campaign" not in args:
        args = ["--campaign", str(campaign.pk), *args]
    with pytest.raises(CommandError) as exc:
        run(*args, "--out", str(tmp_path / "x.xlsx"))
    assert str(exc.value) == message
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_it_refuses_an_org_outside_the_campaign(world, county, cases, tmp_path):
    from zhengdun.campaigns.services import campaign_create_from_template

    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    with pytest.raises(CommandError) as exc:
        run("--campaign", str(own.pk), "--org", "T02", "--out", str(tmp_path / "x.xlsx"))
    assert str(exc.value) == f"组织“河口镇”不在整顿工作“{own.name}”的范围内"
    assert not (tmp_path / "x.xlsx").exists()


def test_it_refuses_an_unwritable_path(world, campaign, cases, tmp_path):
    out = tmp_path / "missing" / "x.xlsx"
    with pytest.raises(CommandError) as exc:
        run("--campaign", str(campaign.pk), "--org", "T01", "--out", str(out))
    assert str(exc.value) == f"无法写入文件 {out}：目录不存在"
    with pytest.raises(CommandError) as exc:
        run("--campaign", str(campaign.pk), "--org", "T01", "--out", str(tmp_path / "x.csv"))
    assert str(exc.value) == f"输出文件名应以 .xlsx 结尾：{tmp_path / 'x.csv'}"
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
