from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Model
from django.dispatch import receiver
from django.http import HttpRequest

from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core import context
from zhengdun.core.actors import Actor


def _account(user: object) -> Model | None:
    return user if isinstance(user, Model) else None


def _organization(user: object) -> Model | None:
    org = getattr(user, "organization", None)
    return org if isinstance(org, Model) else None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Actor, **kwargs: Any) -> None:
    context.set_user(user)
    record(Action.LOGIN, _account(user), actor=user, organization=_organization(user))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Actor | None, **kwargs: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, _account(user), actor=user, organization=_organization(user))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model()._default_manager.select_related("organization").filter(username=username).first()
    record(
        Action.LOGIN_FAILED,
        user,
        actor=None,
        object_repr=username,
        note=f"账号 {username} 登录失败",
        organization=_organization(user),
    )
