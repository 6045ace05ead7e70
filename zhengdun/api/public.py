"""The public notice of plans: the public page and comments without sign-in
(auth=None, same 404 rules and messages as /p/<token>/), and the staff side:
publishing, the comment inbox, answers, the plan as a Word document."""

import datetime
import io
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhengdun.api.common import WRITE_ERRORS, ErrorOut, Page, caller
from zhengdun.core.masking import phone_for
from zhengdun.core.middleware import client_ip
from zhengdun.core.scoping import get_object_or_404
from zhengdun.plans import public
from zhengdun.plans.documents import docx_filename, plan_docx
from zhengdun.plans.models import CommentStatus, Plan, PlanVersion, PublicComment
from zhengdun.plans.plan_text import plan_text
from zhengdun.plans.public_selectors import notice_of, plan_comments, published_plan, shown_comments
from zhengdun.plans.qr import public_url
from zhengdun.plans.selectors import plan_get

router = Router(tags=["方案公示与群众意见"])

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PUBLIC_ERRORS: dict[frozenset[int], type[Schema]] = {frozenset({400, 404, 429}): ErrorOut}


class SectionOut(Schema):
    heading: str
    paragraphs: list[str]


class MeasureOut(Schema):
    number: int
    title: str
    owner_name: str
    deadline: datetime.date | None
    target: str


class ShownCommentOut(Schema):
    author_name: str
    created_at: datetime.datetime
    body: str = Field(description="纯文本，按原样显示，不作为 HTML 解析")
    answer: str
    answered_at: datetime.datetime | None


class PublicPlanOut(Schema):
    organization: str
    title: str
    notice_starts_on: datetime.date
    notice_ends_on: datetime.date
    accepting_comments: bool
    notice_over: bool
    sections: list[SectionOut]
    measures: list[MeasureOut]
    issuing_body: str
    issued_on: datetime.date | None
    comments: list[ShownCommentOut]


class CommentIn(Schema):
    body: str = Field(description=f"{public.BODY_MIN}—{public.BODY_MAX} 个字，纯文本")
    author_name: str = ""
    contact: str = Field("", description="仅工作人员可见")


class ReceiptOut(Schema):
    detail: str
    created_at: datetime.datetime


class CommentOut(Schema):
    id: int
    plan_id: int
    body: str
    author_name: str
    contact: str = Field(description="无查看个人信息权限时脱敏")
    created_at: datetime.datetime
    status: CommentStatus
    status_label: str
    answer: str
    answered_by: str
    answered_at: datetime.datetime | None
    show_publicly: bool

    @staticmethod
    def resolve_status_label(obj: PublicComment) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_answered_by(obj: PublicComment) -> str:
        return str(obj.answered_by) if obj.answered_by else ""

    @staticmethod
    def resolve_contact(obj: PublicComment, context: dict[str, Any]) -> str:
        return phone_for(context["request"].auth, obj.contact)


class AnswerIn(Schema):
    answer: str
    show_publicly: bool = False


class PublishIn(Schema):
    starts_on: datetime.date | None = Field(None, description="不填为今天")
    ends_on: datetime.date | None = Field(None, description="不填按整顿工作规定的公示天数计算")


class NoticeOut(Schema):
    plan_id: int
    published: bool
    published_at: datetime.datetime | None
    notice_starts_on: datetime.date | None
    notice_ends_on: datetime.date | None
    approved_version: int | None
    public_url: str


def _public_plan(plan: Plan) -> dict[str, Any]:
    text = plan_text(plan.approved_version.content)  # type: ignore[union-attr]
    notice = notice_of(plan, timezone.localdate())
    return {
        "organization": plan.case.organization.name,
        "title": text.title,
        "notice_starts_on": plan.notice_starts_on,
        "notice_ends_on": plan.notice_ends_on,
        "accepting_comments": notice.open,
        "notice_over": notice.over,
        "sections": [{"heading": s.heading, "paragraphs": [p.lead + p.text for p in s.paragraphs]} for s in text.sections],
        "measures": [m.__dict__ for m in text.measures],
        "issuing_body": plan.issuing_body or plan.case.organization.name,
        "issued_on": plan.issued_on,
        "comments": shown_comments(plan),
    }


