from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from zhengdun.core import context


def client_ip(request: HttpRequest) -> str:
    # Only trust X-Forwarded-For when a reverse proxy is declared in front.
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:64] or context.new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        with context.acting_as(user=user, request_id=request_id, client_ip=client_ip(request)):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
