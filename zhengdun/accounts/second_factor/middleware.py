"""Until the second factor is passed, a signed-in session reaches only the pages that
pass it: every other page redirects there, and the API answers 403."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from zhengdun.accounts.second_factor import policy

ERR_API = "请先在浏览器中完成双因素认证，再使用本会话调用接口"

# Reached before the second factor: signing in and out, the second-factor pages
# themselves (a passkey's ceremonies among them: adding one checks for itself that an
# enrolled account has passed first), the health check and the public pages.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "healthz",
        "second_factor:verify",
        "second_factor:enrol",
        "second_factor:passkey_login_options",
        "second_factor:passkey_login",
        "second_factor:passkey_register_options",
        "second_factor:passkey_register",
    }
)
OPEN_NAMESPACES = frozenset({"public"})


CHECKED_SESSION_KEY = "zd_second_factor_checked"
# How long a session trusts the device it passed with before reading it again: a device
# removed or reset stops every other session within this time (the remover's own at once).
RECHECK_SECONDS = 60


def session_passed(session: SessionBase, device: Device) -> None:
    """Mark `session` as having passed the second factor with `device` just now."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[CHECKED_SESSION_KEY] = [device.persistent_id, time.time()]


def session_forget(session: SessionBase) -> None:
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.pop(CHECKED_SESSION_KEY, None)


class DeviceMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware (request.user.is_verified()), reading the session's
    device from the database once a minute instead of on every request."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        checked = request.session.get(CHECKED_SESSION_KEY)
        if (
            user.is_authenticated
            and persistent_id
            and isinstance(checked, list)
            and checked[0] == persistent_id
            and 0 <= time.time() - checked[1] < RECHECK_SECONDS
        ):
            self._init_user_fields(user)
            user.otp_device = SimpleLazyObject(lambda: self._device_from_persistent_id(persistent_id))
            return user
        user = super()._verify_user_sync(request, user)
        if user.is_authenticated and user.otp_device is not None:
            request.session[CHECKED_SESSION_KEY] = [persistent_id, time.time()]
        return user


def _open(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 reveals nothing
    return match.view_name in OPEN_VIEWS or bool(OPEN_NAMESPACES & set(match.namespaces))


def pending(request: HttpRequest) -> bool:
    """Signed in by password, and the second factor still to pass."""
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return False
    return policy.must_verify(user)


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware, which marks the session's user verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            # A bearer token is the API's own credential, checked there; the session is not.
            if "HTTP_AUTHORIZATION" not in request.META and pending(request):
                return JsonResponse({"detail": ERR_API}, status=403, json_dumps_params={"ensure_ascii": False})
            return self.get_response(request)
        if not _open(request) and pending(request):
            return self._redirect(request)
        return self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        assert user.is_authenticated
        name = "second_factor:verify" if policy.is_enrolled(user) else "second_factor:enrol"
        url = reverse(name)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
