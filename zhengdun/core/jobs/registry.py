"""The kinds of background work, registered by the apps that own them (core imports no app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhengdun.core.jobs.models import Job

# Told how many items are done so far (the total was set when the job was enqueued).
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Outcome:
    """What a finished job leaves: a summary for the page and the audit trail, maybe a file."""

    summary: str
    result: dict[str, Any] = field(default_factory=dict)
    file: Path | None = None
    file_name: str = ""


Runner = Callable[[Job, Progress], Outcome]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    run: Runner


@dataclass(frozen=True)
class Periodic:
    """A job the scheduler enqueues by itself: once per day (at `hour`:`minute` local time)."""

    kind: Kind
    hour: int
    minute: int


_kinds: dict[str, Kind] = {}
_periodic: dict[str, Periodic] = {}


def register(name: str, *, label: str, run: Runner) -> Kind:
    """Name a kind of job and the function that does it (once, however often ready() runs)."""
    kind = Kind(name=name, label=label, run=run)
    _kinds[name] = kind
    return kind


def register_daily(name: str, *, label: str, run: Runner, hour: int, minute: int = 0) -> Periodic:
    """A kind of job enqueued every day by the consumers' scheduler; the day is its period,
    so however many consumers fire it, it runs once a day."""
    periodic = Periodic(kind=register(name, label=label, run=run), hour=hour, minute=minute)
    _periodic[name] = periodic
    from zhengdun.core.jobs import queue

    queue.schedule(periodic)
    return periodic


def kind(name: str) -> Kind:
    return _kinds[name]


def periodic() -> list[Periodic]:
    return list(_periodic.values())
