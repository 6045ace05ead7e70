"""Writing the audit trail. Services call `record` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from zhengdun.audit.models import Action, AuditEvent
from zhengdun.core import context


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj`, JSON-safe, for before/after records."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        # Secrets never enter the trail; timestamps would make every diff noisy.
        if field.name in {"password", "updated_at"}:
            continue
        data[field.attname] = _json_value(getattr(obj, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}


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
        before=_json_value(before) if before is not None else None,
        after=_json_value(after) if after is not None else None,
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
