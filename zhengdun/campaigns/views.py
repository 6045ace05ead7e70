from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhengdun.campaigns import services
from zhengdun.campaigns.forms import (
    CampaignFromTemplateForm,
    CampaignRulesForm,
    CampaignThresholdsForm,
    CampaignTransitionForm,
    CriterionFormSet,
    StageFormSet,
)
from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.rulebooks import RULEBOOKS
from zhengdun.campaigns.selectors import campaign_events, campaign_get, campaign_list
from zhengdun.campaigns.services import CRITERION_FIELDS, CriterionSpec, StageDates
from zhengdun.campaigns.transitions import CAMPAIGN_WORKFLOW
from zhengdun.core.errors import ConflictError, NeedsConfirmation, ServiceError
from zhengdun.core.http import AuthedRequest, refuse, submit_form
from zhengdun.core.params import parse_int
from zhengdun.core.scoping import restrict, scope_for
from zhengdun.core.workflow import ERR_NO_PERMISSION
from zhengdun.organizations.models import Organization

ERR_SCOPE_CODE = "在您的管辖范围内找不到该编码的组织"


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    return render(request, "campaigns/list.html", {"campaigns": campaign_list(request.user), "rulebooks": RULEBOOKS.values()})


@login_required
@permission_required("campaigns.add_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    initial = {
        "template_key": request.GET.get("template", ""),
        "scope": request.user.organization_id,
        "start_year": timezone.localdate().year,
    }
    organizations = restrict(Organization.objects.select_related("parent"), request.user).order_by("path")
    form = CampaignFromTemplateForm(request.POST or None, initial=initial, organizations=organizations)
    duplicate = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create_from_template(
                template_key=data["template_key"],
                scope=data["scope"],
                start_year=data["start_year"],
                name=data["name"],
                draft=data["draft"],
                confirm_duplicate=data["confirm_duplicate"],
                actor=request.user,
            )
        except NeedsConfirmation as exc:
            # Shown beside a second button that posts the same form with the confirmation.
            duplicate = exc.message
        except ServiceError as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"已创建整顿工作“{campaign.name}”")
            return redirect("campaigns:detail", campaign.pk)
    context = {"form": form, "rulebooks": RULEBOOKS.values(), "duplicate": duplicate}
    return render(request, "campaigns/create.html", context, status=400 if form.errors else 200)


def _can_edit(request: HttpRequest, campaign: Campaign) -> bool:
    return request.user.has_perm("campaigns.change_campaign") and scope_for(request.user).covers_path(campaign.scope.path)


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(request.user, pk)
    # The cases app sits above campaigns: its rows are reached through the reverse relation.
    cases = restrict(campaign.cases.all(), request.user)
    counts = dict(cases.order_by().values_list("state").annotate(n=Count("id")))
    states = [(value, label, counts.get(value, 0)) for value, label in cases.model._meta.get_field("state").choices or ()]
    # Steps on a campaign are the county's: below its scope none are offered.
    offers = CAMPAIGN_WORKFLOW.offers(campaign, request.user) if scope_for(request.user).covers_path(campaign.scope.path) else []
    context = {
        "campaign": campaign,
        "stages": campaign.stages.all(),
        "criteria": campaign.criteria.all(),
        "states": states,
        "total": sum(counts.values()),
        "can_edit": _can_edit(request, campaign),
        "actions": [o for o in offers if o.allowed],
        "blocked": [o for o in offers if not o.allowed],
        "timeline": campaign_events(request.user, campaign)[:20],
    }
    return render(request, "campaigns/detail.html", context)


def _editable(request: AuthedRequest, pk: int) -> Campaign:
    """The campaign to change; readable from below, but only its county's scope may change it (404 otherwise)."""
    campaign = campaign_get(request.user, pk)
    if not scope_for(request.user).covers_path(campaign.scope.path):
        raise Http404("不存在或无权访问")
    return campaign


