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
