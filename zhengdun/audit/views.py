import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhengdun.audit.models import Action
from zhengdun.audit.selectors import audit_list
from zhengdun.core.http import paginate, querystring_without_page

OBJECT_TYPES = [
    ("organizations.organization", "党组织"),
    ("organizations.person", "人员"),
    ("organizations.post", "任职"),
    ("accounts.user", "账号"),
    ("campaigns.campaign", "整顿工作"),
    ("cases.case", "整顿对象"),
]


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def audit_index(request: HttpRequest) -> HttpResponse:
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
    context = {
        "page": paginate(request, qs),
        "qs": querystring_without_page(request),
        "actions": Action.choices,
        "object_types": OBJECT_TYPES,
    }
    return render(request, "audit/list.html", context)
