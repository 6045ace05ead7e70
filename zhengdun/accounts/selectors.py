"""Reading accounts: the scoped list, who is locked out, one's own tokens."""

from __future__ import annotations

from collections.abc import Iterable

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from zhengdun.accounts.models import ApiToken, User
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import restrict


def user_list(actor: Actor) -> QuerySet[User]:
    return restrict(User.objects.select_related("organization").prefetch_related("groups"), actor).order_by(
        "organization__path", "username"
    )


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Those of `usernames` that repeated failed logins lock out now, in one query.
    The same rule as django-axes: failures within the cool-off period reach the limit."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def own_tokens(user: User) -> QuerySet[ApiToken]:
    # Tokens belong to their account alone: nobody else lists or revokes them.
    return ApiToken.objects.filter(user=user).order_by("-created_at")
