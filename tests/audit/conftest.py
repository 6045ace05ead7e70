import contextlib
import datetime
from collections.abc import Iterator
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from zhengdun.accounts.models import User
from zhengdun.audit import guard
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.services import record

POSTGRES = connection.vendor == "postgresql"
only_postgres = pytest.mark.skipif(
    not POSTGRES, reason="the database-level guard is a PostgreSQL trigger; SQLite is the single-user embedded set-up"
)


@pytest.fixture
def audit_reader():
    """audit_reader(town1): the persona, now allowed to read its subtree's audit trail."""

    def grant(user: User) -> User:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="audit", codename="view_auditevent"))
        return User.objects.get(pk=user.pk)

    return grant


@pytest.fixture(autouse=True)
def _seal_file(settings, tmp_path):
    """Every test seals into its own file, never into the data folder's."""
    settings.AUDIT_SEAL_FILE = tmp_path / "audit-seals.log"
    return settings.AUDIT_SEAL_FILE


@contextlib.contextmanager
def trigger_off(trigger: str) -> Iterator[None]:
    """What someone with the table owner's rights can do: set a guard trigger aside."""
    if not POSTGRES:
        yield
        return
    with connection.cursor() as cursor:
        # The test's rows still have their deferred foreign-key checks pending, and
        # PostgreSQL alters no table with pending trigger events: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {guard.AUDIT_TABLE} DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {guard.AUDIT_TABLE} ENABLE TRIGGER {trigger}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def tamper(sql: str, params: list | None = None) -> None:
    """Change the table behind the application's back, as the database owner could."""
    with trigger_off(guard.APPEND_ONLY_TRIGGER), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def record_at(moment: datetime.datetime, note: str = "", action: str = Action.UPDATE) -> AuditEvent:
    """A chained row written as if at `moment` (the database-time guard set aside to allow it)."""
    with trigger_off(guard.DATABASE_TIME_TRIGGER), mock.patch("zhengdun.audit.services.timezone.now", return_value=moment):
        return record(action, note=note)
