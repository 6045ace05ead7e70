"""The database guard: on PostgreSQL the audit table itself refuses UPDATE, and
DELETE of rows younger than AUDIT_RETENTION_DAYS (never under 180), whoever
asks, and an INSERT whose time is more than CLOCK_TOLERANCE_MINUTES from the database's
own clock (a backdated or future row). TRUNCATE, and altering, disabling or
dropping these triggers, are left to the table owner: the application runs as a
separate role that is not the owner (db_roles.py, README "PostgreSQL roles").

The retention period is written into the trigger function when it is created;
AuditConfig re-creates it after every migrate, so a changed setting takes
effect at the next `manage.py migrate`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

MIN_RETENTION_DAYS = 180
AUDIT_TABLE = "audit_auditevent"
APPEND_ONLY_TRIGGER = "audit_event_append_only"
DATABASE_TIME_TRIGGER = "audit_event_database_time"
# The application stamps `at` under the chain lock and hashes it; the database checks
# it against clock_timestamp() (not now(), the start of a long transaction). The
# tolerance allows for the application server's clock being a little off.
CLOCK_TOLERANCE_MINUTES = 5

_CREATE = """
CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '审计记录只能追加，不能修改';
    END IF;
    IF OLD.at > now() - interval '{days} days' THEN
        RAISE EXCEPTION '审计记录至少保存 {days} 天，不能删除';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard();
CREATE OR REPLACE FUNCTION audit_event_time_guard() RETURNS trigger AS $$
BEGIN
    IF NEW.at IS NULL OR abs(extract(epoch FROM NEW.at - clock_timestamp())) > {minutes} * 60 THEN
        RAISE EXCEPTION '审计记录的时间 % 与数据库时间 % 相差超过 {minutes} 分钟：不能补记或预记', NEW.at, clock_timestamp();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_database_time ON audit_auditevent;
CREATE TRIGGER audit_event_database_time
    BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_time_guard();
"""

_DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_guard();
DROP TRIGGER IF EXISTS audit_event_database_time ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_time_guard();
"""


def retention_days() -> int:
    return max(MIN_RETENTION_DAYS, int(settings.AUDIT_RETENTION_DAYS))


def install(connection: BaseDatabaseWrapper) -> None:
    """(Re-)create the guard with the retention period now in the settings."""
    if connection.vendor != "postgresql":
        return  # SQLite is the single-user embedded set-up: the ORM guard (AuditEvent.save) is all it has.
    with connection.cursor() as cursor:
        cursor.execute(_CREATE.format(days=retention_days(), minutes=CLOCK_TOLERANCE_MINUTES))


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_DROP)


def reinstall_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    connection = connections[using]
    # `migrate audit zero` leaves no table to guard.
    if AUDIT_TABLE in connection.introspection.table_names():
        install(connection)
