import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.services import record


def test_it_refuses_to_save_an_existing_row_through_the_orm(world):
    event = record(Action.UPDATE, world.village_e, note="x")
    event.note = "changed"
    with pytest.raises(RuntimeError, match="审计记录只能追加"):
        event.save()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database-level guard is a PostgreSQL trigger; SQLite is the single-user embedded set-up",
)
def test_it_makes_the_table_reject_update_and_delete_on_postgresql(world):
    event = record(Action.UPDATE, world.village_e, note="x")
    with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="tampered")
    with pytest.raises(DatabaseError, match="至少保存 180 天"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).note == "x"


def test_it_records_who_what_before_and_after(world, county):
    from zhengdun.organizations.services import org_update

    org_update(org=world.village_e, actor=county, member_count=40)
    event = AuditEvent.objects.get(action="update", object_id=str(world.village_e.pk))
    assert event.actor == county and event.before == {"member_count": 31} and event.after["member_count"] == 40
    assert event.org_path == world.village_e.path


def _aged_row(days: int) -> int:
    # Written with SQL: the ORM stamps `at` with now, and an old row is what retention is about;
    # the database refuses backdated rows, so as the owner the test sets that guard aside.
    from tests.audit.conftest import trigger_off
    from zhengdun.audit import guard

    with trigger_off(guard.DATABASE_TIME_TRIGGER), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_name, actor_display, action, object_type, object_id, object_repr,"
            " org_path, note, request_id, client_ip) VALUES (now() - make_interval(days => %s),"
            " '', '', 'update', '', '', '', '', 'old', '', '') RETURNING id",
            [days],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database-level guard is a PostgreSQL trigger; SQLite is the single-user embedded set-up",
)
def test_the_guard_keeps_rows_for_the_configured_retention_period(db, settings):
    from zhengdun.audit import guard

    settings.AUDIT_RETENTION_DAYS = 400
    guard.install(connection)  # what the post_migrate step does after a changed setting
    kept, gone = _aged_row(300), _aged_row(401)
    with pytest.raises(DatabaseError, match="至少保存 400 天"), transaction.atomic():
        AuditEvent.objects.filter(pk=kept).delete()
    AuditEvent.objects.filter(pk=gone).delete()
    assert list(AuditEvent.objects.filter(pk__in=[kept, gone]).values_list("pk", flat=True)) == [kept]

    settings.AUDIT_RETENTION_DAYS = 30  # never below 180
    guard.install(connection)
    with pytest.raises(DatabaseError, match="至少保存 180 天"), transaction.atomic():
        AuditEvent.objects.filter(pk=_aged_row(100)).delete()
    AuditEvent.objects.filter(pk=kept).delete()
    assert not AuditEvent.objects.filter(pk=kept).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database-level guard is a PostgreSQL trigger; SQLite is the single-user embedded set-up",
)
def test_migrate_recreates_the_guard_with_the_setting(db, settings):
    from django.core.management import call_command

    settings.AUDIT_RETENTION_DAYS = 365
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'audit_event_guard'")
        assert "至少保存 365 天" in cursor.fetchone()[0]
