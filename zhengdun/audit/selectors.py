from typing import Any

from django.db.models import Model, QuerySet

from zhengdun.audit.models import AuditEvent
from zhengdun.core.scoping import restrict


def audit_list(
    user: Any, *, action: str = "", object_type: str = "", actor: str = "", q: str = "", since: Any = None, until: Any = None
) -> QuerySet[AuditEvent]:
    qs = restrict(AuditEvent.objects.all(), user)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_name=actor)
    if q:
        qs = qs.filter(object_repr__icontains=q)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def events_for_object(user: Any, obj: Model) -> QuerySet[AuditEvent]:
    return restrict(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)), user).order_by(
        "-at", "-id"
    )
