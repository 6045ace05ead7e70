"""Rate limits for public pages, counted in the database.

The limit counts rows that are stored anyway (the comments, the answers)
instead of keeping counters in a cache: the count is right across worker
processes and restarts without a shared cache. The caller holds a row lock
around the count and the insert, so two requests at once cannot both slip
under the limit.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhengdun.core.errors import ServiceError


class TooManyRequests(ServiceError):
    status = 429


@dataclass(frozen=True)
class Limit:
    """At most `count` rows within `window`; `message` says so to the sender."""

    count: int
    window: datetime.timedelta
    message: str


def check_limits(rows: QuerySet[Any], limits: Sequence[Limit], *, at_field: str = "created_at") -> None:
    """Refuse with TooManyRequests when `rows` (one sender's rows) reach any of `limits`,
    the first one listed winning; one query whatever the number of limits."""
    now = timezone.now()
    counts = rows.aggregate(
        **{f"limit_{i}": Count("pk", filter=Q(**{f"{at_field}__gte": now - limit.window})) for i, limit in enumerate(limits)}
    )
    for i, limit in enumerate(limits):
        if counts[f"limit_{i}"] >= limit.count:
            raise TooManyRequests(limit.message)
