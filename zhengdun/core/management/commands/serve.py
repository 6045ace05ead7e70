"""`manage.py serve`: the site under waitress, with request bodies capped (make run uses it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.core.wsgi import get_wsgi_application


class Command(BaseCommand):
    help = "用 waitress 提供服务；请求体不超过 MAX_REQUEST_BODY_BYTES"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress

        waitress.serve(
            get_wsgi_application(),
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            # waitress refuses a larger body (chunked ones too) before Django sees a byte of it.
            max_request_body_size=settings.MAX_REQUEST_BODY_BYTES,
        )
