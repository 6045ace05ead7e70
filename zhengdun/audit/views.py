import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from zhengdun.audit.export import EXPORT_PERM, file_name, trail_export
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.selectors import audit_list, object_types, readable
from zhengdun.core.http import AuthedRequest, keyset_paginate, querystring_without_page
from zhengdun.core.params import parse_id
from zhengdun.core.scoping import Viewer

FILTERS = ("action", "object_type", "actor", "q", "since", "until")


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered(user: Viewer, g: QueryDict) -> QuerySet[AuditEvent]:
    return audit_list(
        user,
        action=g.get("action", ""),
        object_type=g.get("object_type", ""),
        actor=g.get("actor", "").strip(),
        q=g.get("q", "").strip(),
        since=_date(g.get("since")),
        until=_date(g.get("until")),
    )


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def audit_index(request: AuthedRequest) -> HttpResponse:
    # Newest first by id (the order rows were written and chained in): a deep page seeks, nothing is counted.
    page = keyset_paginate(request, _filtered(request.user, request.GET), key="id", parse=parse_id, descending=True)
    context = {
        "page": page,
        "rows": readable(page.object_list, request.user),
        "qs": querystring_without_page(request),
        "actions": Action.choices,
        "object_types": object_types(),
        "can_export": request.user.has_perm(EXPORT_PERM),
    }
    return render(request, "audit/list.html", context)


@login_required
@permission_required(["audit.view_auditevent", EXPORT_PERM], raise_exception=True)
@require_GET
def audit_export(request: AuthedRequest) -> StreamingHttpResponse:
    filters = {key: request.GET[key] for key in FILTERS if request.GET.get(key)}
    lines = trail_export(actor=request.user, events=_filtered(request.user, request.GET), filters=filters)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, file_name())
    response["Cache-Control"] = "no-store"
    return response
