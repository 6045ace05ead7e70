"""The public page of a plan, reached without signing in by link or QR code."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from zhengdun.core.http import submit_form
from zhengdun.core.middleware import client_ip
from zhengdun.plans import public
from zhengdun.plans.plan_text import plan_text
from zhengdun.plans.public_forms import CommentForm
from zhengdun.plans.public_selectors import notice_of, published_plan, shown_comments
from zhengdun.plans.qr import public_url, qr_svg

THANKS = "意见已提交，感谢您的参与。答复后经审核可能在本页公开。"


@require_http_methods(["GET", "POST"])
def plan_page(request: HttpRequest, token: str) -> HttpResponse:
    plan = published_plan(token)
    notice = notice_of(plan, timezone.localdate())
    form = CommentForm(request.POST or None)
    comment = submit_form(
        request,
        form,
        lambda data: public.comment_submit(
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
        "text": plan_text(plan.approved_version.content),
        "plan": plan,
        "org": plan.case.organization,
        "notice": notice,
        "form": form,
        "comments": shown_comments(plan),
    }
    return render(request, "plans/public_plan.html", context)


@require_GET
def qr_code(request: HttpRequest, token: str) -> HttpResponse:
    plan = published_plan(token)
    return HttpResponse(qr_svg(public_url(plan, request)), content_type="image/svg+xml")
