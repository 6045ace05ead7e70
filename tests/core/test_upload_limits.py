"""Request bodies and unconfirmed previews are capped (issue 8 §4)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhengdun.core.body_limit import ERR_BODY_TOO_LARGE
from zhengdun.core.uploads import UploadStore

ROSTER, LEDGER = UploadStore("org_import"), UploadStore("ledger_upload")


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def _aged(store: UploadStore, user, data: bytes, age: int) -> str:
    """A preview saved `age` seconds ago, so which one is oldest is certain."""
    token = store.save(user, data=data, meta={})
    when = time.time() - age
    for suffix in (".xlsx", ".json"):
        os.utime(Path(store._folder(user)) / f"{token}{suffix}", (when, when))
    return token


def test_it_keeps_at_most_the_count_of_previews_per_user_over_every_feature(settings, town1, town2):
    settings.UPLOAD_PREVIEWS_PER_USER = 2
    first = _aged(ROSTER, town1, b"a", 30)
    second = _aged(LEDGER, town1, b"b", 20)
    other = _aged(ROSTER, town2, b"c", 40)
    third = ROSTER.save(town1, data=b"d", meta={})
    assert ROSTER.load(town1, first) is None
    assert LEDGER.load(town1, second).data == b"b"
    assert ROSTER.load(town1, third).data == b"d"
    assert ROSTER.load(town2, other).data == b"c"  # another user's previews are theirs
    assert len(list(Path(settings.UPLOAD_DIR).rglob("*.json"))) == 3


def test_it_keeps_at_most_the_bytes_of_previews_per_user(settings, town1):
    settings.UPLOAD_PREVIEW_BYTES_PER_USER = 100
    first = _aged(ROSTER, town1, b"x" * 60, 30)
    second = ROSTER.save(town1, data=b"y" * 60, meta={})
    assert ROSTER.load(town1, first) is None
    assert ROSTER.load(town1, second).data == b"y" * 60


def test_it_refuses_a_body_beyond_the_limit_before_reading_it(client, as_user, town1, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    message = ERR_BODY_TOO_LARGE.format(size="2.0 MB", limit="1.0 MB")
    body = b"x" * (2 * 1024 * 1024)
    response = as_user(town1).generic("POST", reverse("roster:upload"), body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert response.content.decode() == message
    response = client.generic("POST", "/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": message, "errors": []}


def test_django_bounds_form_fields_and_keeps_large_files_out_of_memory(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000 and settings.DATA_UPLOAD_MAX_NUMBER_FILES == 20
    assert settings.MAX_REQUEST_BODY_BYTES == settings.MAX_UPLOAD_BYTES + 1024 * 1024


def test_serve_caps_request_bodies_at_waitress(monkeypatch, settings):
    import waitress

    settings.MAX_REQUEST_BODY_BYTES = 12345
    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(options))
    call_command("serve", "--port", "8123", "--threads", "4")
    assert served == {"host": "127.0.0.1", "port": 8123, "threads": 4, "max_request_body_size": 12345}
