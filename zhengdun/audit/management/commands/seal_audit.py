"""python manage.py seal_audit: append each closed day's last hash to AUDIT_SEAL_FILE (run daily from cron)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengdun.audit import seals

DONE = "已封存 {days} 天的审计记录到 {path}"


class Command(BaseCommand):
    help = "把每个已结束日期的最后一条审计记录的哈希追加到封存文件（AUDIT_SEAL_FILE）；每天由 cron 运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = seals.seal_closed_days()
        except (ValueError, OSError) as e:
            raise CommandError(f"封存失败：{e}") from None
        # Printed too, so the cron mail keeps a second copy of every seal.
        for entry in written:
            self.stdout.write(json.dumps(entry, ensure_ascii=False, sort_keys=True))
        self.stdout.write(DONE.format(days=len(written), path=seals.seal_path()))
