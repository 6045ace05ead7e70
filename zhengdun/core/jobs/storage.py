"""Huey on a SQLite file that is opened only when the queue is first used.

Huey's own SqliteHuey creates its file as soon as Django loads (djhuey builds the
instance at import): every `manage.py` command would leave a queue file in the data
folder, even `restore` into a fresh install, which must find that folder empty.
"""

from __future__ import annotations

from typing import Any

from huey import SqliteHuey
from huey.storage import SqliteStorage


class LazyStorage:
    def __init__(self, name: str, **kwargs: Any) -> None:
        self._args = (name, kwargs)
        self._storage: SqliteStorage | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._storage is None:
            name, kwargs = self._args
            self._storage = SqliteStorage(name, **kwargs)
        return getattr(self._storage, attr)


class LazySqliteHuey(SqliteHuey):
    storage_class = LazyStorage
