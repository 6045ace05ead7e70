"""Sign-ins, sign-outs and failed sign-ins, in the audit trail."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from zhengdun.accounts.models import User
from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core import context


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    context.set_user(user)
    record(Action.LOGIN, user, actor=user, organization=user.organization)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, user, actor=user, organization=user.organization)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.select_related("organization").filter(username=username).first()
    record(
        Action.LOGIN_FAILED,
        user,
        actor=None,
        object_repr=username,
        note=f"账号 {username} 登录失败",
        organization=user.organization if user is not None else None,
    )
