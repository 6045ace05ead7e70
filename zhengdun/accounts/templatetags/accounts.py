"""Durations of the sign-in rules (idle limit, lock-out) in Chinese, for the login pages."""

import datetime

from django import template

from zhengdun.accounts import policy

register = template.Library()


@register.filter
def duration_zh(value: datetime.timedelta | None) -> str:
    """timedelta(minutes=90) → "1 小时 30 分钟"; part minutes round up."""
    if value is None:
        return ""
    minutes = -(-int(value.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    parts = ([f"{hours} 小时"] if hours else []) + ([f"{minutes} 分钟"] if minutes or not hours else [])
    return " ".join(parts)


@register.simple_tag
def idle_limit() -> str:
    """How long a session may stay idle (the policy, SESSION_IDLE_SECONDS by default), as the login page says it."""
    return duration_zh(datetime.timedelta(seconds=policy.current().idle_seconds))


@register.simple_tag
def lockout_time() -> str:
    return duration_zh(policy.current().lockout)


@register.simple_tag
def demo_accounts_exist() -> bool:
    """The login page says so when the demo command made accounts with a published password."""
    from zhengdun.accounts.models import User

    return User.objects.filter(is_demo=True, is_active=True).exists()
