"""The audit trail as one hash chain: verify_audit finds a row changed, deleted or slipped in
behind the application's back, and the seals find a table rewritten or emptied by its owner."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.audit.conftest import record_at, tamper
from zhengdun.audit import chain, seals
from zhengdun.audit.models import Action, AuditChainHead, AuditEvent
from zhengdun.audit.services import record


def _trail(n: int = 4) -> list[AuditEvent]:
    return [record(Action.UPDATE, note=f"第 {i} 条") for i in range(n)]


def _verify() -> str:
    call_command("verify_audit", stdout=(out := _Out()))
    return out.text


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s


def _broken() -> str:
    with pytest.raises(CommandError) as e:
        call_command("verify_audit", stdout=_Out())
    return str(e.value)


def test_each_row_links_to_the_one_before(db):
    rows = _trail(3)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == chain.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:2]]
    stored = AuditEvent.objects.get(pk=rows[1].pk)
    assert chain.event_digest(stored) == stored.hash == rows[1].hash
    assert AuditChainHead.objects.get().seq == 3


def test_snapshots_hash_the_same_after_the_round_trip_through_the_database(world, county):
    from zhengdun.organizations.services import org_update

    org_update(org=world.village_e, actor=county, member_count=40, name="东关村党支部（新）")
    record(Action.UPDATE, world.secretary_e, actor=county, before={"phone": "13812345678", "n": 1.5}, after={"x": [1, "二"]})
    assert "审计链完好" in _verify()


def test_verify_passes_on_an_intact_trail(db):
    _trail(3)
    assert "审计链完好：3 条记录，链至序号 3" in _verify()


def test_verify_reports_a_changed_row(db):
    rows = _trail()
    tamper("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["改过了", rows[1].pk])
    assert _broken() == f"审计链断裂：序号 2（编号 {rows[1].pk}）的内容与其哈希不符：被修改"


def test_verify_reports_a_changed_row_whose_hash_was_recomputed(db):
    rows = _trail()
    forged = {key: getattr(rows[1], key) for key in chain.HASHED} | {"note": "改过了"}
    tamper("UPDATE audit_auditevent SET note = %s, hash = %s WHERE id = %s", ["改过了", chain.digest(forged), rows[1].pk])
    assert _broken() == f"审计链断裂：序号 3（编号 {rows[2].pk}）与前一条不相连：前一条被替换或此条被插入"


def test_verify_reports_a_deleted_row(db):
    rows = _trail()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    assert _broken() == "审计链断裂：序号 2 的记录缺失：被删除"


def test_verify_reports_the_first_row_deleted(db):
    rows = _trail()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[0].pk])
    assert "链从序号 2 开始，它之前的记录被删除" in _broken()


def test_verify_reports_the_last_row_deleted(db):
    rows = _trail()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[-1].pk])
    assert _broken() == "审计链断裂：链头记到序号 4，表中只到 3：末尾的记录被删除"


def _insert(seq=None, prev_hash="", hash_="", note="补记") -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_name, actor_display, action, object_type, object_id, object_repr,"
            " org_path, note, request_id, client_ip, seq, prev_hash, hash) VALUES (%s, 'county', 'county', 'update',"
            " '', '', '', '', %s, '', '', %s, %s, %s)",
            [timezone.now(), note, seq, prev_hash, hash_],
        )
        cursor.execute("SELECT max(id) FROM audit_auditevent")
        return cursor.fetchone()[0]


def test_verify_reports_a_row_inserted_without_the_chain(db):
    _trail()
    pk = _insert()
    assert _broken() == f"审计链断裂：编号 {pk} 的记录不在链上（没有链序号）：它绕过应用写入"


def test_verify_reports_a_row_inserted_into_the_chain_with_a_made_up_hash(db):
    rows = _trail()
    _insert(seq=5, prev_hash=rows[-1].hash, hash_="f" * 64)
    assert "序号 5" in _broken() and "内容与其哈希不符" in _broken()


def test_verify_reports_a_row_appended_with_a_valid_hash_behind_the_applications_back(db):
    rows = _trail()
    pk = _insert(seq=5, prev_hash=rows[-1].hash)
    forged = AuditEvent.objects.get(pk=pk)
    tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [chain.event_digest(forged), pk])
    assert _broken() == "审计链断裂：链头（序号 4）与表中最后一条（序号 5）不符：记录被绕过应用写入"


def _yesterday(hours: int = 0) -> datetime.datetime:
    """`hours` before noon yesterday, local time: on yesterday's date whatever the hour the test runs."""
    noon = datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=1), datetime.time(12))
    return timezone.make_aware(noon) - datetime.timedelta(hours=hours)


