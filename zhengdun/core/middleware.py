"""Request context, the client's real address behind trusted proxies, and the headers every response carries."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from zhengdun.core import context

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(text: str) -> bool:
    address = _address(text)
    return address is not None and any(address in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent the request: the direct peer, unless the peer is a trusted proxy.

    Behind trusted proxies the client is the rightmost X-Forwarded-For hop that
    is not one of them: every proxy appends the address it saw, so the hops to
    the left of the first untrusted one were written by the client and prove
    nothing. The audit trail, the sign-in lockout (AXES_CLIENT_IP_CALLABLE)
    and the public comment limit all count by this one address.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(peer):
        return peer
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:  # garbage from beyond the last trusted proxy: that proxy saw the sender
            break
        client = str(address)
        if not is_trusted_proxy(client):
            break
    return client


class TrustedProxyMiddleware:
    """First in the chain: a forwarded scheme counts only when a trusted proxy sent it.

    Django honours SECURE_PROXY_SSL_HEADER from any peer; dropping the header
    from everyone else keeps a client from claiming HTTPS on a plain connection.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SECURE_PROXY_SSL_HEADER and not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            request.META.pop(settings.SECURE_PROXY_SSL_HEADER[0], None)
        return self.get_response(request)


# Features no page uses are switched off for the page and anything it embeds.
# The camera stays with the site itself: evidence is photographed through a
# file input, which needs no permission, but nothing else may reach it.
PERMISSIONS_POLICY = ", ".join(
    [
        "camera=(self)",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "hid=()",
        "bluetooth=()",
        "midi=()",
        "display-capture=()",
        "screen-wake-lock=()",
        "accelerometer=()",
        "gyroscope=()",
        "magnetometer=()",
        "fullscreen=(self)",
    ]
)
# Pages and files carry personal information and CSRF tokens: no cache keeps
# them, not a proxy's and not the browser's, unless a view says otherwise.
DEFAULT_CACHE_CONTROL = "private, no-store"


class ResponseHeadersMiddleware:
    """Permissions-Policy on every response, and Cache-Control where a view set none.

    Sits below WhiteNoise, so static files keep their long cache lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = DEFAULT_CACHE_CONTROL
        return response


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
