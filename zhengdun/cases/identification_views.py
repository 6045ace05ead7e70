"""The county's side of identification: proposals to confirm or return,
dynamic additions, and the honesty check of the whole list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases import services
from zhengdun.cases.forms import DynamicAddForm
from zhengdun.cases.honesty import honesty_report
from zhengdun.cases.selectors import case_list, default_campaign
from zhengdun.cases.states import CaseState
from zhengdun.core.errors import ServiceError
from zhengdun.core.scoping import get_object_or_404, restrict
from zhengdun.organizations.models import Organization


def _campaign(request: HttpRequest) -> Campaign | None:
    value = request.GET.get("campaign") or request.POST.get("campaign") or ""
    campaigns = campaign_list(request.user)
    if value.isdigit():
        return get_object_or_404(campaigns, request.user, pk=int(value))
    return default_campaign(request.user)


@login_required
@permission_required("cases.view_case", raise_exception=True)
def identification(request: HttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    proposals = (
        case_list(request.user, campaign_id=campaign.pk, state=CaseState.PROPOSED).annotate(
            findings=Count("screening_record__findings")
        )
        if campaign
        else []
    )
    context = {
        "campaign": campaign,
        "campaigns": campaign_list(request.user),
        "proposals": proposals,
        "dynamic_form": DynamicAddForm(initial={"filed_on": timezone.localdate()}),
        "today": timezone.localdate(),
    }
    return render(request, "cases/identification.html", context)


@login_required
@permission_required("cases.identify_case", raise_exception=True)
@require_http_methods(["POST"])
def dynamic_add(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), request.user, pk=campaign_pk)
    form = DynamicAddForm(request.POST)
    target = f"{reverse('cases:identification')}?campaign={campaign.pk}"
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(target)
    data = form.cleaned_data
    org = restrict(Organization.objects.filter(code=data["org_code"].strip()), request.user).first()
    if org is None:
        messages.error(request, "在您的管辖范围内找不到该编码的组织")
        return redirect(target)
    try:
        case = services.case_add_dynamic(
            campaign=campaign,
            organization=org,
            actor=request.user,
            note=data["note"],
            filed_on=data["filed_on"],
            is_key=data["is_key"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(target)
    messages.success(request, f"已将“{org.name}”动态增补认定为整顿对象")
    return redirect("cases:detail", case.pk)


@login_required
@permission_required("cases.view_case", raise_exception=True)
def honesty(request: HttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    under_id = request.GET.get("org", "")
    under = (
        get_object_or_404(Organization.objects.all(), request.user, pk=int(under_id))
        if under_id.isdigit()
        else request.user.organization
    )
    report = None
    if campaign and under is not None:
        report = honesty_report(campaign, under) if under.path.startswith(campaign.scope.path) else None
    context = {"campaign": campaign, "campaigns": campaign_list(request.user), "report": report, "under": under}
    return render(request, "cases/honesty.html", context)
