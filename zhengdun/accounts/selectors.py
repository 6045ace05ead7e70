"""Reading accounts: the scoped list, who is locked out, one's own tokens."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from zhengdun.accounts.models import ApiToken, User
from zhengdun.accounts.security import lockout
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import restrict


def user_list(actor: Actor) -> QuerySet[User]:
    return restrict(User.objects.select_related("organization").prefetch_related("groups"), actor).order_by(
        "organization__path", "username"
    )


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Those of `usernames` that repeated failed logins lock out now (at some address), in one query."""
    return lockout.locked_usernames(usernames)


def own_tokens(user: User) -> QuerySet[ApiToken]:
    # Tokens belong to their account alone: nobody else lists or revokes them.
    return ApiToken.objects.filter(user=user).order_by("-created_at")
