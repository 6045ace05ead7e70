"""Uploaded ledgers waiting for confirmation, kept under UPLOAD_DIR per user.

The same scheme as the roster import's store (organizations/import_store.py):
a random token in the uploader's own folder, and the confirm step reads the
file again. Beside the file it keeps the campaign and the case versions the
preview showed, so confirming applies exactly what was shown.
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

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StoredUpload:
    token: str
    data: bytes
    file_name: str
    campaign_id: int
    seen_versions: dict[int, int]


def _folder(user: Any) -> Path:
    return Path(settings.UPLOAD_DIR) / "ledger_upload" / str(user.pk)


def save(user: Any, *, data: bytes, file_name: str, campaign_id: int, seen_versions: dict[int, int]) -> str:
    folder = _folder(user)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    meta = {"file_name": file_name, "campaign_id": campaign_id, "seen_versions": {str(k): v for k, v in seen_versions.items()}}
    (folder / f"{token}.xlsx").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False))
    return token


def load(user: Any, token: str) -> StoredUpload | None:
    if not TOKEN_RE.match(token or ""):
        return None
    folder = _folder(user)
    data_file, meta_file = folder / f"{token}.xlsx", folder / f"{token}.json"
    if not data_file.is_file() or not meta_file.is_file():
        return None
    meta = json.loads(meta_file.read_text())
    return StoredUpload(
        token=token,
        data=data_file.read_bytes(),
        file_name=meta["file_name"],
        campaign_id=int(meta["campaign_id"]),
        seen_versions={int(k): int(v) for k, v in meta["seen_versions"].items()},
    )


def discard(user: Any, token: str) -> None:
    if not TOKEN_RE.match(token or ""):
        return
    for suffix in (".xlsx", ".json"):
        (_folder(user) / f"{token}{suffix}").unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    """Previews nobody confirmed are dropped after a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
