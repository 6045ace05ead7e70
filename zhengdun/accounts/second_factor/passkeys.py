"""Passkeys (通行密钥, WebAuthn) as a second factor, on py_webauthn: registering one,
signing in with one, removing one. The browser half is accounts/static/accounts/passkeys.js.

Each ceremony's challenge waits in the session and is taken out before the answer is
checked, so it serves once. A passkey is looked up among the signing-in account's own;
a failed assertion is audited and counts toward the account's second-factor throttle,
the one its authenticator's codes count toward too."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import ThrottlingMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, parse_authentication_credential_json, parse_registration_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from zhengdun.accounts.models import User
from zhengdun.accounts.second_factor import policy, services
from zhengdun.accounts.second_factor.models import Passkey
from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core.errors import ServiceError

ERR_CHALLENGE = "本次验证已过期或已使用，请重新点击按钮再试一次"
ERR_BAD_RESPONSE = "浏览器返回的通行密钥数据无法识别，请重试"
ERR_REGISTER_FAILED = "通行密钥未通过验证，未能添加，请重试"
ERR_ALREADY_ADDED = "这个通行密钥已经添加过了"
ERR_NAME = "请填写通行密钥的名称（不超过 64 个字），例如“办公室电脑”"
ERR_NOT_YOURS = "该通行密钥不是本账号的，请使用本账号添加的通行密钥"
ERR_ASSERTION_FAILED = "通行密钥验证未通过，请重试，或改用身份验证器的验证码、恢复码"
ERR_NO_PASSKEY = "没有这个通行密钥"

# The refusals of an answer checked against a passkey, which count toward the throttle;
# a stale challenge or a garbled answer is audited only.
_COUNTED = frozenset({ERR_ASSERTION_FAILED, ERR_NOT_YOURS})

DEFAULT_NAME = "通行密钥"
NAME_MAX_LENGTH = 64
# How long the browser has to answer a challenge: the options' timeout, and the session's.
CHALLENGE_SECONDS = 300
REGISTER = "register"
LOGIN = "login"
_SESSION_KEY = "zd_passkey_challenge"
_TRANSPORTS = frozenset(t.value for t in AuthenticatorTransport)


@dataclass(frozen=True)
class RelyingParty:
    """Whom the browser signs for: the RP ID (a host name) and the origins it may sign on."""

    id: str
    name: str
    origins: tuple[str, ...]


def relying_party(request: HttpRequest) -> RelyingParty:
    """WEBAUTHN_RP_ID when set, else the host the request came to (already checked
    against ALLOWED_HOSTS by get_host); the origins are this request's and PUBLIC_BASE_URL,
    those of them on the RP ID's host or below it."""
    host = request.get_host()
    rp_id = settings.WEBAUTHN_RP_ID or (urlsplit(f"//{host}").hostname or "")
    candidates = [f"{request.scheme}://{host}"]
    if settings.PUBLIC_BASE_URL:
        parts = urlsplit(settings.PUBLIC_BASE_URL)
        candidates.append(f"{parts.scheme}://{parts.netloc}")
    origins = tuple(
        dict.fromkeys(
            origin for origin in candidates if (name := urlsplit(origin).hostname or "") == rp_id or name.endswith("." + rp_id)
        )
    )
    return RelyingParty(id=rp_id, name=settings.OTP_TOTP_ISSUER, origins=origins)


def challenge_keep(session: SessionBase, *, purpose: str, challenge: bytes) -> None:
    session[_SESSION_KEY] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge), "at": time.time()}


def challenge_take(session: SessionBase, *, purpose: str) -> bytes | None:
    """The challenge last given for `purpose`, removed from the session: a second answer
    to it, or an answer after CHALLENGE_SECONDS, finds none."""
    kept = session.pop(_SESSION_KEY, None)
    if not isinstance(kept, dict) or kept.get("purpose") != purpose:
        return None
    if not 0 <= time.time() - float(kept.get("at", 0)) <= CHALLENGE_SECONDS:
        return None
    return base64url_to_bytes(str(kept["challenge"]))


def passkeys_of(user: User) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user, confirmed=True))


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for passkey in passkeys_of(user):
        transports = [AuthenticatorTransport(t) for t in passkey.transports if t in _TRANSPORTS]
        descriptors.append(PublicKeyCredentialDescriptor(id=bytes(passkey.credential_id), transports=transports or None))
    return descriptors


def registration_options(*, user: User, rp: RelyingParty) -> tuple[str, bytes]:
    """What navigator.credentials.create() takes (JSON), and its challenge for the session.
    The account's passkeys are excluded, so one authenticator is not added twice."""
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=f"zhengdun-{user.pk}".encode(),
        user_name=user.username,
        user_display_name=user.display_name or user.username,
        timeout=CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED
        ),
        exclude_credentials=_descriptors(user),
    )
    return options_to_json(options), options.challenge


