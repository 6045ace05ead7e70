"""The two steps, each audited as the actor that runs it (the system, from manage.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from zhengdun.core import recording
from zhengdun.core.actors import Actor
from zhengdun.core.backups import database, files
from zhengdun.core.backups.files import BackupError

# The audit app's actions (audit.models.Action): a backup takes data out, a restore brings it in.
BACKUP_ACTION = "export"
RESTORE_ACTION = "import"

ERR_NOT_SYSTEM = "只有系统（manage.py）可以备份或恢复数据"
ERR_OUTPUT = "备份目录 {folder} 不存在或不可写"
ERR_OTHER_VENDOR = "备份来自 {archive} 数据库，本系统使用 {current}：不能直接恢复"
ERR_NEWER = "备份来自更新的程序版本（{migrations}），请先把程序升级到该版本再恢复，未做任何更改"
ERR_KEY_FILE = "密钥文件 {path} 不存在或为空，未做任何更改"
ERR_NOT_EMPTY = "目标系统已有数据（{what}），未做任何更改；确要用备份覆盖它，请加 --force"


@dataclass(frozen=True)
class Backup:
    archive: Path
    secret_key: Path
    manifest: dict[str, Any]


def backup_create(*, actor: Actor, output: Path) -> Backup:
    """Write zhengdun-backup-YYYYMMDD-HHMMSS.tar.gz and, beside it, its .secret_key (0600)."""
    if not actor.is_superuser:
        raise BackupError(ERR_NOT_SYSTEM)
    if not output.is_dir() or not os.access(output, os.W_OK):
        raise BackupError(ERR_OUTPUT.format(folder=output))
    created = timezone.localtime()
    name = f"zhengdun-backup-{created:%Y%m%d-%H%M%S}"
    archive, key_file = output / f"{name}.tar.gz", output / f"{name}.secret_key"
    with tempfile.TemporaryDirectory(dir=output, prefix=f".{name}-") as tmp:
        staging = Path(tmp)
        db_member = database.member(connection)
        database.dump(connection, staging / db_member)
        members = {db_member: files.hashed(staging / db_member)}
        for member, path in files.data_files(also_skip=output):
            members[member] = files.copy_hashed(path, staging / member)
        manifest = {
            "format": files.FORMAT,
            "app": "zhengdun",
            "app_version": files.app_version(),
            "created_at": created.isoformat(),
            "database": {"vendor": connection.vendor, "member": db_member},
            "schema": database.schema(connection),
            "members": members,
        }
        files.pack(staging, manifest, archive)
    # The key signs sessions and the public pages' sender hashes: whoever holds it can
    # forge them. It travels apart from the archive, so a copy of the archive alone
    # (the off-site one, say) is not enough to impersonate anyone.
    files.write_private(key_file, settings.SECRET_KEY.encode() + b"\n")
    recording.record_event(
        BACKUP_ACTION,
        actor=actor,
        note=f"数据备份：{archive.name}，{len(members)} 个文件",
        after={"archive": str(archive), "sha256": files.hashed(archive)["sha256"], "schema": manifest["schema"]},
    )
    return Backup(archive=archive, secret_key=key_file, manifest=manifest)


def backup_restore(*, actor: Actor, archive: Path, secret_key: Path | None, force: bool) -> dict[str, Any]:
    """Bring this install to the archive's state; checks all first and changes nothing when refused."""
    if not actor.is_superuser:
        raise BackupError(ERR_NOT_SYSTEM)
    with tempfile.TemporaryDirectory(prefix="zhengdun-restore-") as tmp:
        unpacked = files.unpack(archive, Path(tmp))
        manifest = unpacked.manifest
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(ERR_OTHER_VENDOR.format(archive=vendor, current=connection.vendor))
        if newer := database.unknown_migrations(manifest["schema"]):
            raise BackupError(ERR_NEWER.format(migrations="、".join(newer[:3])))
        key = secret_key.read_bytes().strip() if secret_key is not None and secret_key.is_file() else b""
        if secret_key is not None and not key:
            raise BackupError(ERR_KEY_FILE.format(path=secret_key))
        present = [path for _member, path in files.data_files()]
        if not force:
            if tables := database.tables_with_rows(connection):
                raise BackupError(ERR_NOT_EMPTY.format(what=f"{len(tables)} 张数据表有记录，如 {tables[0]}"))
            if present:
                raise BackupError(ERR_NOT_EMPTY.format(what=f"数据目录中有 {len(present)} 个文件"))
        database.load(connection, unpacked.path(manifest["database"]["member"]))
        for path in present:
            path.unlink()
        for member in manifest["members"]:
            if member != manifest["database"]["member"]:
                target = files.target_of(member)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(unpacked.path(member), target)
    if key:
        key_path = Path(settings.DATA_DIR) / files.SECRET_KEY_FILE
        key_path.unlink(missing_ok=True)
        files.write_private(key_path, key + b"\n")
    # The archive may come from an older version of the program: bring its schema up to this one.
    call_command("migrate", interactive=False, verbosity=0)
    recording.record_event(
        RESTORE_ACTION,
        actor=actor,
        note=f"数据恢复：{archive.name}（{manifest['created_at']} 的备份）",
        after={"archive": str(archive), "created_at": manifest["created_at"], "schema": manifest["schema"]},
    )
    return manifest
