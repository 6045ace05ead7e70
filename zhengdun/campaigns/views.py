from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhengdun.campaigns import services
from zhengdun.campaigns.forms import CampaignFromTemplateForm, CampaignRulesForm
from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.rulebooks import RULEBOOKS
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases.selectors import case_list
from zhengdun.cases.states import CaseState
from zhengdun.core.http import submit_form
from zhengdun.core.scoping import get_object_or_404, restrict, scope_for
from zhengdun.organizations.models import Organization


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "campaigns/list.html", {"campaigns": campaign_list(request.user), "rulebooks": RULEBOOKS.values()})


@login_required
@permission_required("campaigns.add_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    initial = {
        "template_key": request.GET.get("template", ""),
        "scope": request.user.organization_id,
        "start_year": timezone.localdate().year,
    }
    organizations = restrict(Organization.objects.select_related("parent"), request.user).order_by("path")
    form = CampaignFromTemplateForm(request.POST or None, initial=initial, organizations=organizations)
    campaign = submit_form(
        request,
        form,
        lambda data: services.campaign_create_from_template(
            template_key=data["template_key"],
            scope=data["scope"],
            start_year=data["start_year"],
            name=data["name"],
            actor=request.user,
        ),
        success=lambda campaign: f"已创建整顿工作“{campaign.name}”",
    )
    if campaign is not None:
        return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/create.html", {"form": form, "rulebooks": RULEBOOKS.values()})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), request.user, pk=pk)
    counts = dict(case_list(request.user, campaign_id=campaign.pk).order_by().values_list("state").annotate(n=Count("id")))
    states = [(value, label, counts.get(value, 0)) for value, label in CaseState.choices]
    context = {
        "campaign": campaign,
        "stages": campaign.stages.all(),
        "criteria": campaign.criteria.all(),
        "states": states,
        "total": sum(counts.values()),
        "can_edit": request.user.has_perm("campaigns.change_campaign")
        and scope_for(request.user).covers_path(campaign.scope.path),
    }
    return render(request, "campaigns/detail.html", context)


@login_required
@permission_required("campaigns.change_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), request.user, pk=pk)
    form = CampaignRulesForm(request.POST or None, instance=campaign)
    saved = submit_form(
        request,
        form,
        # Validation has already written the posted values onto `campaign`: the service gets an untouched copy.
        lambda data: services.campaign_update(campaign=Campaign.objects.get(pk=pk), actor=request.user, **data),
        success="已保存整顿工作规则",
    )
    if saved is not None:
        return redirect("campaigns:detail", pk)
    return render(request, "campaigns/edit.html", {"form": form, "campaign": campaign})
