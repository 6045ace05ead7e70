"""Retention: prune_audit deletes only rows older than AUDIT_RETENTION_DAYS, and the chain still verifies."""

import datetime
import json

from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.audit.conftest import record_at, tamper
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.services import record


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _aged_trail() -> None:
    record_at(_ago(200), "二百天前"), record_at(_ago(190), "一百九十天前"), record_at(_ago(170), "一百七十天前")
    record(Action.UPDATE, note="今天")


def test_it_deletes_only_rows_older_than_the_retention_and_the_chain_still_verifies(db, settings, capsys, _seal_file):
    settings.AUDIT_RETENTION_DAYS = 180
    _aged_trail()
    call_command("prune_audit")
    assert "已清理" in capsys.readouterr().out
    assert list(AuditEvent.objects.order_by("seq").values_list("note", flat=True))[:2] == ["一百七十天前", "今天"]
    prune = json.loads(_seal_file.read_text().splitlines()[-1])
    assert prune["type"] == "prune" and prune["through_seq"] == 2
    pruned = AuditEvent.objects.get(action=Action.PRUNE)
    assert "清理" in pruned.note and "2 条" in pruned.note and pruned.actor_name == "system"
    call_command("verify_audit")
    assert "审计链完好" in capsys.readouterr().out
    call_command("prune_audit")
    assert "没有超过保存期限（180 天" in capsys.readouterr().out


def test_it_never_keeps_less_than_180_days(db, settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 30  # the settings module raises it to 180; the command holds to that too
    _aged_trail()
    call_command("prune_audit")
    assert AuditEvent.objects.filter(note="一百七十天前").exists()
    assert not AuditEvent.objects.filter(note="二百天前").exists()


def test_old_rows_deleted_without_prune_audit_break_the_chain(db):
    _aged_trail()
    tamper("DELETE FROM audit_auditevent WHERE note IN ('二百天前', '一百九十天前')")
    try:
        call_command("verify_audit")
    except CommandError as e:
        assert "链从序号 3 开始，它之前的记录被删除（且不是按保存期限清理的）" in str(e)
    else:
        raise AssertionError("verify_audit passed a trail with its first rows gone")
