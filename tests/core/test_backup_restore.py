"""Backup and restore (issue 8 §6): `manage.py backup` of a populated county, restored
by `manage.py restore` into a fresh install (a new database and a new data folder, in
another process), gives the same rows in every table and the same files. On SQLite and
on PostgreSQL, whichever the suite runs on; PostgreSQL restores into its own database."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.rectification.support import approved_plan, docx_bytes, make_task, png_bytes, upload
from zhengdun.audit.models import AuditEvent
from zhengdun.core.uploads import UploadStore
from zhengdun.plans.models import TaskStatus
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import Evidence

ROOT = Path(__file__).resolve().parent.parent.parent
PG_TARGET = "zd_backup_restore_target"
# Written by the install itself, not carried in the archive's data folder.
INSTALL_FILES = {"secret_key", "zhengdun.sqlite3", "zhengdun.sqlite3-wal", "zhengdun.sqlite3-shm"}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def install(settings: Any, tmp_path: Path) -> Path:
    """This process's data folder, in tmp_path, with the backups written beside it."""
    data = tmp_path / "source"
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "media"
    settings.UPLOAD_DIR = data / "uploads"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_DIR.mkdir()
    return data


@pytest.fixture
def populated(install: Path, world: Any, campaign: Any, branch1: Any, town1: Any) -> Any:
    """The personas' county with cases, plans, tasks, progress, evidence (one deleted),
    an upload preview and a file another part of the system keeps in the data folder."""
    for organization in (world.village_e, world.village_w):
        task = make_task(approved_plan(campaign, organization))
        tasks.task_progress(
            task=task,
            actor=branch1 if organization == world.village_e else town1,
            expected_version=1,
            status=TaskStatus.IN_PROGRESS,
            progress=40,
            note="已流转土地 24 亩",
        )
        actor = branch1 if organization == world.village_e else town1
        tasks.evidence_add(task=task, actor=actor, uploaded_file=upload("现场照片.png", png_bytes()), note="3 月")
        removed = tasks.evidence_add(task=task, actor=actor, uploaded_file=upload("会议记录.docx", docx_bytes()))
        tasks.evidence_remove(evidence=removed, actor=actor)
    UploadStore("roster").save(town1, data=b"PK\x03\x04 preview", meta={"rows": 3, "名称": "花名册"})
    (install / "seals").mkdir()
    (install / "seals" / "2026-12-01.txt").write_text("2026-12-01 3f7a…\n", encoding="utf-8")
    return world


def _dump_here() -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("dumpdata", all=True, format="json", stdout=out)
    return json.loads(out.getvalue())


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).as_posix() not in INSTALL_FILES
    }


def _backup() -> tuple[Path, Path]:
    call_command("backup", stdout=io.StringIO())
    [archive] = Path(django_settings.BACKUP_DIR).glob("*.tar.gz")
    return archive, archive.with_name(archive.name.removesuffix(".tar.gz") + ".secret_key")


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a new install: an empty data folder and an empty database."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ZHENGDUN_DATA_DIR"}}
    env["ZHENGDUN_DATA_DIR"] = str(tmp_path / "fresh")
    if connection.vendor == "sqlite":
        yield env
        return
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {PG_TARGET} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {PG_TARGET}")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{PG_TARGET}"
    try:
        yield env
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {PG_TARGET} WITH (FORCE)")


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _by_model(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["model"], []).append(row)
    return grouped


