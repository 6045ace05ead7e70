"""The passkeys (通行密钥) of the second factor: a django-otp device, so a session that
passed with one is verified like one that passed with a code, and loses it within a minute
when the passkey is removed.

Registered under the accounts app by the import at the end of accounts/models.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


class Passkey(TimestampMixin, ThrottlingMixin, Device):
    """A WebAuthn credential of one account: its public key and the authenticator's sign
    counter, which must grow at every use (a cloned authenticator shows an old count).
    `name` is what the account calls it ("办公室电脑")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="+")
    credential_id = models.BinaryField("凭据标识", max_length=1023, unique=True)
    public_key = models.BinaryField("公钥")
    sign_count = models.PositiveBigIntegerField("签名计数", default=0)
    transports = models.JSONField("传输方式", default=list, blank=True)

    class Meta:
        verbose_name = "通行密钥"
        verbose_name_plural = "通行密钥"
        ordering = ["created_at", "pk"]

    def get_throttle_factor(self) -> int:
        # The same doubling wait as the authenticator's codes.
        return int(settings.OTP_TOTP_THROTTLE_FACTOR)

    def verify_token(self, token: object) -> bool:
        # A passkey takes a signed assertion, never a typed code (passkeys.passkey_verify).
        return False
