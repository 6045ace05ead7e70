"""Personal numbers in the trail are masked at display time for those without the right
(the stored row, and so its hash, stays whole); the audit administrator exports the trail."""

import csv
import io

from django.core.management import call_command
from django.urls import reverse

from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.services import record

URL = reverse("audit:list")
EXPORT = reverse("audit:export")


def _person_change(world, county) -> AuditEvent:
    return record(
        Action.UPDATE,
        world.secretary_e,
        actor=county,
        before={"phone": "13812345678", "id_number": ""},
        after={"phone": "0371-66123456", "id_number": "110101199003074514", "nested": {"phone": "13900001111"}},
        note="更正 13987654321，座机 0371-66123456",
        object_repr="王建国 110101199003074514",
    )


def _export(client, **params) -> list[list[str]]:
    response = client.get(EXPORT, params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8" and response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_audit_administrator_reads_personal_numbers_masked(world, as_user, county, auditor):
    event = _person_change(world, county)
    assert not auditor.has_perm("accounts.view_personal_info")
    page = as_user(auditor).get(URL).content.decode()
    for whole in ("13812345678", "110101199003074514", "13987654321", "0371-66123456", "13900001111"):
        assert whole not in page
    assert "138****5678" in page and "1101**********4514" in page and "更正 139****4321" in page
    assert "王建国 1101**********4514" in page and "座机 037****3456" in page
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after["id_number"] == "110101199003074514" and stored.hash == event.hash  # stored whole, hash intact


def test_the_audit_administrator_exports_the_trail_masked_and_the_export_is_audited(world, as_user, county, auditor):
    _person_change(world, county)
    rows = _export(as_user(auditor))
    assert rows[0][:5] == ["时间", "链序号", "操作人账号", "操作人", "动作"]
    text = "\n".join(",".join(r) for r in rows)
    assert "13812345678" not in text and "110101199003074514" not in text and "1101**********4514" in text
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor == auditor and export.after["export"] == "audit" and export.after["phones_unmasked"] is False
    assert export.note == f"导出审计日志 {export.after['rows']} 条"
    assert [r[4] for r in rows[1:]].count("导出") == 1  # the export's own row is in the file


def test_the_export_keeps_the_filters(world, as_user, county, auditor):
    _person_change(world, county)
    record(Action.IMPORT, world.village_e, actor=county, note="导入")
    rows = _export(as_user(auditor), action="import")
    assert [r[4] for r in rows[1:]] == ["导入"]
    assert AuditEvent.objects.get(action=Action.EXPORT).after["action"] == "import"


def test_the_export_defuses_formulas(world, as_user, county, auditor):
    record(Action.UPDATE, world.village_e, actor=county, note='=HYPERLINK("http://x","点")', object_repr="+cmd|' /C calc'!A0")
    rows = _export(as_user(auditor), action="update")
    (row,) = rows[1:]
    assert row[8] == '\'=HYPERLINK("http://x","点")' and row[6] == "'+cmd|' /C calc'!A0"


def test_only_the_audit_administrator_exports(world, as_user, county, inspector1, branch1, auditor):
    for user in (county, inspector1, branch1):
        assert as_user(user).get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert "导出 CSV" in as_user(auditor).get(URL).content.decode()
    assert "导出 CSV" not in as_user(inspector1).get(URL).content.decode()


def test_an_exported_trail_still_verifies(world, as_user, county, auditor, capsys):
    _person_change(world, county)
    _export(as_user(auditor))
    call_command("verify_audit")
    assert "审计链完好" in capsys.readouterr().out