def _edit_page(
    request: AuthedRequest,
    pk: int,
    form_class: type[CampaignRulesForm] | type[CampaignThresholdsForm],
    save: Callable[..., Campaign],
    *,
    title: str,
    success: str,
) -> HttpResponse:
    campaign = _editable(request, pk)
    form = form_class(request.POST or None, instance=campaign)
    saved = submit_form(
        request,
        form,
        # Validation has already written the posted values onto `campaign`: the service gets an untouched copy.
        lambda data: save(
            campaign=Campaign.objects.select_related("scope").get(pk=pk),
            actor=request.user,
            expected_version=data["version"],
            **form.values(),
        ),
        success=success,
    )
    if saved is not None:
        return redirect("campaigns:detail", pk)
    context = {"form": form, "campaign": Campaign.objects.get(pk=pk), "title": title}
    return render(request, "campaigns/edit.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("campaigns.change_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _edit_page(request, pk, CampaignRulesForm, services.campaign_update, title="规则", success="已保存整顿工作规则")


@login_required
@permission_required("campaigns.change_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def thresholds(request: AuthedRequest, pk: int) -> HttpResponse:
    return _edit_page(
        request,
        pk,
        CampaignThresholdsForm,
        services.campaign_set_thresholds,
        title="预警与提示阈值",
        success="已保存预警与提示阈值",
    )


def _version(request: HttpRequest) -> int | None:
    return parse_int(request.POST.get("version"))


def _catalog_page(
    request: HttpRequest,
    campaign: Campaign,
    formset: Any,
    save: Callable[[list[dict[str, Any]]], object],
    *,
    template: str,
    success: str,
) -> HttpResponse:
    error, status = "", 200
    if request.method == "POST":
        if formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                save(rows)
            except ServiceError as exc:
                error, status = exc.message, exc.status
            else:
                messages.success(request, success)
                return redirect("campaigns:detail", campaign.pk)
        else:
            error, status = "请检查标红的内容", 400
    context = {"campaign": campaign, "formset": formset, "error": error}
    return render(request, template, context, status=status)


@login_required
@permission_required("campaigns.change_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def stages(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = _editable(request, pk)
    initial = [{"id": s.pk, "name": s.name, "starts_on": s.starts_on, "ends_on": s.ends_on} for s in campaign.stages.all()]
    formset = StageFormSet(request.POST or None, initial=initial, prefix="stages")

    def save(rows: list[dict[str, Any]]) -> Campaign:
        return services.campaign_set_stages(
            campaign=campaign,
            actor=request.user,
            expected_version=_version(request),
            stages=[StageDates(id=r["id"], name=r["name"], starts_on=r["starts_on"], ends_on=r["ends_on"]) for r in rows],
        )

    return _catalog_page(request, campaign, formset, save, template="campaigns/stages.html", success="已保存工作阶段")


@login_required
@permission_required("campaigns.change_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def criteria(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = _editable(request, pk)
    initial = [{"id": c.pk, **{f: getattr(c, f) for f in CRITERION_FIELDS}} for c in campaign.criteria.all()]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="criteria")

    def save(rows: list[dict[str, Any]]) -> Campaign:
        specs = [CriterionSpec(id=r.get("id"), **{f: r.get(f) or "" for f in CRITERION_FIELDS}) for r in rows]
        return services.campaign_set_criteria(
            campaign=campaign, actor=request.user, expected_version=_version(request), criteria=specs
        )

    return _catalog_page(request, campaign, formset, save, template="campaigns/criteria.html", success="已保存认定标准")


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    campaign = _editable(request, pk)
    rule = CAMPAIGN_WORKFLOW.by_action.get(action)
    if rule is None:
        raise Http404("未知的操作")
    if not request.user.has_perm(rule.permission):
        raise PermissionDenied(ERR_NO_PERMISSION.format(action=rule.label))
    form = CampaignTransitionForm(request.POST or None, rule=rule, initial={"version": campaign.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_transition(
                campaign=campaign,
                action=action,
                actor=request.user,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("campaigns:detail", campaign.pk)
        except ServiceError as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"已{rule.label}：{campaign.name}")
            return redirect("campaigns:detail", campaign.pk)
    context = {"form": form, "campaign": campaign, "rule": rule, "target_label": CAMPAIGN_WORKFLOW.target_label(campaign, rule)}
    return render(request, "campaigns/transition.html", context, status=400 if form.errors else 200)
