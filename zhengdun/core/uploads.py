"""Uploaded files waiting for confirmation, kept under UPLOAD_DIR per user.

A preview stores the file under a random token in the uploader's own folder,
with a small JSON of what the preview showed beside it. Only that user can
confirm it, and the confirm step reads the file again rather than trusting
anything sent back by the browser. Each feature has its own folder and says
what goes into the JSON (roster/store.py, ledger/store.py).

Nobody has to confirm a preview, so a user could otherwise fill the disk by
uploading again and again: each user keeps at most UPLOAD_PREVIEWS_PER_USER
previews and UPLOAD_PREVIEW_BYTES_PER_USER bytes over every feature, and a
new preview pushes the oldest out.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from zhengdun.core.actors import Actor

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Stored:
    token: str
    data: bytes
    meta: dict[str, Any]


class UploadStore:
    """One feature's uploads: UPLOAD_DIR/<folder_name>/<user id>/<token>.xlsx and .json."""

    def __init__(self, folder_name: str) -> None:
        self.folder_name = folder_name

    def _folder(self, user: Actor) -> Path:
        return Path(settings.UPLOAD_DIR) / self.folder_name / str(user.pk)

    def save(self, user: Actor, *, data: bytes, meta: dict[str, Any]) -> str:
        """Keep the file and its JSON-ready meta; returns the token the confirm form sends back."""
        folder = self._folder(user)
        folder.mkdir(parents=True, exist_ok=True)
        _sweep(folder)
        _make_room(user, len(data))
        token = secrets.token_urlsafe(24)
        (folder / f"{token}.xlsx").write_bytes(data)
        (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False))
        return token

    def load(self, user: Actor, token: str) -> Stored | None:
        """None for a malformed, expired or someone else's token."""
        # The token comes from the browser and becomes a file name: nothing but the token alphabet.
        if not TOKEN_RE.match(token or ""):
            return None
        folder = self._folder(user)
        data_file, meta_file = folder / f"{token}.xlsx", folder / f"{token}.json"
        if not data_file.is_file() or not meta_file.is_file():
            return None
        return Stored(token=token, data=data_file.read_bytes(), meta=json.loads(meta_file.read_text()))

    def discard(self, user: Actor, token: str) -> None:
        if not TOKEN_RE.match(token or ""):
            return
        for suffix in (".xlsx", ".json"):
            (self._folder(user) / f"{token}{suffix}").unlink(missing_ok=True)


def _make_room(user: Actor, size: int) -> None:
    """Drop the user's oldest previews, in any feature, until one more of `size` bytes keeps within the limits."""
    previews = sorted(found for path in Path(settings.UPLOAD_DIR).glob(f"*/{user.pk}/*.xlsx") if (found := _stat(path)))
    total = sum(length for _, _, length, _ in previews)
    while previews and (
        len(previews) >= settings.UPLOAD_PREVIEWS_PER_USER or total + size > settings.UPLOAD_PREVIEW_BYTES_PER_USER
    ):
        _, _, length, oldest = previews.pop(0)
        total -= length
        oldest.unlink(missing_ok=True)
        oldest.with_suffix(".json").unlink(missing_ok=True)


def _stat(path: Path) -> tuple[int, str, int, Path] | None:
    """(modified, name, size, path), or None when another request removed it meanwhile."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_mtime_ns, path.name, info.st_size, path


def _sweep(folder: Path) -> None:
    """Previews nobody confirmed are dropped after a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
