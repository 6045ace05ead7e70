from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "zhengdun.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from zhengdun.accounts import signals  # noqa: F401 - sign-ins are audited
        from zhengdun.accounts.roles import sync_roles
        from zhengdun.accounts.separation import admin_read_limit
        from zhengdun.core.scoping import add_read_limit

        add_read_limit(admin_read_limit)
        from zhengdun.accounts.security import signals as security_signals  # noqa: F401 - sessions, lockouts

        # Runs after every app: the call after the last app finds all permissions.
        post_migrate.connect(sync_roles, dispatch_uid="zhengdun_sync_roles")
