"""python manage.py grant_app_role ROLE: as the tables' owner, give the application's role what it needs, no more."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from zhengdun.audit import db_roles

DONE = "已授权 {role}：读写业务表；审计表只能读取和追加。每次 migrate 之后重新运行。"
ONLY_POSTGRES = "只适用于 PostgreSQL"


class Command(BaseCommand):
    help = "以表的所有者运行：授予应用账号读写业务表、对审计表只读和追加的权限（每次 migrate 后运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="应用连接数据库所用的角色（已用 CREATE ROLE 建立）")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(ONLY_POSTGRES)
        try:
            with transaction.atomic():
                db_roles.grant_app_role(connection, options["role"])
        except ValueError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(DONE.format(role=options["role"]))
