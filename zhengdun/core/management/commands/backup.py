"""manage.py backup [--output DIR]: a dated archive of the database and the data folder,
the secret key beside it (README, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengdun.core import context
from zhengdun.core.backups.files import BackupError
from zhengdun.core.backups.services import backup_create
from zhengdun.core.system import SYSTEM


class Command(BaseCommand):
    help = "备份数据库和数据目录中的文件；密钥单独写在备份文件旁"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="备份目录，默认 BACKUP_DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.BACKUP_DIR)
        if options["output"] is None:
            output.mkdir(parents=True, exist_ok=True)
        with context.acting_as(user=SYSTEM, client_ip="manage.py"):
            try:
                done = backup_create(actor=SYSTEM, output=output)
            except BackupError as exc:
                raise CommandError(exc.message) from None
        self.stdout.write(f"已备份：{done.archive}（{len(done.manifest['members'])} 个文件）")
        self.stdout.write(f"密钥：{done.secret_key}（请与备份文件分开保管）")
