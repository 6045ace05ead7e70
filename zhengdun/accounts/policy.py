"""The security policy in force: the one place the code that enforces a rule reads it.

The security administrator's row (security.models.SecurityPolicy) wins; without one the
settings apply (PASSWORD_MAX_AGE_DAYS, PASSWORD_HISTORY_COUNT, LOGIN_FAILURE_LIMIT,
LOGIN_LOCK_MINUTES, LOGIN_ADDRESS_FAILURE_LIMIT, SECOND_FACTOR_FOR_ALL,
SESSION_IDLE_SECONDS). Every request reads it (the idle limit, the lockout), so each process
keeps it for CACHE_SECONDS: a change reaches the other worker processes within that time, and
the process that saved it at once (`forget`).
"""

from __future__ import annotations

import dataclasses
import datetime
import time

from django.conf import settings

CACHE_SECONDS = 10.0


@dataclasses.dataclass(frozen=True)
class Policy:
    password_max_age_days: int
    password_history_count: int
    lockout_failure_limit: int
    lockout_minutes: int
    address_failure_limit: int
    second_factor_for_everyone: bool
    idle_minutes: int

    @property
    def lockout(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.lockout_minutes)

    @property
    def idle_seconds(self) -> int:
        return self.idle_minutes * 60

    @property
    def password_max_age(self) -> datetime.timedelta | None:
        return datetime.timedelta(days=self.password_max_age_days) if self.password_max_age_days else None


FIELDS = tuple(f.name for f in dataclasses.fields(Policy))


def defaults() -> Policy:
    """The policy the settings give, before the security administrator changes anything."""
    return Policy(
        password_max_age_days=settings.PASSWORD_MAX_AGE_DAYS,
        password_history_count=settings.PASSWORD_HISTORY_COUNT,
        lockout_failure_limit=settings.LOGIN_FAILURE_LIMIT,
        lockout_minutes=settings.LOGIN_LOCK_MINUTES,
        address_failure_limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        second_factor_for_everyone=settings.SECOND_FACTOR_FOR_ALL,
        # SESSION_COOKIE_AGE is SESSION_IDLE_SECONDS (settings.py); whole minutes, at least one.
        idle_minutes=max(1, settings.SESSION_COOKIE_AGE // 60),
    )


_cached: tuple[float, Policy | None] | None = None


def _stored() -> Policy | None:
    global _cached
    now = time.monotonic()
    if _cached is not None and now - _cached[0] < CACHE_SECONDS:
        return _cached[1]
    from zhengdun.accounts.security.models import SecurityPolicy

    row = SecurityPolicy.objects.filter(pk=SecurityPolicy.SINGLETON).values(*FIELDS).first()
    found = Policy(**row) if row is not None else None
    _cached = (now, found)
    return found


def current() -> Policy:
    return _stored() or defaults()


def forget() -> None:
    """Drop this process's copy: the next read sees the database."""
    global _cached
    _cached = None
