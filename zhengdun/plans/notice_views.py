"""Staff side of the public notice: publish, the comment inbox, answers; and
the plan as a Word document."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhengdun.core.errors import ServiceError
from zhengdun.core.http import paginate, querystring_without_page
from zhengdun.core.scoping import get_object_or_404
from zhengdun.plans import public
from zhengdun.plans.documents import docx_filename, plan_docx
from zhengdun.plans.models import CommentStatus, PlanVersion, PublicComment
from zhengdun.plans.public_forms import AnswerForm, PublishForm
from zhengdun.plans.public_selectors import comment_list, notice_of, plan_comments
from zhengdun.plans.qr import public_url
from zhengdun.plans.selectors import plan_get

VIEW_PERM = "plans.view_plan"


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def notice(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    days = plan.case.campaign.plan_notice_days
    context = {
        "plan": plan,
        "notice": notice_of(plan, timezone.localdate()),
        "notice_days": days,
        "public_url": public_url(plan, request),
        "publish_form": PublishForm(
            initial={"starts_on": plan.notice_starts_on or timezone.localdate(), "ends_on": plan.notice_ends_on}
        ),
        "page": paginate(request, plan_comments(plan)),
        "qs": querystring_without_page(request),
    }
    return render(request, "plans/public_notice.html", context)


def _back(plan_id: int) -> HttpResponse:
    return redirect("plans:notice", plan_id)


@login_required
@permission_required(public.PUBLISH_PERM, raise_exception=True)
@require_POST
def publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, public.ERR_START)
        return _back(plan.pk)
    try:
        plan = public.plan_publish(plan=plan, actor=request.user, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已公示，公示期 {plan.notice_starts_on:%Y-%m-%d} 至 {plan.notice_ends_on:%Y-%m-%d}")
    return _back(plan.pk)


@login_required
@permission_required(public.PUBLISH_PERM, raise_exception=True)
@require_POST
def unpublish(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    try:
        public.plan_unpublish(plan=plan, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回公示，公示链接不再可以访问")
    return _back(plan.pk)


def _comment(request: HttpRequest, comment_id: int) -> PublicComment:
    return get_object_or_404(PublicComment.objects.select_related("plan__case__organization"), request.user, pk=comment_id)


@login_required
@permission_required(public.ANSWER_PERM, raise_exception=True)
@require_POST
def answer(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    form = AnswerForm(request.POST)
    form.is_valid()  # both fields are optional; the service judges the answer
    try:
        public.comment_answer(
            comment=comment,
            actor=request.user,
            answer=form.cleaned_data.get("answer", ""),
            show_publicly=form.cleaned_data.get("show_publicly", False),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已答复")
    return redirect(f"{reverse('plans:notice', args=[comment.plan_id])}#comment-{comment.pk}")


@login_required
@permission_required(public.ANSWER_PERM, raise_exception=True)
@require_POST
def hide(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    try:
        public.comment_hide(comment=comment, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已设为不予公开")
    return redirect(f"{reverse('plans:notice', args=[comment.plan_id])}#comment-{comment.pk}")


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def comments(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    context = {
        "page": paginate(request, comment_list(request.user, status=status)),
        "qs": querystring_without_page(request),
        "statuses": CommentStatus.choices,
        "status": status,
    }
    return render(request, "plans/public_comments.html", context)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def docx(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as a Word document: the working copy, or ?version=N.

    Not written to the audit trail as an export: a plan carries names and
    duties, but no phone or identity numbers."""
    plan = plan_get(request.user, plan_id)
    version = None
    number = request.GET.get("version", "")
    if number.isdigit():
        version = get_object_or_404(PlanVersion.objects.filter(plan=plan), request.user, number=int(number))
    data = plan_docx(plan, version)
    # FileResponse writes filename*=utf-8''… (RFC 5987) for the Chinese name.
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=docx_filename(plan, version))