@router.get("/public/plans/{token}", auth=None, response={200: PublicPlanOut, 404: ErrorOut}, summary="公示中的方案（无需登录）")
def public_plan(request: HttpRequest, token: str) -> Any:
    return _public_plan(published_plan(token))


@router.post(
    "/public/plans/{token}/comments",
    auth=None,
    response={201: ReceiptOut, **PUBLIC_ERRORS},
    summary="提交意见建议（无需登录，限制频率）",
)
def public_comment(request: HttpRequest, token: str, payload: CommentIn) -> Any:
    comment = public.comment_submit(
        plan=published_plan(token),
        body=payload.body,
        author_name=payload.author_name,
        contact=payload.contact,
        sender_address=client_ip(request),
    )
    return Status(201, {"detail": "意见已提交，感谢您的参与", "created_at": comment.created_at})


def _notice(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    return {
        "plan_id": plan.pk,
        "published": plan.published_at is not None,
        "published_at": plan.published_at,
        "notice_starts_on": plan.notice_starts_on,
        "notice_ends_on": plan.notice_ends_on,
        "approved_version": plan.approved_version.number if plan.approved_version else None,
        "public_url": public_url(plan, request),
    }


@router.post("/plans/{plan_id}/publish", response={200: NoticeOut, **WRITE_ERRORS}, summary="公示方案（已批准的版本）")
def plan_publish(request: HttpRequest, plan_id: int, payload: PublishIn) -> Any:
    plan = plan_get(caller(request), plan_id)
    starts_on = payload.starts_on or timezone.localdate()
    plan = public.plan_publish(plan=plan, actor=caller(request), starts_on=starts_on, ends_on=payload.ends_on)
    return _notice(request, plan)


@router.post("/plans/{plan_id}/unpublish", response={200: NoticeOut, **WRITE_ERRORS}, summary="撤回公示")
def plan_unpublish(request: HttpRequest, plan_id: int) -> Any:
    plan = public.plan_unpublish(plan=plan_get(caller(request), plan_id), actor=caller(request))
    return _notice(request, plan)


@router.get("/plans/{plan_id}/comments", response=list[CommentOut], summary="方案的群众意见")
@paginate(Page)
def comment_list(request: HttpRequest, plan_id: int, status: CommentStatus | None = None) -> Any:
    qs = plan_comments(plan_get(caller(request), plan_id))
    return qs.filter(status=status) if status else qs


def _comment(request: HttpRequest, comment_id: int) -> PublicComment:
    qs = PublicComment.objects.select_related("plan__case__organization", "answered_by")
    return get_object_or_404(qs, caller(request), pk=comment_id)


@router.post("/comments/{comment_id}/answer", response={200: CommentOut, **WRITE_ERRORS}, summary="答复群众意见")
def comment_answer(request: HttpRequest, comment_id: int, payload: AnswerIn) -> Any:
    public.comment_answer(
        comment=_comment(request, comment_id), actor=caller(request), answer=payload.answer, show_publicly=payload.show_publicly
    )
    return _comment(request, comment_id)


@router.post("/comments/{comment_id}/hide", response={200: CommentOut, **WRITE_ERRORS}, summary="意见不予公开")
def comment_hide(request: HttpRequest, comment_id: int) -> Any:
    public.comment_hide(comment=_comment(request, comment_id), actor=caller(request))
    return _comment(request, comment_id)


@router.get(
    "/plans/{plan_id}/docx",
    response={200: None, 404: ErrorOut},
    summary="方案 Word 文档（GB/T 9704-2012 版式）",
    openapi_extra={"responses": {200: {"description": "Word 文档", "content": {DOCX_TYPE: {}}}}},
)
def plan_docx_download(request: HttpRequest, plan_id: int, version: int | None = None) -> Any:
    plan = plan_get(caller(request), plan_id)
    chosen = None
    if version is not None:
        chosen = get_object_or_404(PlanVersion.objects.filter(plan=plan), caller(request), number=version)
    return FileResponse(io.BytesIO(plan_docx(plan, chosen)), as_attachment=True, filename=docx_filename(plan, chosen))
