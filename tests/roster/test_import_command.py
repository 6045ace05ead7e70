from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from tests.roster.roster import org, town1_as_it_is, xlsx
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.organizations.models import EconomyRecord, Organization


def write(tmp_path, data, name="名册.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_orgs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_as_the_system_and_prints_the_summary(world, tmp_path):
    path = write(tmp_path, xlsx(org("V0104", "北关村党支部", "T01", 集体经济收入=1.5), *town1_as_it_is()))
    out, _ = command(path, "--year", "2024")
    assert "第 2 行 新建 V0104 北关村党支部：组织名称 北关村党支部" in out
    assert out.strip().endswith("导入完成：新建 1 个，修改 0 个，未变 3 个")
    assert EconomyRecord.objects.get(organization__code="V0104", year=2024).income_wan == 1.5
    summary = AuditEvent.objects.get(action=Action.IMPORT)
    assert (summary.actor, summary.actor_name, summary.org_path) == (None, "system", "")
    # Every row of the run shares the request id, so the trail reads as one import.
    assert AuditEvent.objects.values("request_id").distinct().count() == 1


def test_it_says_so_when_nothing_changes(world, tmp_path):
    out, _ = command(write(tmp_path, xlsx(*town1_as_it_is())))
    assert "名册与系统中的数据一致，无需导入" in out
    assert not AuditEvent.objects.exists()


def test_it_prints_every_failing_row_and_fails(world, tmp_path):
    path = write(
        tmp_path, xlsx(org("V0104", "北关村党支部", "不存在"), org("V0105", "电话村党支部", "T01", 书记姓名="甲", 书记电话="1"))
    )
    with pytest.raises(CommandError) as exc:
        command(path)
    assert str(exc.value) == "名册中有 2 处错误，未导入任何数据，请修改后重新导入"
    assert not Organization.objects.filter(code__in=["V0104", "V0105"]).exists()


def test_it_exits_non_zero_from_the_command_line(world, tmp_path, capsys):
    path = write(tmp_path, xlsx(org("V0104", "北关村党支部", "不存在")))
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["manage.py", "import_orgs", path])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "第 2 行：找不到上级组织“不存在”：请填写已有组织或本表中组织的编码或全称" in err
    assert "名册中有 1 处错误，未导入任何数据" in err


def test_it_acts_within_the_scope_of_the_given_account(world, tmp_path):
    path = write(tmp_path, xlsx(org("V0203", "外镇村党支部", "T02")))
    with pytest.raises(CommandError):
        command(path, "--as", "town1")
    out, _ = command(path, "--as", "town2")
    assert "新建 1 个" in out
    assert AuditEvent.objects.get(action=Action.IMPORT).actor == world.town2


def test_it_refuses_an_unknown_account_and_a_missing_file(world, tmp_path):
    with pytest.raises(CommandError) as exc:
        command(write(tmp_path, xlsx(*town1_as_it_is())), "--as", "nobody")
    assert str(exc.value) == "找不到可用的账号“nobody”"
    with pytest.raises(CommandError) as exc:
        command(str(tmp_path / "missing.xlsx"))
    assert str(exc.value).startswith("找不到文件：")


def test_it_refuses_a_file_that_is_not_xlsx(world, tmp_path):
    with pytest.raises(CommandError) as exc:
        command(write(tmp_path, b"not a workbook", "名册.xlsx"))
    assert str(exc.value) == "无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（可下载导入模板填写）"


def test_it_dry_runs_without_writing(world, tmp_path):
    out, _ = command(write(tmp_path, xlsx(org("V0101", "东关村党支部", "T01", 党员数=40))), "--dry-run")
    assert "第 2 行 修改 V0101 东关村党支部：党员数 31 → 40" in out
    assert "试导入，未写入任何数据：新建 0 个，修改 1 个，未变 0 个" in out
    assert Organization.objects.get(code="V0101").member_count == 31
    assert not AuditEvent.objects.exists()
