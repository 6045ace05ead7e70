"""Uploaded rosters waiting for confirmation; core/uploads.py keeps the files.

Beside the file it keeps the year the preview was made for, so confirming
imports the income into the year that was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhengdun.core.uploads import UploadStore

_STORE = UploadStore("org_import")


@dataclass(frozen=True)
class StoredUpload:
    token: str
    data: bytes
    file_name: str
    year: int


def save(user: Any, *, data: bytes, file_name: str, year: int) -> str:
    return _STORE.save(user, data=data, meta={"file_name": file_name, "year": year})


def load(user: Any, token: str) -> StoredUpload | None:
    stored = _STORE.load(user, token)
    if stored is None:
        return None
    return StoredUpload(token=stored.token, data=stored.data, file_name=stored.meta["file_name"], year=int(stored.meta["year"]))


def discard(user: Any, token: str) -> None:
    _STORE.discard(user, token)
