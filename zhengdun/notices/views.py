"""Pages of the public notice: the staff side (publish, the comment inbox,
answers and the other steps of a comment) and the public page of a plan,
reached without signing in by link or QR code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengdun.core.errors import ServiceError
from zhengdun.core.http import AuthedRequest, paginate, querystring_without_page, submit_form
from zhengdun.core.middleware import client_ip
from zhengdun.core.public.qr import qr_svg
from zhengdun.notices import services
from zhengdun.notices.forms import AnswerForm, CommentForm, PublishForm, TransitionForm
from zhengdun.notices.models import CommentStatus, PublicComment
from zhengdun.notices.selectors import (
    comment_get,
    comment_list,
    notice_for,
    period_of,
    plan_comments,
    public_url,
    published_notice,
    shown_comments,
)
from zhengdun.notices.transitions import COMMENT_WORKFLOW
from zhengdun.plans.plan_text import plan_text
from zhengdun.plans.selectors import plan_get

VIEW_PERM = "plans.view_plan"
THANKS = "意见已提交，感谢您的参与。答复后经审核可能在本页公开。"


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def notice(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    current = notice_for(plan)
    page = paginate(request, plan_comments(plan))
    context = {
        "plan": plan,
        "notice": current,
        "period": period_of(current, timezone.localdate()),
        "notice_days": plan.case.campaign.plan_notice_days,
        "public_url": public_url(current, request) if current else "",
        "publish_form": PublishForm(
            initial={
                "starts_on": current.starts_on if current else timezone.localdate(),
                "ends_on": current.ends_on if current else None,
            }
        ),
        "page": page,
        # Exactly the steps the workflow offers this user on each comment.
        "rows": [(c, COMMENT_WORKFLOW.offers(c, request.user)) for c in page.object_list],
        "answer_max": services.ANSWER_MAX,
        "qs": querystring_without_page(request),
    }
    return render(request, "notices/notice.html", context)


def _back(plan_id: int) -> HttpResponse:
    return redirect("notices:notice", plan_id)


@login_required
@permission_required(services.PUBLISH_PERM, raise_exception=True)
@require_POST
def publish(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.ERR_START)
        return _back(plan.pk)
    try:
        published = services.plan_publish(
            plan=plan, actor=request.user, starts_on=form.cleaned_data["starts_on"], ends_on=form.cleaned_data["ends_on"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已公示，公示期 {published.starts_on:%Y-%m-%d} 至 {published.ends_on:%Y-%m-%d}")
    return _back(plan.pk)


@login_required
@permission_required(services.PUBLISH_PERM, raise_exception=True)
@require_POST
def unpublish(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    try:
        services.plan_unpublish(plan=plan, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回公示，公示链接不再可以访问")
    return _back(plan.pk)


def _to_comment(comment: PublicComment) -> HttpResponse:
    return redirect(f"{reverse('notices:notice', args=[comment.plan_id])}#comment-{comment.pk}")


@login_required
@permission_required(services.ANSWER_PERM, raise_exception=True)
@require_POST
def answer(request: AuthedRequest, comment_id: int) -> HttpResponse:
    comment = comment_get(request.user, comment_id)
    form = AnswerForm(request.POST)
    form.is_valid()  # every field is optional; the workflow judges the answer
    try:
        services.comment_answer(
            comment=comment,
            actor=request.user,
            answer=form.cleaned_data.get("answer", ""),
            show_publicly=form.cleaned_data.get("show_publicly", False),
            expected_version=form.cleaned_data.get("version"),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已答复")
    return _to_comment(comment)


@login_required
@permission_required(services.ANSWER_PERM, raise_exception=True)
@require_POST
def transition(request: AuthedRequest, comment_id: int, action: str) -> HttpResponse:
    """Any step of the comment's table that needs nothing but a click (show, take off the page, hide)."""
    comment = comment_get(request.user, comment_id)
    rule = COMMENT_WORKFLOW.by_action.get(action)
    if rule is None or rule.requires:
        raise Http404("未知的操作")
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.comment_transition(
            comment=comment, action=action, actor=request.user, expected_version=form.cleaned_data.get("version")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{rule.label}")
    return _to_comment(comment)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def comments(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    context = {
        "page": paginate(request, comment_list(request.user, status=status)),
        "qs": querystring_without_page(request),
        "statuses": CommentStatus.choices,
        "status": status,
    }
    return render(request, "notices/comments.html", context)


@require_http_methods(["GET", "POST"])
def public_plan(request: HttpRequest, token: str) -> HttpResponse:
    current = published_notice(token)
    plan = current.plan
    form = CommentForm(request.POST or None)
    comment = submit_form(
        request,
        form,
        lambda data: services.comment_submit(
            plan=plan,
            body=data["body"],
            author_name=data["author_name"],
            contact=data["contact"],
            sender_address=client_ip(request),
        ),
        success=THANKS,
    )
    if comment is not None:
        return redirect(f"{request.path}#comment-form")
    context = {
        # The approved version, never the working copy someone may be editing.
        "text": plan_text(plan.approved_version.content),  # type: ignore[union-attr]
        "plan": plan,
        "org": plan.case.organization,
        "period": period_of(current, timezone.localdate()),
        "form": form,
        "comments": shown_comments(plan),
    }
    return render(request, "notices/public_plan.html", context)


# The code holds nothing but the page's address: a proxy may keep it a while.
@cache_control(public=True, max_age=300)
@require_GET
def public_qr(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(qr_svg(public_url(published_notice(token), request)), content_type="image/svg+xml")