def _rewrite_whole_chain() -> None:
    """An owner's rewrite: change the first row and recompute every hash after it, head too."""
    prev = chain.GENESIS
    for event in AuditEvent.objects.order_by("seq"):
        values = {key: getattr(event, key) for key in chain.HASHED} | {"prev_hash": prev}
        if event.seq == 1:
            values["note"] = "改写"
        prev = chain.digest(values)
        tamper(
            "UPDATE audit_auditevent SET note = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [values["note"], values["prev_hash"], prev, event.pk],
        )
    last = AuditEvent.objects.order_by("-seq").first()
    AuditChainHead.objects.update(seq=last.seq, hash=prev)


def test_a_rewritten_table_is_caught_by_the_seal(db):
    record_at(_yesterday(2), "昨天"), record_at(_yesterday(1), "昨天晚些")
    call_command("seal_audit", stdout=_Out())
    _trail(2)
    _rewrite_whole_chain()
    assert "审计链完好" not in _broken()
    assert _broken().endswith("封存的最后一条（序号 2）的哈希与封存不符：表被改写")


def test_an_emptied_table_is_caught_by_the_seal(db):
    record_at(_yesterday(2)), record_at(_yesterday(1))
    call_command("seal_audit", stdout=_Out())
    tamper("DELETE FROM audit_auditevent")
    AuditChainHead.objects.all().delete()
    assert _broken().endswith("封存的最后一条（序号 2）已不在表中：表被截断或删除")


def test_seal_audit_seals_each_closed_day_once_and_chains_its_lines(db, _seal_file):
    record_at(_yesterday(24), "前天"), record_at(_yesterday(1), "昨天")
    _trail(1)  # today: not closed yet
    out = _Out()
    call_command("seal_audit", stdout=out)
    assert "已封存 2 天的审计记录" in out.text
    lines = [json.loads(line) for line in _seal_file.read_text().splitlines()]
    assert [(s["last_seq"], s["rows"]) for s in lines] == [(1, 1), (2, 1)]
    assert lines[1]["last_hash"] == AuditEvent.objects.get(seq=2).hash and lines[0]["prev"] == chain.GENESIS
    call_command("seal_audit", stdout=(again := _Out()))
    assert "已封存 0 天" in again.text and len(_seal_file.read_text().splitlines()) == 2
    assert "核对封存 2 条" in _verify()


def test_an_edited_seal_file_is_reported(db, _seal_file):
    record_at(_yesterday(24)), record_at(_yesterday(1))
    call_command("seal_audit", stdout=_Out())
    lines = _seal_file.read_text().splitlines()
    first = json.loads(lines[0]) | {"rows": 7}
    _seal_file.write_text("\n".join([json.dumps(first, ensure_ascii=False, sort_keys=True), lines[1]]) + "\n")
    assert _broken().endswith("第 2 行与前一行不相连：文件被改动")


def test_the_existing_rows_are_put_on_the_chain_by_the_migration(db):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    for note in ("旧一", "旧二", "旧三"):
        _insert(note=note)
    migration = importlib.import_module("zhengdun.audit.migrations.0006_chain_existing_rows")
    # The schema editor's part in the migration is running SQL on its connection.
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    migration.forward(apps, editor)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "note")) == [(1, "旧一"), (2, "旧二"), (3, "旧三")]
    record(Action.UPDATE, note="新")
    assert "审计链完好：4 条记录，链至序号 4" in _verify()
    assert seals.verify().broken is None
