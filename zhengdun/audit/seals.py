"""Seals: the chain anchored outside the database, and the verification that reads both.

`seal_audit` (daily, from cron) appends one line per closed day to AUDIT_SEAL_FILE:
the day, its last sequence number and that row's hash. `prune_audit` appends the
boundary it deletes up to before deleting. Each line carries the hash of the line
before it, so the file itself cannot be edited quietly either. Someone who controls
the database can rewrite the whole chain consistently, but not the hashes already
sealed in a file the database cannot reach: a truncated or rewritten table shows up
as a sealed row that is missing or hashes differently.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from zhengdun.audit import chain, guard
from zhengdun.audit.models import Action, AuditChainHead, AuditEvent
from zhengdun.audit.services import record
from zhengdun.core.actors import Actor

SEAL = "seal"
PRUNE = "prune"
PRUNED_NOTE = "按保存期限 {days} 天清理 {cutoff} 之前的审计记录 {rows} 条（至链序号 {seq}）"


@dataclass(frozen=True)
class Entry:
    line: int
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.data.get("type", ""))


def seal_path() -> Path:
    return Path(settings.AUDIT_SEAL_FILE)


def _line_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def read_entries(path: Path | None = None) -> tuple[list[Entry], chain.Break | None]:
    """The seal file's entries, and the first line that breaks its own chain."""
    path = path or seal_path()
    if not path.exists():
        return [], None
    entries: list[Entry] = []
    prev = chain.GENESIS
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            data = json.loads(text)
        except ValueError:
            return entries, chain.Break(None, f"封存文件 {path} 第 {number} 行无法读取：文件被改动")
        if not isinstance(data, dict) or data.get("prev") != prev:
            return entries, chain.Break(None, f"封存文件 {path} 第 {number} 行与前一行不相连：文件被改动")
        entries.append(Entry(number, data))
        prev = _line_hash(text)
    return entries, None


def _append(entry: dict[str, Any]) -> dict[str, Any]:
    path = seal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # two seal runs at once must not interleave their lines
        f.seek(0)
        lines = f.read().splitlines()
        entry = {**entry, "prev": _line_hash(lines[-1]) if lines else chain.GENESIS}
        f.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        f.flush()
    return entry


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def seal_closed_days(*, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Seal every closed day (before `today`, local time) that has rows and no seal yet."""
    today = today or timezone.localdate()
    entries, broken = read_entries()
    if broken is not None:
        raise ValueError(broken.message)
    sealed = [e.data for e in entries if e.kind == SEAL]
    after_seq = max((int(s["last_seq"]) for s in sealed), default=0)
    days = (
        AuditEvent.objects.filter(seq__gt=after_seq, at__lt=_local_midnight(today))
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(last_seq=Max("seq"), rows=Count("id"))
        .order_by("day")
    )
    written = []
    for day in days:
        last_hash = AuditEvent.objects.filter(seq=day["last_seq"]).values_list("hash", flat=True).get()
        written.append(
            _append(
                {
                    "type": SEAL,
                    "day": day["day"].isoformat(),
                    "last_seq": day["last_seq"],
                    "last_hash": last_hash,
                    "rows": day["rows"],
                    "sealed_at": timezone.now().isoformat(),
                }
            )
        )
    return written


@dataclass(frozen=True)
class Verdict:
    rows: int
    last_seq: int | None
    seals: int
    broken: chain.Break | None


def verify() -> Verdict:
    """Check the chain, the seals and the chain head; the first broken link, if any."""
    entries, broken = read_entries()
    prunes = [e.data for e in entries if e.kind == PRUNE]
    seals = [e.data for e in entries if e.kind == SEAL]
    starts = [chain.Start(1, chain.GENESIS)] + [chain.Start(int(p["through_seq"]) + 1, str(p["hash"])) for p in prunes]
    pruned_through = max((int(p["through_seq"]) for p in prunes), default=0)
    wanted = {int(s["last_seq"]) for s in seals if int(s["last_seq"]) > pruned_through}
    count = AuditEvent.objects.count()
    if broken is not None:
        return Verdict(count, None, len(seals), broken)
    broken, found, last = chain.walk(starts, wanted)
    last_seq = last["seq"] if last else None
    if broken is None:
        broken = _against_seals(seals, pruned_through, found)
    if broken is None:
        broken = _against_head(last)
    return Verdict(count, last_seq, len(seals), broken)


def _against_seals(seals: list[dict[str, Any]], pruned_through: int, found: dict[int, str]) -> chain.Break | None:
    for seal in seals:
        seq = int(seal["last_seq"])
        if seq <= pruned_through:
            continue
        if seq not in found:
            return chain.Break(seq, f"{seal['day']} 封存的最后一条（序号 {seq}）已不在表中：表被截断或删除")
        if found[seq] != seal["last_hash"]:
            return chain.Break(seq, f"{seal['day']} 封存的最后一条（序号 {seq}）的哈希与封存不符：表被改写")
    return None


def _against_head(last: dict[str, Any] | None) -> chain.Break | None:
    head = AuditChainHead.objects.filter(pk=chain.HEAD_PK).values("seq", "hash").first()
    if head is None or last is None:
        return None  # Nothing written yet, or the table and its head were emptied together (the seals tell).
    if head["seq"] > last["seq"]:
        return chain.Break(last["seq"] + 1, f"链头记到序号 {head['seq']}，表中只到 {last['seq']}：末尾的记录被删除")
    if (head["seq"], head["hash"]) != (last["seq"], last["hash"]):
        return chain.Break(last["seq"], f"链头（序号 {head['seq']}）与表中最后一条（序号 {last['seq']}）不符：记录被绕过应用写入")
    return None


@dataclass(frozen=True)
class Pruned:
    rows: int
    through_seq: int
    cutoff: datetime.date


def prune(*, actor: Actor | None, today: datetime.date | None = None) -> Pruned:
    """Delete the rows older than the retention period (whole local days), after
    sealing the closed days and recording the boundary in the seal file."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=guard.retention_days())
    seal_closed_days(today=today)
    first_kept = AuditEvent.objects.filter(at__gte=_local_midnight(cutoff)).order_by("seq").values_list("seq", flat=True).first()
    old = AuditEvent.objects.filter(seq__isnull=False, at__lt=_local_midnight(cutoff))
    through = (first_kept - 1) if first_kept is not None else old.aggregate(m=Max("seq"))["m"]
    if not through or not old.filter(seq__lte=through).exists():
        return Pruned(0, 0, cutoff)
    boundary_hash = AuditEvent.objects.filter(seq=through).values_list("hash", flat=True).get()
    _append(
        {
            "type": PRUNE,
            "through_seq": through,
            "hash": boundary_hash,
            "before": cutoff.isoformat(),
            "pruned_at": timezone.now().isoformat(),
        }
    )
    with transaction.atomic():
        deleted, _ = AuditEvent.objects.filter(seq__lte=through).delete()
        record(
            Action.PRUNE,
            actor=actor,
            note=PRUNED_NOTE.format(days=guard.retention_days(), cutoff=cutoff.isoformat(), rows=deleted, seq=through),
        )
    return Pruned(deleted, through, cutoff)
