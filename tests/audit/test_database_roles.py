"""On PostgreSQL the application's role cannot undo the audit guard, and the database keeps the time."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from tests.audit.conftest import only_postgres
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.services import record

pytestmark = only_postgres
APP_ROLE = "zd_test_app_role"


def _refused(sql: str, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_a_backdated_insert_is_refused(db):
    with pytest.raises(DatabaseError, match="不能补记或预记"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_name, actor_display, action, object_type, object_id, object_repr,"
            " org_path, note, request_id, client_ip) VALUES (now() - interval '1 day', '', '', 'update', '', '', '', '',"
            " '补记', '', '')"
        )
    with pytest.raises(DatabaseError, match="不能补记或预记"), transaction.atomic():
        AuditEvent.objects.create(action=Action.UPDATE, note="预记", at=timezone.now() + datetime.timedelta(hours=1))
    assert not AuditEvent.objects.exists()
    assert record(Action.UPDATE, note="当下").at is not None  # the application's own rows pass


def test_check_db_roles_warns_when_the_application_connects_as_a_superuser(db):
    with pytest.raises(CommandError, match="是超级用户：它能停用或删除审计表的触发器"):
        call_command("check_db_roles")


@pytest.fixture
def app_role(db):
    """The application's role as the README sets it up, taken for the rest of the test."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
    call_command("grant_app_role", APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP_ROLE}")
    yield APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_the_application_role_appends_but_cannot_undo_the_guard(app_role, capsys):
    call_command("check_db_roles")
    assert "数据库账号符合要求" in capsys.readouterr().out
    event = record(Action.UPDATE, note="应用写入")
    _refused(f"UPDATE audit_auditevent SET note = 'x' WHERE id = {event.pk}", "permission denied")
    _refused("TRUNCATE audit_auditevent", "permission denied")
    _refused("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only", "must be owner")
    _refused("DROP TRIGGER audit_event_append_only ON audit_auditevent", "must be owner")
    _refused("DROP TRIGGER audit_event_database_time ON audit_auditevent", "must be owner")
    _refused("DROP TABLE audit_auditevent", "must be owner")
    assert AuditEvent.objects.get(pk=event.pk).note == "应用写入"


def test_check_db_roles_names_what_a_too_powerful_role_can_do(app_role):
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f"GRANT TRUNCATE, UPDATE ON audit_auditevent TO {APP_ROLE}")
        cursor.execute(f"SET ROLE {APP_ROLE}")
    with pytest.raises(CommandError) as e:
        call_command("check_db_roles")
    assert "有 TRUNCATE 权限（能清空审计表）" in str(e.value) and "有 UPDATE 权限（能改写审计记录）" in str(e.value)


def test_grant_app_role_names_a_missing_role(db):
    with pytest.raises(CommandError, match="数据库中没有角色 nobody_here"):
        call_command("grant_app_role", "nobody_here")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain():
    """Writers in parallel transactions, each holding its transaction open a moment:
    without the chain-head lock two of them would claim the same predecessor."""
    import threading
    import time

    from django.db import connections

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                with transaction.atomic():
                    record(Action.UPDATE, note=f"线程 {n} 第 {i} 条")
                    time.sleep(0.005)
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 33))
    call_command("verify_audit")
