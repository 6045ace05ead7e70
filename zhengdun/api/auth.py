from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from zhengdun.accounts.models import ApiToken
from zhengdun.accounts.security import token_guard
from zhengdun.core import context
from zhengdun.core.middleware import client_ip


class TokenAuth(HttpBearer):
    """Personal access tokens: `Authorization: Bearer zd_...`. A bad token is audited and
    counts against its address (429 past the limit); a read-only token may only read (403)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token_guard.refuse_if_throttled(client_ip(request))
        found = ApiToken.find(token)
        if found is None or not found.user.is_active:
            token_guard.record_failure(token)
            return None
        token_guard.refuse_if_read_only(access=found.access, method=request.method or "GET")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        context.set_user(found.user)
        return found.user


class BrowserSession(SessionAuth):
    """The signed-in browser may call the API too (CSRF-checked)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:
            context.set_user(user)
        return user
