from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core import context


def _org_path(user: Any) -> str:
    org = getattr(user, "organization", None)
    return org.path if org is not None else ""


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    context.set_user(user)
    record(Action.LOGIN, user, actor=user, org_path=_org_path(user))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, user, actor=user, org_path=_org_path(user))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    from zhengdun.accounts.models import User

    username = str(credentials.get("username", ""))[:150]
    user = User.objects.select_related("organization").filter(username=username).first()
    record(
        Action.LOGIN_FAILED,
        user,
        actor=None,
        object_repr=username,
        note=f"账号 {username} 登录失败",
        org_path=_org_path(user) if user else "",
    )
