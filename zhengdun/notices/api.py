"""The public notice of plans: the public page and comments without sign-in
(auth=None, same 404 rules and messages as /p/<token>/), and the staff side:
publishing, the comment inbox, answers and the other steps of a comment."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhengdun.core.api import WRITE_ERRORS, BlockedOfferOut, ErrorOut, OfferOut, Page, caller, offer_out
from zhengdun.core.masking import phone_for
from zhengdun.core.middleware import client_ip
from zhengdun.notices import services
from zhengdun.notices.models import CommentStatus, PlanNotice, PublicComment
from zhengdun.notices.selectors import (
    comment_get,
    notice_for,
    period_of,
    plan_comments,
    public_url,
    published_notice,
    shown_comments,
)
from zhengdun.notices.transitions import COMMENT_WORKFLOW
from zhengdun.plans.models import Plan
from zhengdun.plans.plan_text import plan_text
from zhengdun.plans.selectors import plan_get

router = Router(tags=["方案公示与群众意见"])
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
    body: str = Field(description=f"{services.BODY_MIN}—{services.BODY_MAX} 个字，纯文本")
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
    version: int
    transitions: list[OfferOut] = Field(description="调用者在当前状态下可执行的操作")
    blocked_transitions: list[BlockedOfferOut] = Field(description="调用者有权限但当前尚不能执行的操作及原因")

    @staticmethod
    def resolve_status_label(obj: PublicComment) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_transitions(obj: PublicComment, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in COMMENT_WORKFLOW.offers(obj, context["request"].auth) if o.allowed]

    @staticmethod
    def resolve_blocked_transitions(obj: PublicComment, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [offer_out(o) for o in COMMENT_WORKFLOW.offers(obj, context["request"].auth) if not o.allowed]

    @staticmethod
    def resolve_answered_by(obj: PublicComment) -> str:
        return str(obj.answered_by) if obj.answered_by else ""

    @staticmethod
    def resolve_contact(obj: PublicComment, context: dict[str, Any]) -> str:
        sender = getattr(obj, "sender", None)
        return phone_for(context["request"].auth, sender.contact if sender else "")


class AnswerIn(Schema):
    answer: str
    show_publicly: bool = False
    version: int | None = Field(None, description="调用者看到的版本号；他人已先处理时返回 409")


class CommentTransitionIn(Schema):
    action: str = Field(
        description="show（在公示页显示）、withdraw（不在公示页显示）、hide（不予公开）、answer（答复，须填 answer）"
    )
    version: int = Field(description="调用者看到的版本号；他人已先处理时返回 409")
    note: str = ""
    answer: str | None = None


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


def _public_plan(notice: PlanNotice) -> dict[str, Any]:
    plan = notice.plan
    text = plan_text(plan.approved_version.content)  # type: ignore[union-attr]
    period = period_of(notice, timezone.localdate())
    return {
        "organization": plan.case.organization.name,
        "title": text.title,
        "notice_starts_on": notice.starts_on,
        "notice_ends_on": notice.ends_on,
        "accepting_comments": period.open,
        "notice_over": period.over,
        "sections": [{"heading": s.heading, "paragraphs": [p.lead + p.text for p in s.paragraphs]} for s in text.sections],
        "measures": [m.__dict__ for m in text.measures],
        "issuing_body": plan.issuing_body or plan.case.organization.name,
        "issued_on": plan.issued_on,
        "comments": shown_comments(plan),
    }


@router.get("/public/plans/{token}", auth=None, response={200: PublicPlanOut, 404: ErrorOut}, summary="公示中的方案（无需登录）")
def public_plan(request: HttpRequest, token: str) -> Any:
    return _public_plan(published_notice(token))


@router.post(
    "/public/plans/{token}/comments",
    auth=None,
    response={201: ReceiptOut, **PUBLIC_ERRORS},
    summary="提交意见建议（无需登录，限制频率）",
)
def public_comment(request: HttpRequest, token: str, payload: CommentIn) -> Any:
    comment = services.comment_submit(
        plan=published_notice(token).plan,
        body=payload.body,
        author_name=payload.author_name,
        contact=payload.contact,
        sender_address=client_ip(request),
    )
    return Status(201, {"detail": "意见已提交，感谢您的参与", "created_at": comment.created_at})


def _notice(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    notice = notice_for(plan)
    return {
        "plan_id": plan.pk,
        "published": notice is not None and notice.published_at is not None,
        "published_at": notice.published_at if notice else None,
        "notice_starts_on": notice.starts_on if notice else None,
        "notice_ends_on": notice.ends_on if notice else None,
        "approved_version": plan.approved_version.number if plan.approved_version else None,
        "public_url": public_url(notice, request) if notice else "",
    }


@router.post("/plans/{plan_id}/publish", response={200: NoticeOut, **WRITE_ERRORS}, summary="公示方案（已批准的版本）")
def plan_publish(request: HttpRequest, plan_id: int, payload: PublishIn) -> Any:
    plan = plan_get(caller(request), plan_id)
    starts_on = payload.starts_on or timezone.localdate()
    services.plan_publish(plan=plan, actor=caller(request), starts_on=starts_on, ends_on=payload.ends_on)
    return _notice(request, plan)


@router.post("/plans/{plan_id}/unpublish", response={200: NoticeOut, **WRITE_ERRORS}, summary="撤回公示")
def plan_unpublish(request: HttpRequest, plan_id: int) -> Any:
    plan = plan_get(caller(request), plan_id)
    services.plan_unpublish(plan=plan, actor=caller(request))
    return _notice(request, plan)


@router.get("/plans/{plan_id}/comments", response=list[CommentOut], summary="方案的群众意见")
@paginate(Page)
def comment_list(request: HttpRequest, plan_id: int, status: CommentStatus | None = None) -> Any:
    qs = plan_comments(plan_get(caller(request), plan_id))
    return qs.filter(status=status) if status else qs


@router.get("/comments/{comment_id}", response={200: CommentOut, 404: ErrorOut}, summary="群众意见及可执行的操作")
def comment_detail(request: HttpRequest, comment_id: int) -> Any:
    return comment_get(caller(request), comment_id)


@router.post("/comments/{comment_id}/answer", response={200: CommentOut, **WRITE_ERRORS}, summary="答复群众意见")
def comment_answer(request: HttpRequest, comment_id: int, payload: AnswerIn) -> Any:
    services.comment_answer(
        comment=comment_get(caller(request), comment_id),
        actor=caller(request),
        answer=payload.answer,
        show_publicly=payload.show_publicly,
        expected_version=payload.version,
    )
    return comment_get(caller(request), comment_id)


@router.post("/comments/{comment_id}/hide", response={200: CommentOut, **WRITE_ERRORS}, summary="意见不予公开")
def comment_hide(request: HttpRequest, comment_id: int) -> Any:
    services.comment_hide(comment=comment_get(caller(request), comment_id), actor=caller(request))
    return comment_get(caller(request), comment_id)


@router.post("/comments/{comment_id}/transitions", response={200: CommentOut, **WRITE_ERRORS}, summary="群众意见状态变更")
def comment_transition(request: HttpRequest, comment_id: int, payload: CommentTransitionIn) -> Any:
    services.comment_transition(
        comment=comment_get(caller(request), comment_id),
        action=payload.action,
        actor=caller(request),
        note=payload.note,
        expected_version=payload.version,
        answer=payload.answer,
    )
    return comment_get(caller(request), comment_id)
