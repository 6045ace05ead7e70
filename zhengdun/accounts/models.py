from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """An account belongs to one organization node; its roles are groups."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # The person behind the account: a contact leader reaches the organizations
    # this person is linked to by posts.
    person = models.ForeignKey(
        "organizations.Person", verbose_name="对应人员", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    # The password rules (accounts/security/passwords.py): its age, a change forced after an
    # administrator set it, and the demo accounts, whose published password never has to change.
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    is_demo = models.BooleanField("演示账号", default=False)

    scope_path = "organization__path"

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        permissions = [
            ("view_personal_info", "查看完整个人信息（电话、身份证号）"),
            ("manage_users", "管理本级及下级账号"),
            ("manage_security_policy", "管理安全策略（密码、锁定、双因素认证、保留期限）"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_codes(self) -> list[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = sorted(self.groups.values_list("name", flat=True))
            self._role_codes = cached
        return cached

    def has_role(self, code: str) -> bool:
        return code in self.role_codes


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal access token. Only its hash is stored; the token is shown once.
    It expires (API_TOKEN_MAX_AGE_DAYS unless told otherwise) and may be read-only."""

    PREFIX = "zd_"

    class Access(models.TextChoices):
        READ = "read", "只读"
        READ_WRITE = "read_write", "读写"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField("令牌尾号", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    # Tokens made before access was chosen could write: they keep that.
    access = models.CharField("权限", max_length=10, choices=Access.choices, default=Access.READ_WRITE)

    objects = ApiTokenQuerySet.as_manager()
    scope_path = "user__organization__path"

    class Meta:
        verbose_name = "访问令牌"
        verbose_name_plural = "访问令牌"

    def __str__(self) -> str:
        return f"{self.user} …{self.hint}"

    @classmethod
    def issue(
        cls, user: User, name: str = "", expires_at: datetime.datetime | None = None, access: str = Access.READ_WRITE
    ) -> tuple[ApiToken, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        if expires_at is None:
            expires_at = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)
        token = cls.objects.create(user=user, name=name, key_hash=_hash(raw), hint=raw[-6:], expires_at=expires_at, access=access)
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        if not raw.startswith(cls.PREFIX):
            return None
        return cls.objects.usable().select_related("user", "user__organization").filter(key_hash=_hash(raw)).first()


# The sign-in rules' tables live in their own module; importing them here registers them.
from zhengdun.accounts.second_factor.models import Passkey  # noqa: E402
from zhengdun.accounts.security.models import PasswordHistory, SecurityPolicy, UserSession  # noqa: E402

__all__ = ["ApiToken", "Passkey", "PasswordHistory", "SecurityPolicy", "User", "UserSession"]
