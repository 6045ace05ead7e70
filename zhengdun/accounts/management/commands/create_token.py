from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengdun.accounts.models import ApiToken, User
from zhengdun.accounts.services import token_create
from zhengdun.core import context
from zhengdun.core.errors import ServiceError


class Command(BaseCommand):
    help = "为账号创建一个 API 访问令牌，令牌只显示这一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="账号")
        parser.add_argument("--name", default="命令行创建", help="用途说明")
        parser.add_argument("--days", type=int, default=None, help="有效天数；不填为 API_TOKEN_MAX_AGE_DAYS（默认 180 天）")
        parser.add_argument(
            "--access", choices=ApiToken.Access.values, default=ApiToken.Access.READ, help="read 只读（默认），read_write 读写"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"账号“{options['username']}”不存在") from None
        if not user.is_active:
            raise CommandError(f"账号“{user.username}”已停用，不能创建访问令牌")
        # No one is signed in at the console: the trail names the command.
        with context.acting_as(user=None, client_ip="manage.py"):
            try:
                _token, raw = token_create(
                    user=user, actor=None, name=options["name"], days=options["days"], access=options["access"]
                )
            except ServiceError as exc:
                raise CommandError(exc.message) from None
        # stdout carries the token alone, so scripts can capture it.
        self.stdout.write(raw)
        self.stderr.write("请妥善保存：该令牌只显示这一次。使用方式：Authorization: Bearer <令牌>")
