"""How core writes an audit record without importing the audit app.

The audit app installs its writer here when it is ready (audit/apps.py); core's
workflow calls `record_transition`. Core stays at the bottom of the layers.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from zhengdun.core.actors import Actor


class Recorder(Protocol):
    def __call__(
        self,
        action: str,
        obj: Model | None = None,
        *,
        actor: Actor | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        note: str = "",
        org_path: str | None = None,
    ) -> object: ...


_recorder: Recorder | None = None

TRANSITION = "transition"


def install(recorder: Recorder) -> None:
    global _recorder
    _recorder = recorder


def record_transition(obj: Model, *, actor: Actor, before: dict[str, Any], after: dict[str, Any], note: str) -> None:
    if _recorder is None:
        raise ImproperlyConfigured("no audit recorder is installed (the audit app installs one): every transition is audited")
    _recorder(TRANSITION, obj, actor=actor, before=before, after=after, note=note)


def record_event(action: str, *, actor: Actor, note: str, after: dict[str, Any] | None = None) -> None:
    """A row about the install as a whole (a backup, a restore), hanging on no object."""
    if _recorder is None:
        raise ImproperlyConfigured("no audit recorder is installed (the audit app installs one)")
    _recorder(action, None, actor=actor, after=after, note=note)


def record_object(
    action: str, obj: Model, *, actor: Actor, note: str, org_path: str, after: dict[str, Any] | None = None
) -> None:
    """A row about one object of core's own (a job's file downloaded), filed under the organization at `org_path`."""
    if _recorder is None:
        raise ImproperlyConfigured("no audit recorder is installed (the audit app installs one)")
    _recorder(action, obj, actor=actor, after=after, note=note, org_path=org_path or None)
