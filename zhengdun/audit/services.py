"""Writing the audit trail. Services call `record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from zhengdun.audit.models import Action, AuditEvent
from zhengdun.core import context
from zhengdun.core.snapshots import diff, json_value, snapshot

__all__ = ["diff", "record", "record_change", "snapshot"]


def _org_path_of(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    lookup = getattr(type(obj), "scope_path", "")
    value: Any = obj
    for part in lookup.split("__") if lookup else []:
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value if isinstance(value, str) else ""


def record(
    action: str | Action,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    object_repr: str = "",
    org_path: str | None = None,
) -> AuditEvent:
    ctx = context.current()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        # The system actor (core.system) is no account: it is named, not linked.
        actor=actor if isinstance(actor, models.Model) else None,
        actor_name=getattr(actor, "username", "") if actor else "",
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:300],
        org_path=_org_path_of(obj) if org_path is None else org_path,
        before=json_value(before) if before is not None else None,
        after=json_value(after) if after is not None else None,
        note=note,
        request_id=ctx.request_id,
        client_ip=ctx.client_ip,
    )


def record_change(obj: models.Model, before: dict[str, Any], *, actor: Any = None, note: str = "") -> AuditEvent | None:
    """Record an update with only the fields that changed; nothing when nothing did."""
    old, new = diff(before, snapshot(obj))
    if not new:
        return None
    return record(Action.UPDATE, obj, actor=actor, before=old, after=new, note=note)
