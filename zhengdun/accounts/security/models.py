"""Tables of the sign-in rules: the one security policy, past passwords, signed-in sessions.

Registered under the accounts app by the import at the end of accounts/models.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SecurityPolicy(models.Model):
    """The one row of the security administrator's policy; without it the settings apply."""

    SINGLETON = 1

    password_max_age_days = models.PositiveIntegerField("密码有效期（天）", help_text="0 表示不过期")
    password_history_count = models.PositiveIntegerField("不得重复使用最近几次密码")
    lockout_failure_limit = models.PositiveIntegerField("同一账号连续登录失败几次后锁定")
    lockout_minutes = models.PositiveIntegerField("锁定时长（分钟）")
    address_failure_limit = models.PositiveIntegerField("同一地址登录失败几次后暂停该地址登录")
    second_factor_for_everyone = models.BooleanField("所有账号都须使用双因素认证")
    idle_minutes = models.PositiveIntegerField("闲置多少分钟后需重新登录")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"

    def __str__(self) -> str:
        return "安全策略"


class PasswordHistory(models.Model):
    """The hash of a password an account has had: the last few may not be used again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    scope_path = "user__organization__path"

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A signed-in browser, keyed by its session: what the user sees on 登录会话 and may end."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField("登录时间", auto_now_add=True)
    last_seen_at = models.DateTimeField("最近活动")
    ip = models.CharField("地址", max_length=64, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    scope_path = "user__organization__path"

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.ip} {self.created_at:%Y-%m-%d %H:%M}"
