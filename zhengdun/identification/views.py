"""The county's side of identification: proposals to confirm or return,
dynamic additions, and the honesty check of the whole list."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhengdun.accounts.models import User
from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases.selectors import default_campaign
from zhengdun.core.http import AuthedRequest, paginate, querystring_without_page, submit_form
from zhengdun.core.params import parse_id
from zhengdun.core.scoping import get_object_or_404
from zhengdun.identification import selectors, services
from zhengdun.identification.forms import DynamicAddForm
from zhengdun.identification.honesty import honesty_report
from zhengdun.organizations.models import Organization

# Warnings shown in a unit's row; the rest are on the unit's own page (drill down).
WARNINGS_PER_UNIT = 5


def _campaign(request: AuthedRequest) -> Campaign | None:
    value = parse_id(request.GET.get("campaign") or request.POST.get("campaign"))
    campaigns = campaign_list(request.user)
    if value is not None:
        return get_object_or_404(campaigns, request.user, pk=value)
    return default_campaign(request.user)


def _dynamic_form(request: AuthedRequest, campaign: Campaign, data: object = None) -> DynamicAddForm:
    return DynamicAddForm(
        data,
        organizations=selectors.dynamic_candidates(request.user, campaign),
        scope=campaign.scope,
    )


@login_required
@permission_required("cases.view_case", raise_exception=True)
def queue(request: AuthedRequest) -> HttpResponse:
    campaign = _campaign(request)
    context = {
        "campaign": campaign,
        "campaigns": campaign_list(request.user),
        "page": paginate(request, selectors.proposals(request.user, campaign), finish=selectors.with_findings)
        if campaign
        else None,
        "qs": querystring_without_page(request),
        "dynamic_form": _dynamic_form(request, campaign) if campaign else None,
        "today": timezone.localdate(),
    }
    return render(request, "identification/queue.html", context)


@login_required
@permission_required("cases.identify_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dynamic_add(request: AuthedRequest, campaign_pk: int) -> HttpResponse:
    """Choose the organization, then confirm with its name shown; the service decides."""
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), request.user, pk=campaign_pk)
    form = _dynamic_form(request, campaign, request.POST or None)
    context = {"campaign": campaign, "form": form}
    if request.method == "POST" and form.is_valid() and request.POST.get("confirmed") != "1":
        return render(request, "identification/dynamic_confirm.html", {**context, "org": form.cleaned_data["organization"]})
    case = submit_form(
        request,
        form,
        lambda data: services.case_add_dynamic(
            campaign=campaign,
            organization=data["organization"],
            actor=request.user,
            note=data["note"],
            filed_on=data["filed_on"],
            is_key=data["is_key"],
        ),
        success=lambda case: f"已将“{case.organization.name}”动态增补认定为整顿对象",
    )
    if case is not None:
        return redirect("cases:detail", case.pk)
    return render(request, "identification/dynamic_add.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("cases.view_case", raise_exception=True)
def honesty(request: AuthedRequest) -> HttpResponse:
    campaign = _campaign(request)
    under_id = parse_id(request.GET.get("org"))
    under = (
        get_object_or_404(Organization.objects.all(), request.user, pk=under_id)
        if under_id is not None
        else cast(User, request.user).organization  # login_required: a signed-in account
    )
    report = None
    if campaign and under is not None:
        report = honesty_report(campaign, under) if under.path.startswith(campaign.scope.path) else None
    context: dict[str, object] = {
        "campaign": campaign,
        "campaigns": campaign_list(request.user),
        "report": report,
        "under": under,
        "shown_per_unit": WARNINGS_PER_UNIT,
        "neg_shown": -WARNINGS_PER_UNIT,
        "qs": querystring_without_page(request),
    }
    if report is not None:
        own = [row for row in report.rows if under is not None and row.unit.pk == under.pk]
        # A township is its own one unit: its warnings are paged; above it, each unit shows
        # its first few and links down to its own page, and the units are paged.
        context["own"] = bool(own)
        if own:
            context["own_warnings"] = paginate(request, own[0].warnings)
        else:
            context["page"] = paginate(request, report.rows)
    return render(request, "identification/honesty.html", context)
