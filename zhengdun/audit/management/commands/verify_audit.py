"""python manage.py verify_audit: follow the audit chain and the seals; exit 1 at the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengdun.audit import seals

OK = "审计链完好：{rows} 条记录，链至序号 {last}，核对封存 {seals} 条（{path}）"
BROKEN = "审计链断裂：{message}"


class Command(BaseCommand):
    help = "核验审计日志的哈希链与每日封存：报告第一处断裂（记录被修改、删除或绕过应用插入），有断裂时以非零状态退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = seals.verify()
        if verdict.broken is not None:
            raise CommandError(BROKEN.format(message=verdict.broken.message))
        self.stdout.write(OK.format(rows=verdict.rows, last=verdict.last_seq or 0, seals=verdict.seals, path=seals.seal_path()))
