"""Ledger pages: choose campaign and subtree, preview, download; upload -> preview -> confirm."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases.selectors import default_campaign
from zhengdun.core.errors import ServiceError
from zhengdun.core.http import PAGE_SIZE, AuthedRequest, querystring_without_page
from zhengdun.core.params import parse_id
from zhengdun.core.scoping import get_object_or_404
from zhengdun.core.xlsx_reading import check_size
from zhengdun.ledger import messages as msg
from zhengdun.ledger import services, store
from zhengdun.ledger.forms import UnitForm, UploadForm
from zhengdun.ledger.plan import UploadPlan
from zhengdun.ledger.selectors import UNIT_LEVELS, Listing, default_unit, ledger_page, unit_choices
from zhengdun.organizations.models import Organization


@dataclass
class Selection:
    campaigns: list[Campaign]
    campaign: Campaign | None
    units: QuerySet[Organization]
    unit: Organization | None
    listing: str

    def unit_form(self) -> UnitForm:
        # The chosen unit stays offered even when it is not a 填表单位 level (a village chosen by link).
        units = self.units | Organization.objects.filter(pk=self.unit.pk) if self.unit is not None else self.units
        return UnitForm(initial={"org": self.unit}, units=units, levels=UNIT_LEVELS)


def _selection(request: AuthedRequest) -> Selection:
    """Campaign, subtree and listing from the query string; out of scope is 404."""
    user = request.user
    campaigns = list(campaign_list(user))
    campaign_id = parse_id(request.GET.get("campaign"))
    campaign = None
    if campaign_id is not None:
        campaign = get_object_or_404(Campaign.objects.select_related("scope"), user, pk=campaign_id)
    elif campaigns:
        campaign = default_campaign(user)
    units = unit_choices(user, campaign) if campaign else Organization.objects.none()
    org_id = parse_id(request.GET.get("org"))
    unit = get_object_or_404(Organization.objects.all(), user, pk=org_id) if org_id is not None else None
    if unit is None and campaign is not None:
        unit = default_unit(user, campaign, units)
    listing = request.GET.get("listing", Listing.CURRENT)
    if listing not in Listing.values:
        listing = Listing.CURRENT
    return Selection(campaigns=campaigns, campaign=campaign, units=units, unit=unit, listing=listing)


@login_required
@permission_required(services.VIEW_PERM, raise_exception=True)
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    chosen = _selection(request)
    ledger, page, error = None, None, ""
    if chosen.campaign is not None and chosen.unit is not None:
        try:
            ledger, page = ledger_page(
                request.user,
                chosen.campaign,
                under=chosen.unit,
                listing=chosen.listing,
                number=request.GET.get("page"),
                per_page=PAGE_SIZE,
            )
        except ServiceError as exc:
            error = exc.message
    context = {
        "chosen": chosen,
        "unit_form": chosen.unit_form(),
        "ledger": ledger,
        "page": page,
        "qs": querystring_without_page(request),
        "error": error,
        "listings": Listing.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "ledger/index.html", context)


@login_required
@permission_required(services.VIEW_PERM, raise_exception=True)
@require_GET
def download(request: AuthedRequest) -> HttpResponseBase:
    chosen = _selection(request)
    if chosen.campaign is None or chosen.unit is None:
        return redirect("ledger:index")
    try:
        # A large ledger (more than EXPORT_JOB_ROWS rows) is written by a background job:
        # its page shows the progress and, when done, the download.
        if rows := services.export_is_large(
            actor=request.user, campaign=chosen.campaign, under=chosen.unit, listing=chosen.listing
        ):
            job = services.ledger_export_job(
                actor=request.user, campaign=chosen.campaign, under=chosen.unit, listing=chosen.listing, rows=rows
            )
            messages.info(request, msg.JOB_STARTED.format(rows=rows))
            return redirect("jobs:detail", pk=job.pk)
        export = services.ledger_export(actor=request.user, campaign=chosen.campaign, under=chosen.unit, listing=chosen.listing)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('ledger:index')}?{request.GET.urlencode()}")
    # FileResponse writes filename*=utf-8''… (RFC 5987) for the Chinese name.
    return FileResponse(io.BytesIO(export.data), as_attachment=True, filename=export.file_name)


def _preview(request: HttpRequest, plan: UploadPlan, *, file_name: str, token: str = "") -> HttpResponse:
    context = {
        "plan": plan,
        "campaign": plan.campaign,
        "file_name": file_name,
        "token": token,
        "nothing_to_do": msg.NOTHING_TO_DO,
    }
    return render(request, "ledger/upload_preview.html", context)


@login_required
@permission_required(services.UPLOAD_PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload(request: AuthedRequest) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), request.user, pk=parse_id(request.GET.get("campaign")))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            check_size(uploaded.size)
            data = uploaded.read()
            plan = services.ledger_preview(data=data, campaign=campaign, actor=request.user)
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            token = ""
            if plan.ok and plan.changed_rows:
                token = store.save(
                    request.user, data=data, file_name=uploaded.name, campaign_id=campaign.pk, seen_versions=plan.seen_versions()
                )
            return _preview(request, plan, file_name=uploaded.name, token=token)
    return render(request, "ledger/upload.html", {"form": form, "campaign": campaign})


@login_required
@permission_required(services.UPLOAD_PERM, raise_exception=True)
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    stored = store.load(request.user, request.POST.get("token", ""))
    if stored is None:
        messages.error(request, msg.ERR_EXPIRED)
        return redirect("ledger:index")
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), request.user, pk=stored.campaign_id)
    back = f"{reverse('ledger:index')}?campaign={campaign.pk}"
    try:
        plan = services.ledger_upload(
            data=stored.data,
            file_name=stored.file_name,
            campaign=campaign,
            actor=request.user,
            seen_versions=stored.seen_versions,
        )
    except services.UploadRejected as exc:
        return _preview(request, exc.plan, file_name=stored.file_name)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    finally:
        store.discard(request.user, stored.token)
    done = msg.DONE if plan.changed_rows else msg.NOTHING_TO_DO + "：" + msg.SUMMARY
    messages.success(request, done.format(changed=plan.changed, unchanged=plan.unchanged))
    return redirect(back)
