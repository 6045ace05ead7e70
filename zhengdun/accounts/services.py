from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from zhengdun.accounts.models import User
from zhengdun.accounts.roles import ROLE_PERMISSIONS
from zhengdun.audit.models import Action
from zhengdun.audit.services import record, snapshot
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations.models import Organization

ERR_USERNAME_TAKEN = "用户名“{username}”已被使用"
ERR_NO_RIGHT = "您没有管理账号的权限"
ERR_UNKNOWN_ROLE = "未知的角色"
ERR_ROLE_ABOVE_OWN = "不能授予高于本人的角色"


def _check_roles(actor: Any, roles: list[str]) -> None:
    if any(r not in ROLE_PERMISSIONS for r in roles):
        raise ServiceError(ERR_UNKNOWN_ROLE)
    if actor.is_superuser:
        return
    granted = {p for r in roles for p in ROLE_PERMISSIONS[r]}
    if not all(actor.has_perm(p) for p in granted):
        raise NotPermitted(ERR_ROLE_ABOVE_OWN)


def _state(user: User) -> dict[str, Any]:
    data = snapshot(user, ["username", "display_name", "phone", "organization", "is_active"])
    data["roles"] = sorted(user.groups.values_list("name", flat=True))
    return data


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    display_name: str,
    organization: Organization,
    roles: list[str],
    password: str,
    phone: str = "",
    is_active: bool = True,
) -> User:
    ensure_org_in_scope(actor, organization)
    if not actor.has_perm("accounts.manage_users"):
        raise NotPermitted(ERR_NO_RIGHT)
    _check_roles(actor, roles)
    if User.objects.filter(username=username).exists():
        raise ServiceError(ERR_USERNAME_TAKEN.format(username=username))
    user = User.objects.create_user(
        username=username,
        password=password,
        display_name=display_name,
        phone=phone,
        organization=organization,
        is_active=is_active,
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    record(Action.CREATE, user, actor=actor, after=_state(user))
    return user


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: User,
    display_name: str,
    organization: Organization,
    roles: list[str],
    phone: str = "",
    is_active: bool = True,
    password: str = "",
) -> User:
    ensure_org_in_scope(actor, user.organization)
    ensure_org_in_scope(actor, organization)
    if not actor.has_perm("accounts.manage_users"):
        raise NotPermitted(ERR_NO_RIGHT)
    _check_roles(actor, roles)
    before = _state(user)
    user.display_name, user.phone, user.organization, user.is_active = display_name, phone, organization, is_active
    if password:
        user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    after = _state(user)
    record(Action.UPDATE, user, actor=actor, before=before, after=after, note="重设密码" if password else "")
    return user
