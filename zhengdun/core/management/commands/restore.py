"""manage.py restore ARCHIVE [--secret-key FILE] [--force]: bring this install to an
archive's state. Checks the archive and the target first; refused, it changes nothing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengdun.core import context
from zhengdun.core.backups.files import BackupError
from zhengdun.core.backups.services import backup_restore
from zhengdun.core.system import SYSTEM


class Command(BaseCommand):
    help = "从备份文件恢复数据库和文件；目标系统须为空（或加 --force 覆盖）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="zhengdun-backup-….tar.gz")
        parser.add_argument("--secret-key", type=Path, default=None, help="备份时写出的 .secret_key 文件")
        parser.add_argument("--force", action="store_true", help="目标系统已有数据时仍然覆盖")

    def handle(self, *args: Any, **options: Any) -> None:
        with context.acting_as(user=SYSTEM, client_ip="manage.py"):
            try:
                manifest = backup_restore(
                    actor=SYSTEM, archive=options["archive"], secret_key=options["secret_key"], force=options["force"]
                )
            except BackupError as exc:
                raise CommandError(exc.message) from None
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份（{len(manifest['members'])} 个文件）")
        if options["secret_key"] is None:
            self.stdout.write("未提供密钥文件：登录会话需重新登录，公示页的留言人标识将与备份前不同")
        elif os.environ.get("SECRET_KEY"):
            self.stdout.write("注意：已设置环境变量 SECRET_KEY，它优先于恢复的密钥文件")
