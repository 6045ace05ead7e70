from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases.selectors import state_counts
from zhengdun.organizations.selectors import org_roots_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    campaigns = list(campaign_list(request.user)[:10])
    return render(
        request,
        "core/home.html",
        {"roots": org_roots_for(request.user), "campaigns": campaigns, "counts": state_counts(request.user)},
    )


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
