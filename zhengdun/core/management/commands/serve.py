"""`manage.py serve`: the site under waitress, with request bodies capped, and one job
consumer (`manage.py run_huey`) beside it, stopped with the server (make run uses it)."""

from __future__ import annotations

import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.core.wsgi import get_wsgi_application

CONSUMER_STARTED = "已启动后台任务进程（pid {pid}）"
CONSUMER_STOP_SECONDS = 10
# `manage.py run_huey`: its workers and queue come from settings.HUEY.
CONSUMER_COMMAND = ("-m", "django", "run_huey")


def start_consumer() -> subprocess.Popen[bytes]:
    # A process of its own, not a thread: a long export does not hold up the web server's threads.
    return subprocess.Popen([sys.executable, *CONSUMER_COMMAND], cwd=settings.BASE_DIR)


def stop_consumer(consumer: subprocess.Popen[bytes]) -> None:
    if consumer.poll() is not None:
        return
    # SIGTERM: huey finishes nothing half-way; a job it was running stays "running" in its row.
    consumer.terminate()
    try:
        consumer.wait(CONSUMER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        consumer.kill()
        consumer.wait()


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "用 waitress 提供服务（请求体不超过 MAX_REQUEST_BODY_BYTES），并在旁启动一个后台任务进程"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-jobs", action="store_true", help="不启动后台任务进程（已另行运行 manage.py run_huey 时）")

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress

        consumer = None if options["no_jobs"] else start_consumer()
        if consumer is not None:
            self.stdout.write(CONSUMER_STARTED.format(pid=consumer.pid))
        # `kill` of the server stops the consumer too (the finally below runs).
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            waitress.serve(
                get_wsgi_application(),
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                # waitress refuses a larger body (chunked ones too) before Django sees a byte of it.
                max_request_body_size=settings.MAX_REQUEST_BODY_BYTES,
            )
        finally:
            signal.signal(signal.SIGTERM, previous)
            if consumer is not None:
                stop_consumer(consumer)
