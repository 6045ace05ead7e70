"""Raw bulk inserts for the generators in bench/: COPY on PostgreSQL, executemany on SQLite.

Rows are given as dicts of column values; every concrete column the dict leaves out gets
the model's default (auto_now fields get the build's one timestamp, nullable ones NULL),
so a generator names only what it decides. Primary keys are assigned by the caller
(ids follow `next_id`), so no RETURNING is needed and parents are known before their
children are written; `reset_sequences` moves PostgreSQL's identity columns past them.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, models

BATCH = 20_000


class Table:
    def __init__(self, model: type[models.Model], now: datetime.datetime, *, with_pk: bool) -> None:
        self.model = model
        self.table = model._meta.db_table
        # Rows without their id get the database's (tables nothing else points at).
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [str(f.column) for f in self.fields]
        self.names = [f.attname for f in self.fields]
        self.defaults: dict[str, Any] = {}
        self.required: set[str] = set()
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default() or f.null or f.empty_strings_allowed:
                # No default: NULL where allowed, "" for text (as Django's get_default gives).
                self.defaults[f.attname] = f.get_default()
            elif not f.primary_key:
                self.required.add(f.attname)
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.datetimes = {f.attname for f in self.fields if isinstance(f, models.DateTimeField)}

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name in self.names:
            value = values[name] if name in values else self.defaults[name]
            if value is not None:
                if name in self.json:
                    value = json.dumps(value, ensure_ascii=False)
                elif name in self.datetimes and connection.vendor == "sqlite":
                    value = connection.ops.adapt_datetimefield_value(value)
            out.append(value)
        return tuple(out)


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]], *, now: datetime.datetime) -> int:
    """Write `rows` into `model`'s table; returns how many."""
    table: Table | None = None
    count = 0
    batch: list[tuple[Any, ...]] = []
    for values in rows:
        if table is None:
            table = Table(model, now, with_pk=model._meta.pk is not None and model._meta.pk.attname in values)
        batch.append(table.row(values))
        if len(batch) >= BATCH:
            _write(table, batch)
            count += len(batch)
            batch = []
    if batch and table is not None:
        _write(table, batch)
        count += len(batch)
    return count


def _write(table: Table, batch: list[tuple[Any, ...]]) -> None:
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {qn(table.table)} ({cols}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(f"INSERT INTO {qn(table.table)} ({cols}) VALUES ({marks})", batch)


def next_id(model: type[models.Model]) -> int:
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return int(last or 0) + 1


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_:
            table, pk = model._meta.db_table, str(model._meta.pk.column if model._meta.pk else "id")
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX({qn(pk)}) FROM {qn(table)}), 1))",
                [table, pk],
            )