def test_it_restores_a_populated_county_into_a_fresh_install_table_by_table_and_file_by_file(populated, install, fresh):
    before = _dump_here()
    archive, key_file = _backup()

    restored = _manage(fresh, "restore", str(archive), "--secret-key", str(key_file))
    assert restored.returncode == 0, restored.stderr
    assert "已恢复" in restored.stdout
    dumped = _manage(fresh, "dumpdata", "--all", "--format=json")
    assert dumped.returncode == 0, dumped.stderr
    after = json.loads(dumped.stdout)

    # The restore itself is the one row the restored install has on top.
    restore_rows = [r for r in after if r["model"] == "audit.auditevent" and r["fields"]["action"] == "import"]
    assert [r["fields"]["actor_name"] for r in restore_rows] == ["system"]
    assert restore_rows[0]["fields"]["note"].startswith(f"数据恢复：{archive.name}")
    # The chain head moved on by that row; the restored chain must still verify.
    after = [r for r in after if r not in restore_rows and r["model"] != "audit.auditchainhead"]
    before = [r for r in before if r["model"] != "audit.auditchainhead"]
    verified = _manage(fresh, "verify_audit")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    counts_before, counts_after = Counter(r["model"] for r in before), Counter(r["model"] for r in after)
    assert counts_after == counts_before
    assert counts_before["rectification.evidence"] == 4 and counts_before["accounts.user"] >= 6
    expected, got = _by_model(before), _by_model(after)
    for model in counts_before:
        assert got[model] == expected[model], model
    assert Evidence.all_objects.exclude(deleted_at=None).count() == 2

    fresh_data = Path(fresh["ZHENGDUN_DATA_DIR"])
    source_files = _files(install)
    assert len([name for name in source_files if name.startswith("media/evidence/")]) == 4
    assert any(name.startswith("uploads/roster/") for name in source_files) and "seals/2026-12-01.txt" in source_files
    assert _files(fresh_data) == source_files
    assert (fresh_data / "secret_key").read_text().strip() == django_settings.SECRET_KEY
    assert (fresh_data / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_archive_carries_a_manifest_and_the_key_lies_beside_it(populated, install):
    archive, key_file = _backup()
    assert archive.name.startswith("zhengdun-backup-") and archive.stat().st_mode & 0o777 == 0o600
    assert key_file.read_text().strip() == django_settings.SECRET_KEY and key_file.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        for name, expected in manifest["members"].items():
            assert hashlib.sha256(tar.extractfile(name).read()).hexdigest() == expected["sha256"]  # type: ignore[union-attr]
    assert names[0] == "manifest.json" and set(names[1:]) == set(manifest["members"])
    assert not any("secret_key" in name for name in names)
    assert manifest["database"]["vendor"] == connection.vendor and manifest["database"]["member"] in names
    assert manifest["app_version"] == "0.1.0"
    assert manifest["schema"]["rectification"] == "0002_evidence_soft_delete"
    event = AuditEvent.objects.get(action="export", note__startswith="数据备份：")
    assert (event.actor_name, event.client_ip) == ("system", "manage.py")
    assert event.after["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()


def _rewrite(archive: Path, *, change: str = "", drop: str = "", manifest: dict[str, Any] | None = None) -> Path:
    """A copy of the archive with one member changed or left out, or another manifest."""
    copy = archive.with_name("altered.tar.gz")
    with tarfile.open(archive) as src, tarfile.open(copy, "w:gz") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == drop:
                continue
            if info.name == change:
                data = data[:-1] + bytes([data[-1] ^ 1])
            if info.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest).encode()
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return copy


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]


def _refused(archive: Path, *args: str) -> str:
    rows, files = AuditEvent.objects.count(), _files(Path(django_settings.DATA_DIR))
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(archive), *args, "--force", stdout=io.StringIO())
    assert AuditEvent.objects.count() == rows and _files(Path(django_settings.DATA_DIR)) == files
    return str(exc.value)


def test_it_refuses_a_corrupted_archive_and_changes_nothing(populated, install):
    archive, _key = _backup()
    evidence = next(name for name in _manifest(archive)["members"] if name.startswith("media/evidence/"))
    message = _refused(_rewrite(archive, change=evidence))
    assert message == f"备份文件已损坏或不完整（{evidence} 的校验值与清单不符），未做任何更改"
    database = _manifest(archive)["database"]["member"]
    assert _refused(_rewrite(archive, change=database)).startswith(f"备份文件已损坏或不完整（{database} 的校验值")
    assert "缺少" in _refused(_rewrite(archive, drop=evidence))
    cut = archive.with_name("cut.tar.gz")
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert _refused(cut) == "备份文件已损坏或不完整（不是完整的 .tar.gz 备份文件），未做任何更改"


def test_it_refuses_an_archive_of_a_newer_version(populated, install):
    archive, _key = _backup()
    manifest = _manifest(archive)
    manifest["schema"]["rectification"] = "0999_from_the_future"
    assert _refused(_rewrite(archive, manifest=manifest)) == (
        "备份来自更新的程序版本（rectification.0999_from_the_future），请先把程序升级到该版本再恢复，未做任何更改"
    )


def test_it_refuses_to_restore_over_a_database_with_data(populated, install):
    archive, _key = _backup()
    rows = AuditEvent.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert str(exc.value).startswith("目标系统已有数据（")
    assert str(exc.value).endswith("未做任何更改；确要用备份覆盖它，请加 --force")
    assert AuditEvent.objects.count() == rows


def test_it_refuses_a_fresh_database_beside_leftover_files_unless_forced(populated, install, fresh):
    archive, _key = _backup()
    leftover = Path(fresh["ZHENGDUN_DATA_DIR"]) / "media" / "evidence" / "9" / "left-over"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"x")
    refused = _manage(fresh, "restore", str(archive))
    assert refused.returncode != 0
    assert "目标系统已有数据（数据目录中有 1 个文件），未做任何更改；确要用备份覆盖它，请加 --force" in refused.stderr
    assert leftover.exists()
    forced = _manage(fresh, "restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not leftover.exists()
    assert _files(Path(fresh["ZHENGDUN_DATA_DIR"])) == _files(install)
