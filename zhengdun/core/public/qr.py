"""The absolute address of a public page and its QR code, for the notice board poster."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from qrcode import QRCode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathImage


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` as an address a phone can open. Behind an intranet proxy the
    address the server sees is not the one phones reach, so PUBLIC_BASE_URL wins."""
    base = settings.PUBLIC_BASE_URL
    if base:
        return base.rstrip("/") + path
    if request is None:
        return path
    return request.build_absolute_uri(path)


def qr_svg(url: str) -> str:
    """An SVG QR code (vector: prints sharp on any poster size)."""
    code = QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4, image_factory=SvgPathImage)
    code.add_data(url)
    code.make(fit=True)
    return str(code.make_image().to_string(encoding="unicode"))
