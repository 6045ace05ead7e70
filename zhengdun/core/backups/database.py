"""The database half of a backup: a consistent copy out, the same copy back in.

SQLite: the online backup API (sqlite3 `Connection.backup`) copies the pages of
a live database as one snapshot, WAL included, while the server keeps running.
PostgreSQL: `pg_dump --format=custom` reads in one repeatable-read snapshot;
`pg_restore --clean --if-exists` loads it back. The connection comes from
settings.DATABASES (the alias's settings_dict), the password through PGPASSWORD.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from zhengdun.core.backups.files import BackupError

MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# What `manage.py migrate` alone writes into an empty database: a target holding
# only these rows counts as empty.
FILLED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "auth.group", "auth.group_permissions"}

ERR_VENDOR = "不支持备份或恢复 {vendor} 数据库（仅支持 SQLite 和 PostgreSQL）"
ERR_TOOL = "找不到 {tool}：请安装与数据库版本相同的 PostgreSQL 客户端（Debian：postgresql-client）"
ERR_TOOL_FAILED = "{tool} 执行失败：{detail}"


def member(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in MEMBERS:
        raise BackupError(ERR_VENDOR.format(vendor=connection.vendor))
    return MEMBERS[connection.vendor]


def dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    member(connection)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        _run("pg_dump", connection, ["--format=custom", f"--file={target}"])


def load(connection: BaseDatabaseWrapper, source: Path) -> None:
    """Replace the database's whole content with the dump at `source`."""
    member(connection)
    connection.close()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dumped = sqlite3.connect(source)
        try:
            # Page by page into the open database, so a WAL file beside it cannot outlive the copy.
            dumped.backup(connection.connection)
        finally:
            dumped.close()
            connection.close()
    else:
        # --no-owner: the tables belong to whoever restores (the owner role that runs migrate).
        _run("pg_restore", connection, ["--clean", "--if-exists", "--no-owner", "--exit-on-error", str(source)])


def _run(tool: str, connection: BaseDatabaseWrapper, args: list[str]) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(ERR_TOOL.format(tool=tool))
    db = connection.settings_dict
    command = [executable, f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        command.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    if db.get("USER"):
        command.append(f"--username={db['USER']}")
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    if sslmode := (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    done = subprocess.run([*command, "--no-password", *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(ERR_TOOL_FAILED.format(tool=tool, detail=done.stderr.strip()[-500:]))


def schema(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The last applied migration of each app, e.g. {"rectification": "0002_evidence_soft_delete"}."""
    last: dict[str, str] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        last[app] = max(last.get(app, ""), name)
    return last


def unknown_migrations(applied: dict[str, str]) -> list[str]:
    """Migrations of the archive this code does not have: it was made by a newer version."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return [f"{app}.{name}" for app, name in sorted(applied.items()) if (app, name) not in known]


def tables_with_rows(connection: BaseDatabaseWrapper) -> list[str]:
    """Models whose tables hold rows that `migrate` alone does not write."""
    present = set(connection.introspection.table_names())
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in FILLED_BY_MIGRATE or model._meta.db_table not in present:
            continue
        if model._base_manager.using(connection.alias).exists():
            found.append(label)
    return found
