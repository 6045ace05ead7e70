"""Writes of the second factor: enrolling an authenticator app, checking a code at
sign-in, one-time recovery codes, removing the authenticator. Each is audited on the
account it belongs to; a failed code is audited and throttled (django-otp doubles the
wait after every failure, per device)."""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengdun.accounts.models import User
from zhengdun.accounts.second_factor import policy
from zhengdun.accounts.second_factor.models import Passkey
from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope

ERR_EMPTY = "请输入验证码"
ERR_WRONG_CODE = "验证码不正确，请重新输入（请确认手机时间准确，且每个验证码只能使用一次）"
ERR_WRONG_RECOVERY = "恢复码不正确或已经使用过"
ERR_THROTTLED = "验证码错误次数过多，请 {seconds} 秒后再试"
ERR_ALREADY_ENROLLED = "已启用身份验证器；如需更换，请先移除原有的身份验证器"
ERR_NOT_ENROLLED = "尚未启用身份验证器"
ERR_NO_SECOND_FACTOR = "尚未启用双因素认证（身份验证器或通行密钥）"
ERR_NOT_YOURS = "只能管理本人的身份验证器"
ERR_NO_RIGHT = "您没有管理账号的权限"

AUTHENTICATOR_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
RECOVERY_CODE_COUNT = 10


def normalize(code: str) -> str:
    """What people type: spaces and dashes between groups, either case."""
    return "".join(code.split()).replace("-", "").lower()


def _totp(user: User, *, confirmed: bool) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def _issue_recovery_codes(user: User) -> list[str]:
    # The old codes stop working the moment new ones exist.
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def audit_failure(user: User, note: str) -> None:
    record(Action.LOGIN_FAILED, user, actor=user, note=note)


def throttled(device: Device) -> ServiceError | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
    return ServiceError(ERR_THROTTLED.format(seconds=seconds))


def _check(device: Device, code: str) -> ServiceError | None:
    """None when `device` takes `code`; else the refusal. Throttle state is committed
    either way, so the caller may raise afterwards without losing the count."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        refusal = throttled(locked)
        if refusal is not None:
            return refusal
        if locked.verify_token(code):
            return None
    return ServiceError(ERR_WRONG_CODE if isinstance(device, TOTPDevice) else ERR_WRONG_RECOVERY)


def totp_begin(*, user: User) -> TOTPDevice:
    """The authenticator being set up: a secret not yet confirmed by a code. Nothing is
    audited until it is confirmed; an abandoned one is reused next time."""
    if _totp(user, confirmed=True) is not None:
        raise ServiceError(ERR_ALREADY_ENROLLED)
    pending = _totp(user, confirmed=False)
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return pending


def totp_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with the code it shows now; returns the new recovery
    codes, to be shown once."""
    if device.user_id != user.pk:
        raise NotPermitted(ERR_NOT_YOURS)
    if device.confirmed:
        raise ServiceError(ERR_ALREADY_ENROLLED)
    code = normalize(code)
    if not code:
        raise ServiceError(ERR_EMPTY)
    refusal = _check(device, code)
    if refusal is not None:
        audit_failure(user, "启用双因素认证时验证码错误")
        raise refusal
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _issue_recovery_codes(user)
        record(
            Action.CREATE,
            user,
            actor=user,
            after={"second_factor": AUTHENTICATOR_NAME, "recovery_codes": len(codes)},
            note="启用双因素认证（身份验证器）",
        )
    return codes


def verify(*, user: User, code: str) -> Device:
    """The device that takes `code` at sign-in: six digits are the authenticator's code,
    anything else a recovery code (used up by this). Refusals are audited."""
    code = normalize(code)
    if not code:
        raise ServiceError(ERR_EMPTY)
    device: Device | None
    refusal: ServiceError | None
    if code.isdigit():
        device = _totp(user, confirmed=True)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        refusal = ServiceError(ERR_WRONG_CODE if code.isdigit() else ERR_WRONG_RECOVERY)
    else:
        refusal = _check(device, code)
    if refusal is not None:
        audit_failure(user, f"双因素认证失败：{refusal.message}")
        raise refusal
    assert device is not None
    if isinstance(device, StaticDevice):
        left = StaticToken.objects.filter(device=device).count()
        record(Action.LOGIN, user, actor=user, after={"recovery_codes_left": left}, note="使用恢复码通过双因素认证")
    return device


def recovery_codes_issue_first(*, user: User) -> list[str]:
    """Recovery codes for an account that has just taken its first second factor and has
    none yet (a passkey); an account that has some keeps them."""
    if StaticDevice.objects.filter(user=user).exists():
        return []
    return _issue_recovery_codes(user)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    if not policy.is_enrolled(user):
        raise ServiceError(ERR_NO_SECOND_FACTOR)
    codes = _issue_recovery_codes(user)
    record(Action.UPDATE, user, actor=user, after={"recovery_codes": len(codes)}, note="重新生成恢复码（原恢复码作废）")
    return codes


def _remove_all(user: User) -> dict[str, Any]:
    removed = {
        "authenticators": TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        "passkeys": Passkey.objects.filter(user=user).count(),
    }
    TOTPDevice.objects.filter(user=user).delete()
    Passkey.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return removed


@transaction.atomic
def authenticator_remove(*, user: User) -> None:
    """The account removes its own authenticator (a new phone): its recovery codes go
    with it unless passkeys remain. An account that must use a second factor and has none
    left is sent to enrol again."""
    if _totp(user, confirmed=True) is None:
        raise ServiceError(ERR_NOT_ENROLLED)
    if Passkey.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.filter(user=user).delete()
        record(Action.DELETE, user, actor=user, before={"authenticators": 1}, note="移除身份验证器（保留通行密钥和恢复码）")
        return
    before = _remove_all(user)
    record(Action.DELETE, user, actor=user, before=before, note="移除身份验证器及恢复码")


@transaction.atomic
def second_factor_reset(*, actor: Actor, user: User) -> None:
    """An account manager clears the second factor of an account in scope whose phone
    or passkey is lost; its owner enrols again at the next sign-in."""
    ensure_org_in_scope(actor, user.organization)
    if not actor.has_perm("accounts.manage_users"):
        raise NotPermitted(ERR_NO_RIGHT)
    if not policy.is_enrolled(user):
        raise ServiceError(ERR_NOT_ENROLLED)
    before = _remove_all(user)
    record(Action.DELETE, user, actor=actor, before=before, note=f"重置账号 {user.username} 的双因素认证")


def secret_of(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand (base32)."""
    return b32encode(device.bin_key).decode()


@transaction.atomic
def console_enrol(*, user: User, note: str) -> tuple[TOTPDevice, list[str]]:
    """Enrol `user` at the console (the demo's administrators): a confirmed authenticator
    whose secret the operator hands over, and fresh recovery codes. An account already
    enrolled keeps its authenticator and gets new recovery codes."""
    device = _totp(user, confirmed=True)
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    codes = _issue_recovery_codes(user)
    record(Action.CREATE, user, actor=None, after={"second_factor": AUTHENTICATOR_NAME, "recovery_codes": len(codes)}, note=note)
    return device, codes


def recovery_codes_of(user: User) -> list[str]:
    """The recovery codes not yet used; for the console only (the pages show them once)."""
    tokens = StaticToken.objects.filter(device__user=user, device__confirmed=True).order_by("pk")
    return list(tokens.values_list("token", flat=True))
