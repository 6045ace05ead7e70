"""Which files of an install a backup carries, and the archive that holds them."""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import tomllib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024
SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
SECRET_KEY_FILE = "secret_key"

ERR_CORRUPT = "备份文件已损坏或不完整（{detail}），未做任何更改"


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def app_version() -> str:
    project = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8"))
    return str(project["project"]["version"])


def roots() -> list[tuple[str, Path]]:
    """The folders a backup carries, the most specific first: media and uploads
    sit inside the data folder by default, and each file belongs to one of them."""
    return [("media", Path(settings.MEDIA_ROOT)), ("uploads", Path(settings.UPLOAD_DIR)), ("data", Path(settings.DATA_DIR))]


def _left_out() -> tuple[set[Path], list[Path]]:
    """The secret key (kept apart), the SQLite database (copied by its own means), the
    backups themselves, should BACKUP_DIR be put inside the data folder, and the job
    queue's file and the jobs' files: work in passing (a queue copied mid-write would not
    even open), and exports of personal data kept only days (JOB_FILE_DAYS)."""
    files = {(Path(settings.DATA_DIR) / SECRET_KEY_FILE).resolve()}
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        files |= {Path(name + suffix).resolve() for suffix in SQLITE_SIDE_FILES}
    files |= {Path(str(settings.JOBS_SQLITE_FILE) + suffix).resolve() for suffix in SQLITE_SIDE_FILES}
    return files, [Path(settings.BACKUP_DIR).resolve(), Path(settings.JOB_DIR).resolve()]


def data_files(*, also_skip: Path | None = None) -> Iterator[tuple[str, Path]]:
    """(member name, path) of every file the backup carries, e.g. ("media/evidence/3/ab12…", …);
    `also_skip` is a folder left out too (the one a backup is being written into)."""
    skip_files, skip_dirs = _left_out()
    if also_skip is not None:
        skip_dirs.append(also_skip.resolve())
    seen: set[Path] = set()
    for name, root in roots():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            real = path.resolve()
            if path.is_symlink() or not path.is_file() or real in seen or real in skip_files:
                continue
            if any(real.is_relative_to(folder) for folder in skip_dirs):
                continue
            seen.add(real)
            yield f"{name}/{path.relative_to(root).as_posix()}", path


def target_of(member: str) -> Path:
    """Where a member of the archive goes in this install."""
    root_name, _, rest = member.partition("/")
    folder = dict(roots())[root_name]
    return folder.joinpath(*PurePosixPath(rest).parts)


def copy_hashed(source: Path, target: Path) -> dict[str, Any]:
    """Copy a file and return its SHA-256 and size, read in one pass."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def hashed(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as src:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def write_private(path: Path, data: bytes) -> None:
    """Create a file only its owner can read (0600), refusing to overwrite one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def pack(staging: Path, manifest: dict[str, Any], archive: Path) -> None:
    """Write the staged members and the manifest (first) into a private .tar.gz."""
    (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    partial = archive.with_name(archive.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as tar:
            for member in [MANIFEST, *sorted(manifest["members"])]:
                tar.add(staging / member, arcname=member, recursive=False)
        # Renamed only when complete: a half-written archive never carries the final name.
        partial.rename(archive)
    finally:
        partial.unlink(missing_ok=True)


@dataclass(frozen=True)
class Unpacked:
    folder: Path
    manifest: dict[str, Any]

    def path(self, member: str) -> Path:
        return self.folder.joinpath(*PurePosixPath(member).parts)


def unpack(archive: Path, folder: Path) -> Unpacked:
    """Extract into `folder` (outside the install) and check every member against
    the manifest: same set of files, same SHA-256. Raises BackupError otherwise."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            # The "data" filter refuses absolute names, "..", links out of the folder and devices.
            tar.extractall(folder, filter="data")
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        members: dict[str, dict[str, Any]] = manifest["members"]
        if manifest.get("format") != FORMAT:
            raise BackupError(ERR_CORRUPT.format(detail=f"不认识的备份格式 {manifest.get('format')}"))
    except (OSError, EOFError, zlib.error, tarfile.TarError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(ERR_CORRUPT.format(detail=_reason(exc))) from None
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()} - {MANIFEST}
    if missing := sorted(set(members) - found):
        raise BackupError(ERR_CORRUPT.format(detail=f"缺少 {missing[0]} 等 {len(missing)} 个文件"))
    if extra := sorted(found - set(members)):
        raise BackupError(ERR_CORRUPT.format(detail=f"清单之外的文件 {extra[0]}"))
    unpacked = Unpacked(folder, manifest)
    for member, expected in sorted(members.items()):
        path = unpacked.path(member)
        if path.is_symlink() or hashed(path) != {"sha256": expected.get("sha256"), "size": expected.get("size")}:
            raise BackupError(ERR_CORRUPT.format(detail=f"{member} 的校验值与清单不符"))
    return unpacked


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "找不到文件或缺少清单"
    if isinstance(exc, tarfile.TarError | EOFError | OSError | zlib.error):
        return "不是完整的 .tar.gz 备份文件"
    return "清单无法读取"
