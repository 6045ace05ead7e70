"""Until the second factor is passed, a signed-in session reaches only the pages that
pass it: every other page redirects there, and the API answers 403."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from zhengdun.accounts.second_factor import policy

ERR_API = "请先在浏览器中完成双因素认证，再使用本会话调用接口"

# Reached before the second factor: signing in and out, the second-factor pages
# themselves, the health check and the public pages (they need no account anyway).
OPEN_VIEWS = frozenset({"login", "logout", "healthz", "second_factor:verify", "second_factor:enrol"})
OPEN_NAMESPACES = frozenset({"public"})


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
