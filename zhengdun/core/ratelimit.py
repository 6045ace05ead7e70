"""Rate limits that hold across worker processes: one counter per key and window.

The counters live where every process of the install sees them: in Redis
when REDIS_URL is set (Django's RedisCache, alias "ratelimit"), otherwise in
the database (core.models.RateLimitCount). A counter in one process's memory
would let four waitress workers allow four times the limit.

Windows are fixed (the clock divided into `window`-long slots), so a sender can
reach twice the limit across a slot boundary but never more; that is enough to
slow guessing and flooding, which is all these limits are for.

On the database the count is part of the caller's transaction: a caller that
rolls back also takes back its hit.
"""

from __future__ import annotations

import datetime
import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F

from zhengdun.core.models import RateLimitCount


def _seconds(window: datetime.timedelta | int) -> int:
    seconds = int(window.total_seconds()) if isinstance(window, datetime.timedelta) else int(window)
    if seconds < 1:
        raise ValueError("a rate-limit window is at least one second")
    return seconds


def _clock() -> float:
    return time.time()


def _moment(epoch: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)


def _slot(key: str, seconds: int) -> tuple[str, float]:
    """The counter's name for the window now running, and when that window ends (epoch seconds)."""
    index = int(_clock() // seconds)
    # Hashed: keys carry addresses and user names, and must fit the column.
    name = hashlib.sha256(f"{key}\x00{seconds}\x00{index}".encode()).hexdigest()
    return name, (index + 1) * seconds


def _count_in_redis(name: str, ends: float, *, add: int) -> int:
    cache = caches["ratelimit"]
    if add == 0:
        return int(cache.get(name, 0))
    timeout = max(1, int(ends - _clock()) + 1)
    cache.add(name, 0, timeout=timeout)
    try:
        return int(cache.incr(name, add))
    except ValueError:  # expired between add and incr
        cache.set(name, add, timeout=timeout)
        return add


def _count_in_database(name: str, ends: float, *, add: int) -> int:
    if add == 0:
        return RateLimitCount.objects.filter(key=name).values_list("count", flat=True).first() or 0
    with transaction.atomic():
        # The UPDATE holds the row lock until commit, so the count read after
        # it is exactly this hit's place in the window, whatever runs beside it.
        if not RateLimitCount.objects.filter(key=name).update(count=F("count") + add):
            try:
                with transaction.atomic():
                    RateLimitCount.objects.create(key=name, count=add, expires_at=_moment(ends))
                    RateLimitCount.objects.filter(expires_at__lte=_moment(_clock())).delete()
                return add
            except IntegrityError:  # another process opened the window first
                RateLimitCount.objects.filter(key=name).update(count=F("count") + add)
        return RateLimitCount.objects.values_list("count", flat=True).get(key=name)


def _count(key: str, window: datetime.timedelta | int, *, add: int) -> int:
    name, ends = _slot(key, _seconds(window))
    if settings.REDIS_URL:
        return _count_in_redis(name, ends, add=add)
    return _count_in_database(name, ends, add=add)


def hit(key: str, limit: int, window: datetime.timedelta | int) -> bool:
    """Count one hit of `key`; True while it is within `limit` hits per `window` (seconds or a timedelta).

    Name keys by purpose and sender, e.g. f"token-failure:{address}".
    """
    return _count(key, window, add=1) <= limit


def exceeded(key: str, limit: int, window: datetime.timedelta | int) -> bool:
    """True when `key` already reached `limit` hits in the window now running; counts nothing."""
    return _count(key, window, add=0) >= limit
