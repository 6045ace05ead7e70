"""Writing the audit trail. Services call `record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from zhengdun.audit import chain
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.core import context
from zhengdun.core.actors import Actor
from zhengdun.core.snapshots import diff, json_value, snapshot

__all__ = [
    "build",
    "diff",
    "record",
    "record_many",
    "record_change",
    "record_denied",
    "record_download",
    "record_personal_read",
    "snapshot",
]

PERSONAL_READ_NOTE = "查阅{what}（{masked}）"
DOWNLOAD_NOTE = "下载 {file}"
DENIED_NOTE = "{method} {path} 被拒绝（{status} {reason}）"


def organization_model() -> type[models.Model]:
    # The audit app sits below organizations: it names the model through its own
    # foreign key instead of importing it.
    model = AuditEvent._meta.get_field("organization").related_model
    assert isinstance(model, type)
    return model


def organization_of(obj: models.Model | None) -> models.Model | None:
    """The organization `obj` hangs on, found by following its `scope_path` lookup
    ("organization__path" → obj.organization; "path" → obj itself)."""
    if obj is None:
        return None
    parts = (getattr(type(obj), "scope_path", "") or "").split("__")
    if parts[-1] != "path":
        return None
    value: Any = obj
    for part in parts[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return None
    return value if isinstance(value, organization_model()) else None


def _organization_at(path: str) -> models.Model | None:
    return organization_model()._default_manager.filter(path=path).first() if path else None


def build(
    action: str | Action,
    obj: models.Model | None = None,
    *,
    actor: Actor | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    object_repr: str = "",
    organization: models.Model | None = None,
    org_path: str | None = None,
) -> AuditEvent:
    """One row, not yet written: `record` writes one, `record_many` a batch. The row's
    organization is `organization`, else the one at `org_path`, else the one `obj`
    hangs on; its path is kept as history."""
    ctx = context.current()
    if actor is not None and not actor.is_authenticated:
        actor = None
    if organization is None:
        organization = organization_of(obj) if org_path is None else _organization_at(org_path)
    event = AuditEvent(
        # The system actor (core.system) is no account: it is named, not linked.
        actor=actor if isinstance(actor, models.Model) else None,
        actor_name=actor.username if actor is not None else "",
        actor_display=(getattr(actor, "display_name", "") or actor.username) if actor is not None else "",
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:300],
        organization_id=organization.pk if organization is not None else None,
        org_path=getattr(organization, "path", "") if organization is not None else (org_path or ""),
        before=chain.as_stored(json_value(before)) if before is not None else None,
        after=chain.as_stored(json_value(after)) if after is not None else None,
        note=note,
        request_id=ctx.request_id,
        client_ip=ctx.client_ip,
    )
    return event


def record(
    action: str | Action,
    obj: models.Model | None = None,
    *,
    actor: Actor | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    object_repr: str = "",
    organization: models.Model | None = None,
    org_path: str | None = None,
) -> AuditEvent:
    """Append one row to the chain (see `build` for its organization)."""
    event = build(
        action,
        obj,
        actor=actor,
        before=before,
        after=after,
        note=note,
        object_repr=object_repr,
        organization=organization,
        org_path=org_path,
    )
    record_many([event])
    return event


# Rows per INSERT when a batch is written: SQLite allows 32,766 parameters a statement.
BATCH_ROWS = 1000


def record_many(events: list[AuditEvent]) -> None:
    """Append rows made by `build` to the chain, in order: one lock, one INSERT per BATCH_ROWS rows."""
    if not events:
        return
    # The head stays locked until the caller's transaction ends: whoever writes next
    # links to these rows, or to their predecessor if this transaction rolls back. No
    # savepoint: an audit row that cannot be written fails the caller's whole change.
    with transaction.atomic(savepoint=False):
        head = chain.lock_head()
        seq, previous, now = head.seq, head.hash, timezone.now()
        for event in events:
            seq += 1
            event.seq, event.prev_hash, event.at = seq, previous, now
            event.hash = previous = chain.event_digest(event)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events, batch_size=BATCH_ROWS)
        chain.advance(head, events[-1])


def record_change(obj: models.Model, before: dict[str, Any], *, actor: Actor | None = None, note: str = "") -> AuditEvent | None:
    """Record an update with only the fields that changed; nothing when nothing did."""
    old, new = diff(before, snapshot(obj))
    if not new:
        return None
    return record(Action.UPDATE, obj, actor=actor, before=old, after=new, note=note)


def _actor_organization(actor: Actor) -> models.Model | None:
    # An account carries its organization (the audit app names no account model).
    organization = getattr(actor, "organization", None)
    return organization if isinstance(organization, organization_model()) else None


def record_personal_read(
    *, actor: Actor, what: str, unmasked: bool, obj: models.Model | None = None, details: dict[str, Any] | None = None
) -> AuditEvent:
    """A bulk read of personal information (a people list, an export): who read what, masked or not."""
    return record(
        Action.READ_PERSONAL,
        obj,
        actor=actor,
        after={**(details or {}), "phones_unmasked": unmasked},
        note=PERSONAL_READ_NOTE.format(what=what, masked="含完整电话和身份证号" if unmasked else "电话和身份证号已遮蔽"),
        object_repr=what if obj is None else "",
        organization=None if obj is not None else _actor_organization(actor),
    )


def record_download(*, actor: Actor, obj: models.Model, file_name: str) -> AuditEvent:
    """A document or file taken away (a plan's .docx, an evidence file)."""
    return record(Action.DOWNLOAD, obj, actor=actor, after={"file": file_name}, note=DOWNLOAD_NOTE.format(file=file_name))


def record_denied(*, actor: Actor | None, method: str, path: str, status: int, reason: str) -> AuditEvent:
    """A refused request: one row per request, named by its path (never its query, which may hold personal data)."""
    return record(
        Action.DENIED,
        actor=actor,
        after={"method": method, "path": path[:300], "status": status},
        note=DENIED_NOTE.format(method=method, path=path[:200], status=status, reason=reason),
        object_repr=path[:300],
        organization=_actor_organization(actor) if actor is not None else None,
    )
