from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from zhengdun.audit.selectors import events_for_object
from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases import selectors, services
from zhengdun.cases.forms import CaseLedgerForm, OpenCaseForm, TransitionForm
from zhengdun.cases.models import Case
from zhengdun.cases.selectors import case_events, case_list
from zhengdun.cases.states import CaseState
from zhengdun.cases.transitions import BY_ACTION, CASE_WORKFLOW
from zhengdun.core.errors import ConflictError, ServiceError
from zhengdun.core.http import AuthedRequest, paginate, querystring_without_page, refuse, submit_form
from zhengdun.core.params import parse_id
from zhengdun.core.scoping import get_object_or_404


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    campaign_id = parse_id(request.GET.get("campaign"))
    qs = case_list(request.user, campaign_id=campaign_id, state=request.GET.get("state", ""), q=request.GET.get("q", "").strip())
    context = {
        "page": paginate(request, qs),
        "qs": querystring_without_page(request),
        "campaigns": campaign_list(request.user),
        "states": CaseState.choices,
        "campaign_id": campaign_id,
    }
    return render(request, "cases/list.html", context)


@login_required
@permission_required("cases.add_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def open_case(request: AuthedRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), request.user, pk=campaign_pk)
    form = OpenCaseForm(
        request.POST or None, organizations=selectors.open_candidates(request.user, campaign), scope=campaign.scope
    )
    case = submit_form(
        request,
        form,
        lambda data: services.case_open(
            campaign=campaign, organization=data["organization"], actor=request.user, is_key=data["is_key"], note=data["note"]
        ),
        success=lambda case: f"已将“{case.organization.name}”列入排查",
    )
    if case is not None:
        return redirect("cases:detail", case.pk)
    return render(request, "cases/open.html", {"form": form, "campaign": campaign})


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("organization", "organization__parent", "campaign"), request.user, pk=pk)
    offers = CASE_WORKFLOW.offers(case, request.user)
    ledger_form = CaseLedgerForm(
        initial={"version": case.version, "is_key": case.is_key, "main_problems": case.main_problems, "measures": case.measures},
        key_editable=services.may_change_key(case=case, actor=request.user),
    )
    context = {
        "case": case,
        "actions": [o for o in offers if o.allowed],
        "blocked": [o for o in offers if not o.allowed],
        "timeline": case_events(request.user, case),
        "ledger_form": ledger_form,
        "events": events_for_object(request.user, case)[:20],
    }
    return render(request, "cases/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("organization", "campaign"), request.user, pk=pk)
    rule = BY_ACTION.get(action)
    if rule is None:
        raise Http404("未知的操作")
    if not request.user.has_perm(rule.permission):
        raise PermissionDenied(services.ERR_NO_PERMISSION.format(action=rule.label))
    form = TransitionForm(request.POST or None, rule=rule, initial={"version": case.version, "filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        supplied = {k: data[k] for k in ("filed_on", "satisfaction", "is_key") if data.get(k) is not None}
        try:
            services.case_transition(
                case=case, action=action, actor=request.user, note=data["note"], expected_version=data["version"], **supplied
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", case.pk)
        except ServiceError as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"已{rule.label}：{case.organization.name}")
            back = request.POST.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)
            return redirect("cases:detail", case.pk)
    return render(
        request,
        "cases/transition.html",
        {"form": form, "case": case, "rule": rule, "target_label": CASE_WORKFLOW.target_label(case, rule)},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("cases.propose_case", raise_exception=True)
@require_http_methods(["POST"])
def edit_ledger(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("organization"), request.user, pk=pk)
    form = CaseLedgerForm(
        request.POST, initial={"is_key": case.is_key}, key_editable=services.may_change_key(case=case, actor=request.user)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                case=case,
                actor=request.user,
                expected_version=data["version"],
                main_problems=data["main_problems"],
                measures=data["measures"],
                is_key=data["is_key"],
            )
            messages.success(request, "已保存")
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "提交的内容不完整，请刷新后重试")
    return redirect("cases:detail", case.pk)
