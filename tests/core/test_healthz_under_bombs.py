"""/healthz keeps answering while workbook bombs are being uploaded (issue 8 §4).

A live server with a thread per request: four threads post the 5 MB bomb to
the roster import and the ledger upload, again and again, while the test
asks /healthz. Before the guard one such upload held a worker for minutes;
now each is refused at once, and every health check is answered.
"""

from __future__ import annotations

import re
import threading
import urllib.request
import uuid
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY

from tests.core.test_workbook_guard import REFUSALS, bomb

UPLOADS_EACH = 3


class Browser:
    """A signed-in session over urllib: its cookies sent by hand, the CSRF token, multipart posts."""

    def __init__(self, base: str, session_key: str = "") -> None:
        self.base = base
        self.cookies = {"sessionid": session_key} if session_key else {}

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        with urllib.request.urlopen(request, timeout=60) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read().decode()

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post_file(self, path: str, fields: dict[str, str], data: bytes) -> str:
        _, page = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, page[:300]
        boundary = uuid.uuid4().hex
        fields = {**fields, "csrfmiddlewaretoken": found.group(1)}
        head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
        file_head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bomb.xlsx"\r\n\r\n'
        body = (head + file_head).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        return self._open(request)[1]


def _session(client: Any) -> str:
    return client.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_while_bombs_are_uploaded(live_server, world, campaign, town1, as_user, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    # The test database is SQLite in memory, shared by the server's threads: the session row
    # saved by every request would lock it. Unchanged sessions stay unsaved here.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    client = as_user(town1)
    assert client.session[SESSION_KEY] == str(town1.pk)
    session = _session(client)
    data, refusal = bomb("five_megabytes"), REFUSALS["five_megabytes"]
    targets = [("/orgs/import/", {"year": "2025"}), (f"/ledger/upload/?campaign={campaign.pk}", {})]
    answers: list[str] = []
    errors: list[BaseException] = []

    def upload(path: str, fields: dict[str, str]) -> None:
        browser = Browser(live_server.url, session)  # one per thread: each keeps its own CSRF cookie
        try:
            for _ in range(UPLOADS_EACH):
                answers.append(browser.post_file(path, fields, data))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=targets[i % 2]) for i in range(4)]
    for thread in threads:
        thread.start()
    health = []
    while any(thread.is_alive() for thread in threads):
        health.append(Browser(live_server.url).get("/healthz"))
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(answers) == 4 * UPLOADS_EACH
    assert all(refusal in answer for answer in answers)
    assert health and all(status == 200 and '"ok"' in body for status, body in health)
