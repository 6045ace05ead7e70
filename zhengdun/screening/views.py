from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhengdun.campaigns.models import CampaignStatus
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.cases.states import CaseState
from zhengdun.core.errors import NeedsConfirmation, ServiceError
from zhengdun.core.http import PAGE_SIZE, AuthedRequest, paginate, querystring_without_page, submit_form
from zhengdun.core.scoping import restrict, scope_for
from zhengdun.organizations.models import Organization
from zhengdun.screening import selectors, services
from zhengdun.screening.forms import RecordForm, RoundOpenForm
from zhengdun.screening.models import Conclusion, RoundStatus
from zhengdun.screening.signs import GRASSROOTS_LEVELS, compute_signs
from zhengdun.screening.transitions import ROUND_WORKFLOW

ERR_NO_RECORD = "该组织尚未登记排查记录，不能提出拟定"


def _open_form(request: AuthedRequest) -> RoundOpenForm:
    user = request.user
    jurisdictions = restrict(Organization.objects.exclude(level__in=GRASSROOTS_LEVELS), user).order_by("path")
    own = user.organization_id if user.organization_id and jurisdictions.filter(pk=user.organization_id).exists() else None
    campaigns = campaign_list(user).filter(status=CampaignStatus.ACTIVE)
    # Usually one campaign is running: it is the obvious choice.
    running = list(campaigns.values_list("pk", flat=True)[:2])
    return RoundOpenForm(
        request.POST if request.method == "POST" else None,
        campaigns=campaigns,
        jurisdictions=jurisdictions,
        initial={"jurisdiction": own, "campaign": running[0] if len(running) == 1 else None},
    )


def _index(request: HttpRequest, form: RoundOpenForm, status: int = 200) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.round_list(request.user)),
        "qs": querystring_without_page(request),
        "form": form,
    }
    return render(request, "screening/list.html", context, status=status)


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    return _index(request, _open_form(request))


@login_required
@permission_required("cases.add_case", raise_exception=True)
@require_POST
def open_round(request: AuthedRequest) -> HttpResponse:
    form = _open_form(request)
    rnd = submit_form(
        request,
        form,
        lambda data: services.round_open(
            campaign=data["campaign"], jurisdiction=data["jurisdiction"], actor=request.user, note=data["note"]
        ),
        success=lambda rnd: f"已发起“{rnd.jurisdiction.name}”的排查",
    )
    if rnd is not None:
        return redirect("screening:detail", rnd.pk)
    return _index(request, form, status=400)


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(request.user, pk)
    only = request.GET.get("only", "")
    table = selectors.round_table(request.user, rnd, only=only if only in selectors.FILTERS else "")
    context = {
        "round": rnd,
        "page": Paginator(table.rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "qs": querystring_without_page(request),
        "counts": table.counts,
        "filters": selectors.FILTERS,
        "only": only,
        "is_open": rnd.status == RoundStatus.OPEN,
        "offers": ROUND_WORKFLOW.offers(rnd, request.user) if scope_for(request.user).covers_path(rnd.jurisdiction.path) else [],
    }
    return render(request, "screening/detail.html", context)


@login_required
@permission_required("cases.propose_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def record(request: AuthedRequest, pk: int, org_pk: int) -> HttpResponse:
    rnd = selectors.round_get(request.user, pk)
    org = selectors.round_org_get(request.user, rnd, org_pk)
    existing = selectors.record_of(rnd, org)
    form = RecordForm(request.POST or None, groups=selectors.criteria_by_category(rnd), initial=RecordForm.initial_for(existing))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_save(
                round=rnd,
                organization=org,
                method=data["method"],
                conclusion=data["conclusion"],
                note=data["note"],
                findings=form.findings(),
                screened_on=data["screened_on"],
                actor=request.user,
                expected_version=data["version"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, f"已保存“{org.name}”的排查记录")
            return redirect("screening:detail", rnd.pk)
    elif form.errors:
        status = 400
    case = selectors.case_of(rnd, org)
    live = case is not None and case.state != CaseState.SCREENED
    context = {
        "round": rnd,
        "org": org,
        "record": existing,
        "case": case,
        "form": form,
        "signs": compute_signs(rnd.campaign, org).get(org.pk, []),
        "is_open": rnd.status == RoundStatus.OPEN,
        "locked": live and case is not None and existing is not None and case.screening_record_id == existing.pk,
        "can_propose": existing is not None and existing.conclusion == Conclusion.WEAK and not live,
    }
    return render(request, "screening/record.html", context, status=status)


@login_required
@permission_required("cases.propose_case", raise_exception=True)
@require_POST
def propose(request: AuthedRequest, pk: int, org_pk: int) -> HttpResponse:
    rnd = selectors.round_get(request.user, pk)
    org = selectors.round_org_get(request.user, rnd, org_pk)
    existing = selectors.record_of(rnd, org)
    if existing is None:
        messages.error(request, ERR_NO_RECORD)
        return redirect("screening:detail", rnd.pk)
    try:
        services.record_propose(record=existing, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已将“{org.name}”提出拟定，等待上级认定")
    return redirect("screening:detail", rnd.pk)


@login_required
@permission_required("cases.add_case", raise_exception=True)
@require_POST
def close(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(request.user, pk)
    try:
        services.round_close(round=rnd, actor=request.user, confirm=request.POST.get("confirm") == "1")
    except NeedsConfirmation as exc:
        # Organizations are still unscreened: say how many and let the user confirm.
        return render(request, "screening/close_confirm.html", {"round": rnd, "message": exc.message})
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "本轮排查已结束")
    return redirect("screening:detail", rnd.pk)
