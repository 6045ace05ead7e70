"""Reading the audit trail: the scoped list, and rows as people read them
(names, Chinese field labels, masked personal numbers)."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.utils import timezone

from zhengdun.audit.models import AuditEvent
from zhengdun.core import masking
from zhengdun.core.scoping import STEPLEN, Viewer, restrict, scope_for

EMPTY = "（空）"
SYSTEM_NAME = "系统"
# Labels for keys that are no model field (accounts/services.py, the ledger export)
# and for fields declared without a Chinese label (treebeard's tree columns).
EXTRA_LABELS = {
    "roles": "角色",
    "user": "账号",
    "format": "格式",
    "phones_unmasked": "含完整电话",
    "path": "树路径",
    "depth": "层级深度",
    "numchild": "下级数",
    "id": "编号",
}
# Fields that name a row, in the order they are tried, when a foreign key is shown by name.
NAME_FIELDS = ("display_name", "name", "username", "title")

# Numbers inside free text (notes, object names): a mobile or fixed-line number, an ID number.
PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8})(?!\d)")
ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def audit_list(
    user: Viewer,
    *,
    action: str = "",
    object_type: str = "",
    actor: str = "",
    q: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = visible_events(user)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(Q(actor_name=actor) | Q(actor_display=actor))
    if q:
        qs = qs.filter(object_repr__icontains=q)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def oversees_installation(user: Viewer) -> bool:
    """Whether `user`'s scope holds a root of the tree (the county, or the city above counties)."""
    scope = scope_for(user)
    return scope.unrestricted or any(len(root) == STEPLEN for root in scope.roots)


def visible_events(user: Viewer) -> QuerySet[AuditEvent]:
    """The rows `user` may read: those of its subtree through the chokepoint, and to
    whoever oversees a root of the tree, the rows that belong to no organization
    (failed logins for unknown account names, refused tokens, pruning)."""
    qs = restrict(AuditEvent.objects.all(), user)
    if oversees_installation(user):
        qs = qs | AuditEvent.objects.filter(organization__isnull=True)
    return qs


def events_for_object(user: Viewer, obj: Model) -> QuerySet[AuditEvent]:
    return restrict(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)), user).order_by(
        "-at", "-id"
    )


def object_types() -> list[tuple[str, str]]:
    """Every kind of object of this system, for the type filter: each model of its apps."""
    return [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for config in apps.get_app_configs()
        if config.name.startswith("zhengdun.")
        for model in config.get_models()
    ]


def _model(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None  # A type no longer in the code: its rows are shown with raw keys.


def _field(model: type[Model] | None, key: str) -> Field[Any, Any] | None:
    if model is None:
        return None
    for f in model._meta.concrete_fields:
        if key in (f.attname, f.name):
            return f
    return None


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: str
    after: str


@dataclass
class EventRow:
    event: AuditEvent
    actor: str
    type_label: str
    object: str
    note: str
    changes: list[Change] = field(default_factory=list)


def _is_key(model: type[Model], value: Any) -> bool:
    """Whether a snapshot's value can be the model's key: some snapshots name a row (a user by username)."""
    try:
        model._meta.pk.get_prep_value(model._meta.pk.to_python(value))
    except (ValueError, TypeError, ValidationError):
        return False
    return True


class _Reader:
    """Turns events into rows for `viewer`, naming every referenced row with
    one query per referenced model, whatever the number of events."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.unmasked = masking.can_see_personal_info(viewer)
        self.names: dict[type[Model], dict[str, str]] = {}

    def text(self, value: str) -> str:
        if self.unmasked:
            return value
        value = ID_IN_TEXT.sub(lambda m: masking.mask_id_number(m.group()), value)
        return PHONE_IN_TEXT.sub(lambda m: masking.mask_phone(m.group()), value)

    def load_names(self, refs: dict[type[Model], set[Any]]) -> None:
        for model, ids in refs.items():
            names = [f.name for f in model._meta.concrete_fields if f.name in NAME_FIELDS]
            names.sort(key=NAME_FIELDS.index)
            qs = model._default_manager.filter(pk__in=[pk for pk in ids if _is_key(model, pk)])
            if getattr(model, "scope_path", None):
                qs = restrict(qs, self.viewer)
            self.names[model] = {str(pk): next((str(v) for v in values if v), "") for pk, *values in qs.values_list("pk", *names)}

    def value(self, f: Field[Any, Any] | None, key: str, value: Any) -> str:
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return "、".join(self.value(f, key, v) for v in value) or EMPTY
        if isinstance(value, dict):
            return "；".join(f"{k}：{self.value(None, str(k), v)}" for k, v in value.items()) or EMPTY
        if key == "phone" or key.endswith("_phone"):
            return masking.phone_for(self.viewer, str(value))
        if key == "id_number" or key.endswith("_id_number"):
            return masking.id_number_for(self.viewer, str(value))
        if f is not None and f.is_relation and f.related_model is not None and not isinstance(f.related_model, str):
            return self.names.get(f.related_model, {}).get(str(value)) or f"编号 {value}"
        if f is not None and f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if f is not None and f.get_internal_type() == "DateTimeField" and isinstance(value, str):
            try:
                return timezone.localtime(datetime.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                return value
        return self.text(str(value))

    def rows(self, events: Iterable[AuditEvent]) -> list[EventRow]:
        events = list(events)
        refs: dict[type[Model], set[Any]] = defaultdict(set)
        for e in events:
            model = _model(e.object_type)
            for data in (e.before, e.after):
                for key, value in (data or {}).items() if isinstance(data, dict) else ():
                    f = _field(model, key)
                    target = f.related_model if f is not None and f.is_relation else None
                    if isinstance(target, type) and value is not None:
                        refs[target].add(value)
        self.load_names(refs)
        return [self.row(e) for e in events]

    def row(self, e: AuditEvent) -> EventRow:
        model = _model(e.object_type)
        before = e.before if isinstance(e.before, dict) else {}
        after = e.after if isinstance(e.after, dict) else {}
        changes = []
        for key in list(dict.fromkeys([*before, *after])):
            f = _field(model, key)
            label = str(f.verbose_name) if f is not None and not str(f.verbose_name).isascii() else EXTRA_LABELS.get(key, key)
            changes.append(
                Change(
                    key=key,
                    label=label,
                    before=self.value(f, key, before[key]) if key in before else "",
                    after=self.value(f, key, after[key]) if key in after else "",
                )
            )
        actor = e.actor_display or e.actor_name
        return EventRow(
            event=e,
            actor=SYSTEM_NAME if not actor or actor == "system" else actor,
            type_label=str(model._meta.verbose_name) if model is not None else e.object_type,
            object=self.text(e.object_repr),
            note=self.text(e.note),
            changes=changes,
        )


def readable(events: Iterable[AuditEvent], viewer: Viewer) -> list[EventRow]:
    """The events as `viewer` may read them; a bounded number of queries for any number of events."""
    return _Reader(viewer).rows(events)
