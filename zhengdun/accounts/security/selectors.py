"""Reading the sign-in rules' tables: one's own sessions, the policy's version."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from zhengdun.accounts.models import User
from zhengdun.accounts.security.models import SecurityPolicy, UserSession


def own_sessions(user: User) -> QuerySet[UserSession]:
    """The account's signed-in sessions that have not ended; like tokens, nobody else lists them."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=live)


def policy_version() -> int:
    return SecurityPolicy.objects.filter(pk=SecurityPolicy.SINGLETON).values_list("version", flat=True).first() or 0
