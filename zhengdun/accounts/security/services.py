"""Writes of the sign-in rules: a password set or changed, tokens revoked with it, sessions
ended, the security policy changed. Each one is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhengdun.accounts import policy
from zhengdun.accounts.models import ApiToken, User
from zhengdun.accounts.security.models import PasswordHistory, SecurityPolicy, UserSession
from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core import context
from zhengdun.core.actors import Actor
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError

ERR_OLD_PASSWORD = "原密码不正确"
ERR_SAME_AS_OLD = "新密码不能与原密码相同"
ERR_NO_POLICY_RIGHT = "只有安全管理员可以修改安全策略"
ERR_POLICY_STALE = "安全策略已被他人修改，请刷新后重试"
ERR_ADDRESS_BELOW_ACCOUNT = "同一地址的失败次数上限不能小于同一账号的上限"
NOTE_TOKENS_PASSWORD = "密码已修改，访问令牌随之吊销"
NOTE_TOKENS_DISABLED = "账号已停用，访问令牌随之吊销"
# name: (label, lowest, highest)
POLICY_LIMITS: dict[str, tuple[str, int, int]] = {
    "password_max_age_days": ("密码有效期（天）", 0, 3650),
    "password_history_count": ("不得重复使用的最近密码次数", 0, 24),
    "lockout_failure_limit": ("同一账号的登录失败次数上限", 3, 100),
    "lockout_minutes": ("锁定时长（分钟）", 1, 24 * 60),
    "address_failure_limit": ("同一地址的登录失败次数上限", 3, 10000),
    "idle_minutes": ("闲置时限（分钟）", 1, 24 * 60),
}
ERR_POLICY_RANGE = "{label}应在 {low} 到 {high} 之间"


def check_new_password(*, user: User, password: str) -> None:
    """The password policy, with the account it is for: similarity to its names and its history."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("；".join(exc.messages), errors=list(exc.messages)) from None


def password_was_set(*, user: User) -> None:
    """Every new password (Django's password_changed hook): keep its hash among the last few,
    restart its age, and revoke the account's access tokens, which the old password let someone make."""
    if user.pk is None:
        return
    now = timezone.now()
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(policy.current().password_history_count, 1)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    User.objects.filter(pk=user.pk).update(password_changed_at=now)
    user.password_changed_at = now
    tokens_revoke_all(user=user, note=NOTE_TOKENS_PASSWORD)


def tokens_revoke_all(*, user: User, note: str) -> int:
    """Revoke every usable token of `user`; re-enabling the account later does not revive them."""
    tokens = list(ApiToken.objects.usable().filter(user=user))
    if not tokens:
        return 0
    now = timezone.now()
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
    for token in tokens:
        record(
            Action.UPDATE, token, actor=context.current().user, before={"revoked_at": None}, after={"revoked_at": now}, note=note
        )
    return len(tokens)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str, keep_session_key: str | None) -> User:
    """The account holder changes their own password; their other sessions end."""
    if not user.check_password(old_password):
        raise ServiceError(ERR_OLD_PASSWORD)
    if old_password == new_password:
        raise ServiceError(ERR_SAME_AS_OLD)
    check_new_password(user=user, password=new_password)
    forced = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save()
    ended = sessions_end_others(user=user, keep_session_key=keep_session_key)
    note = "修改本人密码" + ("（管理员重设后首次修改）" if forced else "") + (f"，结束其他 {ended} 个登录会话" if ended else "")
    record(Action.UPDATE, user, actor=user, note=note)
    return user


def _end(session: UserSession) -> None:
    Session.objects.filter(session_key=session.session_key).delete()
    session.delete()


def sessions_end_others(*, user: User, keep_session_key: str | None) -> int:
    others = list(UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""))
    for session in others:
        _end(session)
    return len(others)


def session_moved(*, old_key: str | None, new_key: str | None) -> None:
    """The session kept its user under a new key (Django cycles it when the password changes)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


@transaction.atomic
def session_end(*, actor: Actor, session: UserSession) -> None:
    """End one of the actor's own signed-in sessions (the selector finds only their own)."""
    if session.user_id != actor.pk:
        raise NotPermitted("只能结束本人的登录会话")
    where = f"{session.ip or '未知地址'}，{session.created_at:%Y-%m-%d %H:%M} 登录"
    _end(session)
    record(Action.LOGOUT, session.user, actor=actor, note=f"结束本人的其他登录会话（{where}）")


def _policy_state(row: SecurityPolicy) -> dict[str, Any]:
    return {name: getattr(row, name) for name in policy.FIELDS}


@transaction.atomic
def policy_update(
    *,
    actor: Actor,
    version: int,
    password_max_age_days: int,
    password_history_count: int,
    lockout_failure_limit: int,
    lockout_minutes: int,
    address_failure_limit: int,
    second_factor_for_everyone: bool,
    idle_minutes: int,
) -> SecurityPolicy:
    if not actor.has_perm("accounts.manage_security_policy"):
        raise NotPermitted(ERR_NO_POLICY_RIGHT)
    values: dict[str, Any] = {
        "password_max_age_days": password_max_age_days,
        "password_history_count": password_history_count,
        "lockout_failure_limit": lockout_failure_limit,
        "lockout_minutes": lockout_minutes,
        "address_failure_limit": address_failure_limit,
        "second_factor_for_everyone": second_factor_for_everyone,
        "idle_minutes": idle_minutes,
    }
    for name, (label, low, high) in POLICY_LIMITS.items():
        if not low <= values[name] <= high:
            raise ServiceError(ERR_POLICY_RANGE.format(label=label, low=low, high=high))
    if address_failure_limit < lockout_failure_limit:
        raise ServiceError(ERR_ADDRESS_BELOW_ACCOUNT)
    row = SecurityPolicy.objects.select_for_update().filter(pk=SecurityPolicy.SINGLETON).first()
    if row is None:
        row = SecurityPolicy(pk=SecurityPolicy.SINGLETON, version=0, **dataclass_values(policy.defaults()))
    if row.version != version:
        raise ConflictError(ERR_POLICY_STALE)
    before = _policy_state(row) if row.version else dataclass_values(policy.defaults())
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    row.updated_by = actor if isinstance(actor, User) else None
    row.save()
    changed = {k: v for k, v in values.items() if before[k] != v}
    record(
        Action.UPDATE,
        row,
        actor=actor,
        before={k: before[k] for k in changed},
        after=changed,
        note="修改安全策略",
    )
    # This process reads the new row at once; on commit again, past any read made meanwhile.
    policy.forget()
    transaction.on_commit(policy.forget)
    return row


def dataclass_values(p: policy.Policy) -> dict[str, Any]:
    return {name: getattr(p, name) for name in policy.FIELDS}
