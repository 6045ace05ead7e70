"""python manage.py import_orgs FILE.xlsx [--as USERNAME] [--year YYYY] [--dry-run]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengdun.accounts.models import User
from zhengdun.core import context
from zhengdun.core.errors import ServiceError
from zhengdun.core.system import SYSTEM
from zhengdun.core.xlsx_reading import check_size
from zhengdun.roster import messages as msg
from zhengdun.roster.plan import ImportPlan
from zhengdun.roster.services import ImportRejected, default_year, import_roster, preview_roster


class Command(BaseCommand):
    help = "导入组织名册（.xlsx）：先校验全部行，有任何错误则不写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="名册文件（.xlsx）")
        parser.add_argument("--as", dest="username", help="以该账号的身份和管辖范围导入；不填则以系统身份导入")
        parser.add_argument("--year", type=int, default=None, help="集体经济收入所属年度，默认上一年度")
        parser.add_argument("--dry-run", action="store_true", help="只校验并列出将要发生的变更，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        actor = self._actor(options["username"])
        year = options["year"] or default_year()
        try:
            check_size(path.stat().st_size)
            data = path.read_bytes()
            # One request id ties every audit row of this run together.
            with context.acting_as(user=actor if isinstance(actor, User) else None):
                if options["dry_run"]:
                    plan = preview_roster(data=data, actor=actor, year=year)
                    if not plan.ok:
                        raise ImportRejected(plan)
                else:
                    plan = import_roster(data=data, file_name=path.name, actor=actor, year=year)
        except ImportRejected as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(exc.message) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self._report(plan, dry_run=options["dry_run"])

    def _actor(self, username: str | None) -> Any:
        if not username:
            return SYSTEM
        user = User.objects.filter(username=username, is_active=True).select_related("organization").first()
        if user is None:
            raise CommandError(f"找不到可用的账号“{username}”")
        return user

    def _report(self, plan: ImportPlan, *, dry_run: bool) -> None:
        for item in plan.changed_rows:
            if item.org is None:
                changes = "；".join(f"{c.label} {c.new}" for c in item.changes)
            else:
                changes = "；".join(f"{c.label} {c.old or '（空）'} → {c.new}" for c in item.changes)
            self.stdout.write(f"第 {item.row} 行 {item.action_label} {item.code} {item.name}：{changes}")
        counts = {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged}
        if not plan.changed_rows and not dry_run:
            self.stdout.write(msg.NOTHING_TO_DO)
        summary = msg.DRY_RUN if dry_run else msg.DONE
        self.stdout.write(summary.format(**counts))
