import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render

from zhengdun.audit.models import Action
from zhengdun.audit.selectors import audit_list, object_types, readable
from zhengdun.core.http import AuthedRequest, paginate, querystring_without_page


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def audit_index(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    qs = audit_list(
        request.user,
        action=g.get("action", ""),
        object_type=g.get("object_type", ""),
        actor=g.get("actor", "").strip(),
        q=g.get("q", "").strip(),
        since=_date(g.get("since")),
        until=_date(g.get("until")),
    )
    page = paginate(request, qs)
    context = {
        "page": page,
        "rows": readable(page.object_list, request.user),
        "qs": querystring_without_page(request),
        "actions": Action.choices,
        "object_types": object_types(),
    }
    return render(request, "audit/list.html", context)
