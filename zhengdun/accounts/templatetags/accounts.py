"""Durations of the sign-in rules (idle limit, lock-out) in Chinese, for the login pages."""

import datetime

from django import template
from django.conf import settings

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
    """How long a session may stay idle (SESSION_IDLE_SECONDS), as the login page says it."""
    return duration_zh(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE))


@register.simple_tag
def lockout_time() -> str:
    return duration_zh(settings.AXES_COOLOFF_TIME)
