"""Denied requests in the audit trail: a signed-in user answered 403, or 404 on a page
or API route that exists (an object out of scope, or none). One row per request;
anonymous 404s (scanners, typos) are not kept. A refused API token is recorded where it
is refused, once (accounts/security/token_guard.py: the row its throttle counts)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from zhengdun.audit.services import record_denied

REASONS = {403: "无权操作", 404: "对象不存在或不在管辖范围内"}


class DeniedRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if status not in REASONS:
            return response
        # The API puts the token's account on request.user while answering.
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        denied = signed_in and (status == 403 or (status == 404 and request.resolver_match is not None))
        if denied:
            record_denied(
                actor=user,
                method=request.method or "",
                path=request.path,
                status=status,
                reason=REASONS[status],
            )
        return response
