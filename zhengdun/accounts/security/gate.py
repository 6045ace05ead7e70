"""Per request: the idle limit of the policy, the session's last activity, and the gate
that lets an account whose password must change reach only the change-password page."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from zhengdun.accounts import policy
from zhengdun.accounts.security.models import UserSession
from zhengdun.accounts.security.passwords import must_change
from zhengdun.accounts.security.signals import SEEN

# How often a session's "last activity" is written: often enough to tell sessions apart,
# seldom enough that a page view costs no extra write.
TOUCH_SECONDS = 60
# Where Django's set_expiry keeps a session's own expiry (none: SESSION_COOKIE_AGE). Set only
# when the policy's idle limit differs from what the session holds, since setting it marks the
# session modified, and a modified session is saved.
EXPIRY_KEY = "_session_expiry"
# Reachable while the password must change (the second factor's pages may join them).
# The second factor comes first for who needs one: its pages stay open, or the two gates would send
# the user back and forth.
OPEN_WHILE_MUST_CHANGE = ("accounts:password_change", "logout", "second_factor:verify", "second_factor:enrol")
MSG_IDLE = "您已闲置过久，请重新登录"
ERR_MUST_CHANGE = "请先修改密码，然后才能继续使用系统"


class SignInRulesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        rules = policy.current()
        now = time.time()
        seen = request.session.get(SEEN)
        if seen is not None and now - float(seen) > rules.idle_seconds:
            logout(request)
            messages.info(request, MSG_IDLE)
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        if seen is None or now - float(seen) > TOUCH_SECONDS:
            # The one write of the minute: the session (SESSION_SAVE_EVERY_REQUEST is off, so
            # a read within the minute saves nothing) and its row on the sessions page. Saving
            # moves the expiry and the cookie's age forward; the idle limit counts from SEEN,
            # so a session may end up to a minute early, never late.
            UserSession.objects.filter(session_key=request.session.session_key).update(last_seen_at=timezone.now())
            request.session[SEEN] = now
        expiry = None if rules.idle_seconds == settings.SESSION_COOKIE_AGE else rules.idle_seconds
        if request.session.get(EXPIRY_KEY) != expiry:
            request.session.set_expiry(expiry)
        if must_change(user) and not self._open(request):
            return self._to_password_change(request)
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL) or request.path == "/healthz":
            return True
        return request.path in {reverse(name) for name in OPEN_WHILE_MUST_CHANGE}

    @staticmethod
    def _to_password_change(request: HttpRequest) -> HttpResponse:
        url = reverse("accounts:password_change")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": ERR_MUST_CHANGE, "errors": []}, status=403, json_dumps_params={"ensure_ascii": False})
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
