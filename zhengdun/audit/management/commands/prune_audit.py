"""python manage.py prune_audit: delete audit rows older than AUDIT_RETENTION_DAYS (never under 180)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengdun.audit import guard, seals
from zhengdun.core import context
from zhengdun.core.system import SYSTEM

DONE = "已清理 {cutoff} 之前的审计记录 {rows} 条（保存期限 {days} 天），清理边界已记入 {path}"
NOTHING = "没有超过保存期限（{days} 天，{cutoff} 之前）的审计记录"


class Command(BaseCommand):
    help = (
        "先封存已结束的日期，再删除超过保存期限（AUDIT_RETENTION_DAYS，至少 180 天）的审计记录；"
        "清理边界记入封存文件，核验时据此识别。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with context.acting_as(user=SYSTEM):
                pruned = seals.prune(actor=SYSTEM)
        except (ValueError, OSError) as e:
            raise CommandError(f"清理失败：{e}") from None
        days = guard.retention_days()
        if not pruned.rows:
            self.stdout.write(NOTHING.format(days=days, cutoff=pruned.cutoff))
            return
        self.stdout.write(DONE.format(cutoff=pruned.cutoff, rows=pruned.rows, days=days, path=seals.seal_path()))
