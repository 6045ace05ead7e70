"""Request bodies beyond MAX_REQUEST_BODY_BYTES are refused before anything reads them.

waitress refuses them first when the site runs under `manage.py serve`
(max_request_body_size); this middleware holds under any other server, and
answers in Chinese. Django's own limits (settings: DATA_UPLOAD_MAX_*,
FILE_UPLOAD_MAX_MEMORY_SIZE) bound the form fields and keep large files out
of memory.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

ERR_BODY_TOO_LARGE = "请求内容过大（{size}），不能超过 {limit}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        length = int(declared) if declared.isascii() and declared.isdigit() else 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            message = ERR_BODY_TOO_LARGE.format(size=_megabytes(length), limit=_megabytes(settings.MAX_REQUEST_BODY_BYTES))
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": []}, status=413, json_dumps_params={"ensure_ascii": False})
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
