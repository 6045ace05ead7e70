"""python manage.py check_db_roles: with the application's DATABASE_URL, check that its role cannot undo the audit guard."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from zhengdun.audit import db_roles

OK = "数据库账号符合要求：不是审计表的所有者，不能清空、改写审计表或改动其触发器"
SQLITE = "SQLite 没有数据库账号：单机部署由文件权限保护（见 README）"


class Command(BaseCommand):
    help = "检查应用连接数据库所用的账号：若它拥有审计表、能清空或改写审计表，则列出问题并以非零状态退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(SQLITE)
            return
        found = db_roles.problems(connection)
        if found:
            raise CommandError("\n".join(found))
        self.stdout.write(OK)
