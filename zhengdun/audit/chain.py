"""The hash chain of the audit trail: one linear chain over the whole table, in `seq` order.

Each row's `hash` is SHA-256 over its canonical content, which includes `prev_hash`,
the hash of the row before it (GENESIS for the first row ever written). A row changed
no longer matches its hash; a row deleted or slipped in breaks the next row's link or
the numbering. Writers take the one chain-head row with SELECT ... FOR UPDATE (on
SQLite every write transaction already holds the database's write lock), so no two
rows ever claim the same predecessor.

One chain rather than one per day: a deleted day would otherwise leave no trace in
the days around it. Days matter to the seals (seals.py), which anchor each closed
day's last hash outside the database.

`actor_id` is left out of the hash: deleting an account sets it to NULL by design,
and the account is named in `actor_name` / `actor_display`, which are covered.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from zhengdun.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
HEAD_PK = 1

# The covered columns, in the order they are stored.
HASHED = (
    "seq",
    "at",
    "actor_name",
    "actor_display",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "organization_id",
    "org_path",
    "before",
    "after",
    "note",
    "request_id",
    "client_ip",
    "prev_hash",
)


def _instant(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: Mapping[str, Any]) -> bytes:
    """The row as hashed: sorted-key compact JSON, the time in UTC to the microsecond."""
    data = {key: values[key] for key in HASHED}
    data["at"] = _instant(values["at"])
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def event_digest(event: AuditEvent) -> str:
    return digest({key: getattr(event, key) for key in HASHED})


def as_stored(value: Any) -> Any:
    """A JSON value as the database gives it back, so the hash written is the hash read."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False))


def lock_head() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends. Call inside transaction.atomic()."""
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is not None:
        return head
    # First write of this database (or the head row was lost): continue from the last chained row.
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values("seq", "hash").first()
    start = AuditChainHead(pk=HEAD_PK, seq=(last["seq"] or 0) if last else 0, hash=last["hash"] if last else GENESIS)
    AuditChainHead.objects.bulk_create([start], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)


def advance(head: AuditChainHead, event: AuditEvent) -> None:
    AuditChainHead.objects.filter(pk=head.pk).update(seq=event.seq, hash=event.hash)


@dataclass(frozen=True)
class Start:
    """Where the chain may begin: the genesis, or just after a pruned boundary."""

    seq: int
    prev_hash: str


@dataclass(frozen=True)
class Break:
    seq: int | None
    message: str


def rows() -> Iterator[dict[str, Any]]:
    return AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values("id", "hash", *HASHED).iterator(chunk_size=2000)


def walk(starts: list[Start], wanted: set[int]) -> tuple[Break | None, dict[int, str], dict[str, Any] | None]:
    """Follow the chain from its first row: the first broken link, the hashes at the
    `wanted` sequence numbers, and the last row."""
    unchained = AuditEvent.objects.filter(seq__isnull=True).order_by("id").values_list("id", flat=True).first()
    if unchained is not None:
        return Break(None, f"编号 {unchained} 的记录不在链上（没有链序号）：它绕过应用写入"), {}, None
    found: dict[int, str] = {}
    previous: dict[str, Any] | None = None
    for row in rows():
        if previous is None:
            if Start(row["seq"], row["prev_hash"]) not in starts:
                return Break(row["seq"], f"链从序号 {row['seq']} 开始，它之前的记录被删除（且不是按保存期限清理的）"), found, row
        elif row["seq"] != previous["seq"] + 1:
            gap = f"{previous['seq'] + 1}" if row["seq"] == previous["seq"] + 2 else f"{previous['seq'] + 1}–{row['seq'] - 1}"
            return Break(previous["seq"] + 1, f"序号 {gap} 的记录缺失：被删除"), found, row
        elif row["prev_hash"] != previous["hash"]:
            return Break(row["seq"], f"序号 {row['seq']}（编号 {row['id']}）与前一条不相连：前一条被替换或此条被插入"), found, row
        if digest(row) != row["hash"]:
            return Break(row["seq"], f"序号 {row['seq']}（编号 {row['id']}）的内容与其哈希不符：被修改"), found, row
        if row["seq"] in wanted:
            found[row["seq"]] = row["hash"]
        previous = row
    return None, found, previous
