"""Plan pages: list, drafting, editing with measures, review, 四必审 and the Word document."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengdun.audit.services import record_download
from zhengdun.campaigns.selectors import campaign_list
from zhengdun.core.errors import ServiceError
from zhengdun.core.http import AuthedRequest, paginate, querystring_without_page, submit_form
from zhengdun.core.params import parse_id, parse_int
from zhengdun.core.scoping import get_object_or_404
from zhengdun.plans import drafting, four_reviews, measures, selectors, services
from zhengdun.plans.diff import as_sections, diff_contents
from zhengdun.plans.documents import docx_filename, plan_docx
from zhengdun.plans.forms import FourReviewForm, MeasureForm, PlanCreateForm, PlanForm, ReviewForm
from zhengdun.plans.models import SECTIONS, Plan, PlanReview, PlanStatus, PlanVersion, ReviewDecision, ReviewLevel, Task

# Pages of the other plan modules (tasks, notice, document) linked from the plan
# page when they are installed; a missing one is left out rather than breaking it.
OTHER_PAGES = (
    ("rectification:task_board", "整改任务推进", True),
    ("notices:notice", "公示与群众意见", True),
    ("plans:docx", "下载 Word 文档", False),
)


def _other_pages(plan: Plan) -> list[dict[str, str]]:
    links = []
    for name, label, needs_approval in OTHER_PAGES:
        if needs_approval and plan.approved_version_id is None:
            continue
        try:
            links.append({"url": reverse(name, args=[plan.pk]), "label": label})
        except NoReverseMatch:
            continue
    return links


def _need(request: HttpRequest, permission: str, message: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(message)


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    campaign_id = parse_id(request.GET.get("campaign"))
    qs = selectors.plan_list(
        request.user,
        status=status if status in PlanStatus.values else "",
        campaign_id=campaign_id,
        q=request.GET.get("q", "").strip(),
    )
    context = {
        "page": paginate(request, qs),
        "qs": querystring_without_page(request),
        "statuses": PlanStatus.choices,
        "campaigns": campaign_list(request.user),
        "campaign_id": campaign_id,
    }
    return render(request, "plans/plan_list.html", context)


@login_required
def for_case(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The case page's "整顿方案" entry: the plan if there is one, else the drafting page."""
    case = selectors.case_get(request.user, case_id)
    plan_id = Plan.objects.filter(case=case).values_list("pk", flat=True).first()
    return redirect("plans:detail", plan_id) if plan_id else redirect("plans:create", case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get(request.user, case_id)
    plan_id = Plan.objects.filter(case=case).values_list("pk", flat=True).first()
    if plan_id:
        messages.info(request, services.ERR_PLAN_EXISTS)
        return redirect("plans:detail", plan_id)
    _need(request, "plans.add_plan", services.ERR_NO_ADD)
    findings = drafting.findings_of(case)
    form = PlanCreateForm(request.POST or None, initial={"start": "findings" if findings else "blank"})
    plan = submit_form(
        request,
        form,
        lambda data: services.plan_create(case=case, actor=request.user, from_findings=data["start"] == "findings"),
        success="已起草整顿方案，请补充完善各部分内容和整改任务",
    )
    if plan is not None:
        return redirect("plans:edit", plan.pk)
    context = {"case": case, "findings": findings, "form": form}
    return render(request, "plans/plan_create.html", context, status=400 if form.errors else 200)


def _diff_context(request: AuthedRequest, plan: Plan, tasks: list[Task], versions: list[Any]) -> dict[str, Any]:
    """What changed since the version this user last saw (or ?since=N)."""
    since = parse_int(request.GET.get("since"))
    seen = selectors.seen_version_number(plan, request.user)
    base_number = since or seen
    base = next((v for v in versions if v.number == base_number), None)
    latest = versions[-1] if versions else None
    reviewer = request.user.has_perm("plans.review_plan") or request.user.has_perm("cases.approve_plan")
    if reviewer and latest is not None and since is None:
        services.plan_mark_seen(plan=plan, user=request.user, version_number=latest.number)
    diffs = diff_contents(base.content, selectors.plan_content(plan, tasks)) if base else []
    return {"diff_base": base, "diffs": diffs, "seen_number": seen}


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_with_details(request.user, pk)
    tasks, versions, reviews = list(plan.tasks.all()), list(plan.versions.all()), list(plan.reviews.all())
    user = request.user
    can_change = user.has_perm("plans.change_plan")
    offers = selectors.plan_offers(user, plan)
    context = {
        "plan": plan,
        "case": plan.case,
        "tasks": tasks,
        "versions": versions,
        "reviews": reviews,
        "criteria": list(plan.criteria.all()),
        "sections": [(heading, getattr(plan, name)) for name, heading in SECTIONS],
        "can_edit": can_change and plan.status in services.EDITABLE,
        "can_submit": any(o.action == "submit" and o.allowed for o in offers),
        "review_links": selectors.review_links(offers),
        "blocked": [o for o in offers if not o.allowed],
        "checklist": selectors.four_review_checklist(user, plan.case),
        "four_form": FourReviewForm() if user.has_perm("plans.check_four_reviews") else None,
        "year": timezone.localdate().year,
        "from_plan": True,
        "extra_links": _other_pages(plan),
        **_diff_context(request, plan, tasks, versions),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    _need(request, "plans.change_plan", services.ERR_NO_CHANGE)
    if plan.status not in services.EDITABLE:
        messages.error(request, services.ERR_NOT_EDITABLE.format(status=plan.get_status_display()))
        return redirect("plans:detail", plan.pk)
    form = PlanForm(request.POST or None, plan=plan, initial=PlanForm.initial_for(plan))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sections = {name: data[name] for name, _ in SECTIONS}
        try:
            services.plan_update(
                plan=plan,
                actor=request.user,
                expected_version=data["version"],
                title=data["title"],
                criteria_ids=[c.pk for c in data["criteria"]],
                **sections,
            )
        except ServiceError as exc:
            # The form keeps what the user typed; nothing was written.
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, "方案已保存")
            return redirect(reverse("plans:edit", args=[plan.pk]))
    elif form.errors:
        status = 400
    context = {
        "plan": plan,
        "form": form,
        "tasks": list(selectors.plan_tasks(plan)),
        "measure_form": MeasureForm(organization=plan.case.organization, user=request.user),
        "measures_open": plan.status in measures.EDITABLE,
    }
    return render(request, "plans/plan_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: AuthedRequest, pk: int, task_id: int | None = None) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    task = None
    if task_id is not None:
        task = Task.objects.filter(plan=plan, pk=task_id).first()
        if task is None:
            raise Http404("不存在或无权访问")
    _need(request, "plans.change_plan", services.ERR_NO_CHANGE)
    initial = ({f: getattr(task, f) for f in measures.FIELDS} | {"version": task.version}) if task else {}
    form = MeasureForm(request.POST or None, organization=plan.case.organization, user=request.user, initial=initial)
    saved = submit_form(
        request,
        form,
        lambda data: measures.measure_save(
            plan=plan,
            actor=request.user,
            task_id=task_id,
            expected_version=data["version"],
            **{f: data[f] for f in measures.FIELDS},
        ),
        success="整改措施已保存",
    )
    if saved is not None:
        return redirect(reverse("plans:edit", args=[plan.pk]) + "#measures")
    context = {"plan": plan, "task": task, "form": form}
    return render(request, "plans/plan_measure.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def measure_delete(request: AuthedRequest, pk: int, task_id: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    _need(request, "plans.change_plan", services.ERR_NO_CHANGE)
    try:
        measures.measure_delete(plan=plan, actor=request.user, task_id=task_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "整改措施已删除")
    return redirect(reverse("plans:edit", args=[plan.pk]) + "#measures")


@login_required
@require_POST
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    _need(request, "plans.change_plan", services.ERR_NO_CHANGE)
    try:
        services.plan_submit(plan=plan, actor=request.user, expected_version=parse_int(request.POST.get("version")) or 0)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "方案已提交审核")
    return redirect("plans:detail", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthedRequest, pk: int, level: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    if level not in ReviewLevel.values:
        raise Http404("未知的审核层级")
    _need(request, services.REVIEW_PERMISSION[ReviewLevel(level)], services.ERR_NO_REVIEW[ReviewLevel(level)])
    form = ReviewForm(request.POST or None, initial={"version": plan.version})
    reviewed = submit_form(
        request,
        form,
        lambda data: services.plan_review(
            plan=plan,
            actor=request.user,
            level=level,
            decision=data["decision"],
            comments=data["comments"],
            expected_version=data["version"],
        ),
        success=review_message,
    )
    if reviewed is not None:
        return redirect("plans:detail", plan.pk)
    context = {"plan": plan, "form": form, "level": ReviewLevel(level)}
    return render(request, "plans/plan_review.html", context, status=400 if form.errors else 200)


def review_message(review: PlanReview) -> str:
    """What the reviewer is told: a return is never reported as a completed approval."""
    level = ReviewLevel(review.level)
    if review.decision == ReviewDecision.PASS:
        return f"{level.label}通过（第 {review.version.number} 版）"
    return f"已退回修改（{level.label}，第 {review.version.number} 版）"


@login_required
def version_detail(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    version = selectors.plan_version_get(plan, number)
    context = {"plan": plan, "version": version, "sections": as_sections(version.content)}
    return render(request, "plans/plan_version.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def four_review(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get(request.user, case_id)
    # A year a date can hold; anything else shows this year.
    year = parse_int(request.GET.get("year"), low=1, high=9999) or timezone.localdate().year
    plan_id = Plan.objects.filter(case=case).values_list("pk", flat=True).first()
    form = FourReviewForm(request.POST or None)
    if request.method == "POST":
        _need(request, "plans.check_four_reviews", four_reviews.ERR_PERMISSION)
        if form.is_valid():
            try:
                four_reviews.four_review_record(case=case, actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "已登记“四必审”")
                if plan_id and request.POST.get("next") == "plan":
                    return redirect("plans:detail", plan_id)
                return redirect(request.path + f"?year={form.cleaned_data['year']}")
    context = {
        "case": case,
        "year": year,
        "checklist": selectors.four_review_checklist(request.user, case, year),
        "form": form if request.user.has_perm("plans.check_four_reviews") else None,
        "plan_id": plan_id,
        "years": range(case.campaign.start_year, case.campaign.end_year + 1),
    }
    return render(request, "plans/plan_four_reviews.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("plans.view_plan", raise_exception=True)
@require_GET
def docx(request: AuthedRequest, plan_id: int) -> FileResponse:
    """The plan as a Word document: the working copy, or ?version=N; the download is
    audited (a plan names people and their duties)."""
    plan = selectors.plan_get(request.user, plan_id)
    version = None
    number = parse_int(request.GET.get("version"), low=1)
    if number is not None:
        version = get_object_or_404(PlanVersion.objects.filter(plan=plan), request.user, number=number)
    data = plan_docx(plan, version)
    file_name = docx_filename(plan, version)
    record_download(actor=request.user, obj=plan, file_name=file_name)
    # FileResponse writes filename*=utf-8''… (RFC 5987) for the Chinese name.
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=file_name)
