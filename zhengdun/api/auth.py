import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from zhengdun.accounts.models import ApiToken
from zhengdun.accounts.roles import separated_role
from zhengdun.accounts.second_factor.middleware import pending
from zhengdun.accounts.security import token_guard
from zhengdun.accounts.separation import refusal
from zhengdun.core import context
from zhengdun.core.errors import NotPermitted
from zhengdun.core.middleware import client_ip

# A token's "last used" is kept to this precision, so that a read through the API writes
# nothing most of the time (the tokens page shows it to the minute at best).
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def _note_use(token: ApiToken) -> None:
    now = timezone.now()
    stale = now - LAST_USED_PRECISION
    if token.last_used_at is not None and token.last_used_at >= stale:
        return
    # Conditional, so that requests arriving together write the row once.
    ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=token.pk).update(last_used_at=now)


def _refuse_separated_admin(user: Any) -> None:
    # The API serves business data only, which no separated administrator reads (三员分立).
    role = separated_role(user)
    if role is not None:
        raise NotPermitted(refusal(role))


class TokenAuth(HttpBearer):
    """Personal access tokens: `Authorization: Bearer zd_...`. A bad token is audited and
    counts against its address (429 past the limit); a read-only token may only read (403)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        address = client_ip(request)
        token_guard.refuse_if_throttled(address)
        found = ApiToken.find(token)
        if found is None or not found.user.is_active:
            token_guard.record_failure(token, address)
            return None
        _refuse_separated_admin(found.user)
        token_guard.refuse_if_read_only(access=found.access, method=request.method or "GET")
        _note_use(found)
        request.user = found.user
        context.set_user(found.user)
        return found.user


class BrowserSession(SessionAuth):
    """The signed-in browser may call the API too (CSRF-checked)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and pending(request):
            return None  # the middleware answers 403 first; this holds if it is ever bypassed
        if user is not None:
            _refuse_separated_admin(user)
            context.set_user(user)
        return user