def authentication_options(*, user: User, rp: RelyingParty) -> tuple[str, bytes]:
    """What navigator.credentials.get() takes: only this account's passkeys are offered."""
    options = generate_authentication_options(
        rp_id=rp.id,
        timeout=CHALLENGE_SECONDS * 1000,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), options.challenge


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX_LENGTH or not name.isprintable():
        raise ServiceError(ERR_NAME)
    return name


def passkey_register(
    *, user: User, name: str, credential: str, challenge: bytes | None, rp: RelyingParty
) -> tuple[Passkey, list[str]]:
    """Add the passkey the browser just created; returns it and, when it is the account's
    first second factor, its new recovery codes (to be shown once). Refusals change
    nothing and are audited."""
    name = _clean_name(name)
    if challenge is None:
        raise ServiceError(ERR_CHALLENGE)
    try:
        parsed = parse_registration_credential_json(credential)
        verified = verify_registration_response(
            credential=parsed, expected_challenge=challenge, expected_rp_id=rp.id, expected_origin=list(rp.origins)
        )
    except WebAuthnException as exc:
        services.audit_failure(user, f"添加通行密钥未通过验证：{exc}")
        raise ServiceError(ERR_REGISTER_FAILED) from exc
    with transaction.atomic():
        if Passkey.objects.filter(credential_id=verified.credential_id).exists():
            raise ServiceError(ERR_ALREADY_ADDED)
        passkey = Passkey.objects.create(
            user=user,
            name=name,
            confirmed=True,
            credential_id=verified.credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=[t.value for t in parsed.response.transports or []],
        )
        codes = services.recovery_codes_issue_first(user=user)
        after = {"second_factor": DEFAULT_NAME, "name": name, "recovery_codes": len(codes)}
        record(Action.CREATE, user, actor=user, after=after, note=f"添加通行密钥“{name}”")
    return passkey, codes


def _account_devices(user: User) -> list[ThrottlingMixin]:
    """What the account's second-factor throttle is kept on: its authenticator and passkeys."""
    devices: list[ThrottlingMixin] = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    devices += list(Passkey.objects.select_for_update().filter(user=user, confirmed=True))
    return devices


def _credential_id(credential: str) -> bytes | None:
    try:
        return parse_authentication_credential_json(credential).raw_id
    except (WebAuthnException, ValueError, TypeError):
        return None


def _assert(
    *, devices: list[ThrottlingMixin], credential: str, challenge: bytes | None, rp: RelyingParty
) -> tuple[Passkey | None, ServiceError | None]:
    """The passkey among `devices` that signed `challenge` (its counter moved on), or the refusal."""
    raw_id = _credential_id(credential)
    passkey = next((d for d in devices if isinstance(d, Passkey) and bytes(d.credential_id) == raw_id), None)
    if challenge is None:
        return None, ServiceError(ERR_CHALLENGE)
    if raw_id is None:
        return None, ServiceError(ERR_BAD_RESPONSE)
    if passkey is None:
        return None, ServiceError(ERR_NOT_YOURS)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except WebAuthnException:
        # A wrong signature, challenge, origin or RP ID, or a counter that did not grow.
        return None, ServiceError(ERR_ASSERTION_FAILED)
    passkey.sign_count = verified.new_sign_count
    passkey.save(update_fields=["sign_count"])
    passkey.throttle_reset()
    passkey.set_last_used_timestamp()
    return passkey, None


def passkey_verify(*, user: User, credential: str, challenge: bytes | None, rp: RelyingParty) -> Passkey:
    """The passkey of `user` that signed `challenge`. Every refusal is audited; a wrong
    assertion, or one by another account's passkey, makes the account wait before its
    next try, as a wrong code does."""
    with transaction.atomic():
        devices = _account_devices(user)
        refusal = next((r for r in map(services.throttled, devices) if r is not None), None)
        if refusal is None:
            passkey, refusal = _assert(devices=devices, credential=credential, challenge=challenge, rp=rp)
            if passkey is not None:
                return passkey
            assert refusal is not None
            if refusal.message in _COUNTED:
                for device in devices:
                    device.throttle_increment()
        # Committed with the block, before the refusal is raised.
        services.audit_failure(user, f"双因素认证失败：{refusal.message}")
    raise refusal


@transaction.atomic
def passkey_remove(*, user: User, passkey_id: int) -> str:
    """The account removes one of its own passkeys (another account's is not found:
    Passkey.DoesNotExist); returns the removed device's persistent id. With its last second
    factor go its recovery codes, as when the authenticator is removed."""
    passkey = Passkey.objects.get(user=user, pk=passkey_id)
    removed = passkey.persistent_id
    passkey.delete()
    note = f"移除通行密钥“{passkey.name}”"
    if not policy.is_enrolled(user):
        StaticDevice.objects.filter(user=user).delete()
        note += "（已无其他双因素认证方式，恢复码一并作废）"
    record(Action.DELETE, user, actor=user, before={"second_factor": DEFAULT_NAME, "name": passkey.name}, note=note)
    return removed
