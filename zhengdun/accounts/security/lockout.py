"""Lockout after failed sign-ins, for django-axes (settings.AXES_*).

An account is locked for the address the failures came from: LOGIN_FAILURE_LIMIT failures of
one username from one address lock that username there for LOGIN_LOCK_MINUTES. An address is
locked for every account once LOGIN_ADDRESS_FAILURE_LIMIT failures over any usernames came from
it: password spraying (a few guesses at many accounts) from one address is stopped there.

Why not lock an account everywhere: anyone who knows the county administrator's username
could then keep the county out of the system by guessing wrong every few minutes. Here the
guesser locks only their own address; the administrator signs in from the office as usual.
A guesser with many addresses gets a few tries from each, and a guessed password is still not
enough for an administrator account: it must pass the second factor too (accounts, 双因素认证).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from zhengdun.accounts import policy

PER_ACCOUNT: list[str | list[str]] = [["username", "ip_address"]]


def failure_limit(request: HttpRequest | None = None, credentials: dict[str, Any] | None = None) -> int:
    return policy.current().lockout_failure_limit


def cool_off(request: HttpRequest | None = None) -> datetime.timedelta:
    return policy.current().lockout


def _since() -> datetime.datetime:
    return timezone.now() - policy.current().lockout


def address_failures(ip_address: str) -> int:
    found = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=_since()).aggregate(
        n=Sum("failures_since_start")
    )
    return int(found["n"] or 0)


def address_locked(ip_address: str | None) -> bool:
    return bool(ip_address) and address_failures(str(ip_address)) >= policy.current().address_failure_limit


def lockout_parameters(request_or_attempt: Any, credentials: dict[str, Any] | None = None) -> list[str | list[str]]:
    """Username at this address always; the address alone once it reached its own limit,
    whose sum of failures then exceeds the account limit, so axes refuses every account there."""
    ip = getattr(request_or_attempt, "axes_ip_address", None) or getattr(request_or_attempt, "ip_address", None)
    if address_locked(ip):
        return [*PER_ACCOUNT, "ip_address"]
    return PER_ACCOUNT


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Those of `usernames` locked now at some address, in one query."""
    return set(
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=_since())
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=policy.current().lockout_failure_limit)
        .values_list("username", flat=True)
    )
