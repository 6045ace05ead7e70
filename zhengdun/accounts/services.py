"""Writes to accounts: creating and changing them, lifting a login lock, and
issuing and revoking personal access tokens. Each one is audited."""

from __future__ import annotations

import datetime
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from zhengdun.accounts.models import ApiToken, User
from zhengdun.accounts.roles import ROLE_LEVELS, ROLE_PERMISSIONS, SEPARATED_ADMIN_ROLES, Role
from zhengdun.accounts.security import services as security
from zhengdun.accounts.selectors import locked_usernames
from zhengdun.audit.models import Action
from zhengdun.audit.services import record, snapshot
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope, restrict
from zhengdun.organizations.choices import Level
from zhengdun.organizations.models import Organization

ERR_USERNAME_TAKEN = "用户名“{username}”已被使用"
# Taken by an account outside the manager's subtree: say no more than that it cannot be had.
ERR_USERNAME_UNAVAILABLE = "用户名“{username}”不可用，请换一个用户名或联系上级组织部门"
ERR_NO_RIGHT = "您没有管理账号的权限"
ERR_UNKNOWN_ROLE = "未知的角色"
ERR_ADMINS_COMBINED = "三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任"
ERR_ADMIN_WITH_BUSINESS = "三员分立：管理员账号不能同时担任业务角色"
ERR_ADMIN_ACCOUNT = "三员分立：系统管理员、安全管理员、审计管理员的账号只能由超级管理员设置"
ERR_ROLE_LEVEL = "“{role}”只能授予{levels}的账号"
ERR_NOT_LOCKED = "账号“{username}”当前没有被锁定"
ERR_DAYS = "有效天数应为 1 到 3650 之间的整数，留空表示长期有效"
ERR_ALREADY_REVOKED = "该令牌已吊销"
ERR_ACCESS = "令牌权限应为只读或读写"
MAX_DAYS = 3650


def check_role_combination(roles: list[str]) -> None:
    """三员分立: an account holds at most one administrator's role, and then no business role."""
    if any(r not in ROLE_PERMISSIONS for r in roles):
        raise ServiceError(ERR_UNKNOWN_ROLE)
    admin = [r for r in roles if r in SEPARATED_ADMIN_ROLES]
    if len(admin) > 1:
        raise ServiceError(ERR_ADMINS_COMBINED)
    if admin and len(admin) < len(roles):
        raise ServiceError(ERR_ADMIN_WITH_BUSINESS)


def check_role_level(roles: list[str], organization: Organization) -> None:
    """A role whose rights reach a whole county is granted only at county level or above,
    so that no account manager below the county can make a county administrator."""
    for role in roles:
        levels = ROLE_LEVELS.get(role)
        if levels and organization.level not in levels:
            names = "、".join(str(Level(level).label) for level in levels)
            raise ServiceError(ERR_ROLE_LEVEL.format(role=Role(role).label, levels=names + "组织"))


def _check_roles(actor: Actor, roles: list[str], *, organization: Organization, held: list[str] | None = None) -> None:
    """`held`: the roles the account holds now, when it is changed."""
    check_role_combination(roles)
    check_role_level(roles, organization)
    if actor.is_superuser:
        return
    # The system administrator grants business roles within its subtree; the three
    # administrators' accounts are set by the superuser alone, so that none of them
    # can take another's place by creating it or resetting its password.
    if SEPARATED_ADMIN_ROLES & {*roles, *(held or [])}:
        raise NotPermitted(ERR_ADMIN_ACCOUNT)


def _state(user: User) -> dict[str, Any]:
    data = snapshot(user, ["username", "display_name", "phone", "organization", "is_active"])
    data["roles"] = sorted(user.groups.values_list("name", flat=True))
    return data


@transaction.atomic
def user_create(
    *,
    actor: Actor,
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
    _check_roles(actor, roles, organization=organization)
    taken = User.objects.filter(username=username)
    if taken.exists():
        mine = restrict(taken, actor).exists()
        raise ServiceError((ERR_USERNAME_TAKEN if mine else ERR_USERNAME_UNAVAILABLE).format(username=username))
    user = User(username=username, display_name=display_name, phone=phone, organization=organization, is_active=is_active)
    security.check_new_password(user=user, password=password)
    user.set_password(password)
    # A password an administrator chose is known to two people: the holder replaces it at first sign-in.
    user.must_change_password = True
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    record(Action.CREATE, user, actor=actor, after=_state(user))
    return user


@transaction.atomic
def user_update(
    *,
    actor: Actor,
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
    _check_roles(actor, roles, organization=organization, held=list(user.groups.values_list("name", flat=True)))
    before = _state(user)
    disabled = user.is_active and not is_active
    user.display_name, user.phone, user.organization, user.is_active = display_name, phone, organization, is_active
    if password:
        security.check_new_password(user=user, password=password)
        user.set_password(password)  # its tokens are revoked as it is saved (security.password_was_set)
        user.must_change_password = not user.is_demo
    user.save()
    if disabled:
        security.tokens_revoke_all(user=user, note=security.NOTE_TOKENS_DISABLED)
    user.groups.set(Group.objects.filter(name__in=roles))
    after = _state(user)
    record(Action.UPDATE, user, actor=actor, before=before, after=after, note="重设密码" if password else "")
    return user


@transaction.atomic
def user_unlock(*, actor: Actor, user: User) -> User:
    """Lift the lock that repeated failed logins put on `user`, before it runs out."""
    ensure_org_in_scope(actor, user.organization)
    if not actor.has_perm("accounts.manage_users"):
        raise NotPermitted(ERR_NO_RIGHT)
    if user.username not in locked_usernames([user.username]):
        raise ServiceError(ERR_NOT_LOCKED.format(username=user.username))
    axes_reset(username=user.username)
    record(Action.UNLOCK, user, actor=actor, note="解除登录锁定")
    return user


def _public(token: ApiToken) -> dict[str, Any]:
    # Never the hash: the trail is read by more people than the token's owner.
    return {
        "user": token.user.username,
        "name": token.name,
        "hint": token.hint,
        "expires_at": token.expires_at,
        "access": token.access,
    }


@transaction.atomic
def token_create(
    *, user: User, actor: Actor | None, name: str = "", days: int | None = None, access: str = ApiToken.Access.READ
) -> tuple[ApiToken, str]:
    """A new token for `user`, read-only unless asked, expiring after `days` (API_TOKEN_MAX_AGE_DAYS
    when not given); the raw value is returned once and never stored.
    `actor` is None when an operator issues it at the console (manage.py create_token)."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ServiceError(ERR_DAYS)
    if access not in ApiToken.Access.values:
        raise ServiceError(ERR_ACCESS)
    expires_at = timezone.now() + datetime.timedelta(days=days or settings.API_TOKEN_MAX_AGE_DAYS)
    token, raw = ApiToken.issue(user, name=name.strip()[:100], expires_at=expires_at, access=access)
    record(Action.CREATE, token, actor=actor, after=_public(token), note="创建访问令牌")
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor) -> ApiToken:
    if token.revoked_at is not None:
        raise ServiceError(ERR_ALREADY_REVOKED)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        Action.UPDATE,
        token,
        actor=actor,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
        note="吊销访问令牌",
    )
    return token
