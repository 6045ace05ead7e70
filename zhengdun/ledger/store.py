"""Uploaded ledgers waiting for confirmation; core/uploads.py keeps the files.

Beside the file it keeps the campaign and the case versions the preview
showed, so confirming applies exactly what was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhengdun.core.uploads import UploadStore

_STORE = UploadStore("ledger_upload")


@dataclass(frozen=True)
class StoredUpload:
    token: str
    data: bytes
    file_name: str
    campaign_id: int
    seen_versions: dict[int, int]


def save(user: Any, *, data: bytes, file_name: str, campaign_id: int, seen_versions: dict[int, int]) -> str:
    # JSON object keys are strings; load() turns them back into organization ids.
    versions = {str(k): v for k, v in seen_versions.items()}
    return _STORE.save(user, data=data, meta={"file_name": file_name, "campaign_id": campaign_id, "seen_versions": versions})


def load(user: Any, token: str) -> StoredUpload | None:
    stored = _STORE.load(user, token)
    if stored is None:
        return None
    meta = stored.meta
    return StoredUpload(
        token=stored.token,
        data=stored.data,
        file_name=meta["file_name"],
        campaign_id=int(meta["campaign_id"]),
        seen_versions={int(k): int(v) for k, v in meta["seen_versions"].items()},
    )


def discard(user: Any, token: str) -> None:
    _STORE.discard(user, token)
