"""Writes of the public notice: publishing a plan, the public's comments, and
the staff's answers (through the comment workflow, notices/transitions.py)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, snapshot
from zhengdun.core import context
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.public.limits import Limit, TooManyRequests, check_limits
from zhengdun.core.public.senders import sender_hash
from zhengdun.core.public.text import ERR_CONTROL_CHARS, clean_text, has_control_chars
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.core.workflow import ERR_NO_PERMISSION
from zhengdun.notices.models import CommentSender, PlanNotice, PublicComment
from zhengdun.notices.selectors import period_of
from zhengdun.notices.transitions import ANSWER_MAX, ANSWER_PERM, COMMENT_WORKFLOW, ERR_ANSWER_EMPTY, ERR_ANSWER_LONG
from zhengdun.plans.models import Plan

__all__ = ["ANSWER_MAX", "ANSWER_PERM", "ERR_ANSWER_EMPTY", "ERR_ANSWER_LONG", "ERR_CONTROL_CHARS"]

PUBLISH_PERM = "notices.publish_plan"
# The hash of a comment's sender never equals the hash of the same address on another kind of public page.
SENDER_PURPOSE = "public-comment"

BODY_MIN, BODY_MAX = 5, 500
AUTHOR_MAX, CONTACT_MAX = 20, 50
# Per sender and plan. Villagers at one meeting may share the village's
# address, so the short window is a burst limit, not a daily quota.
BURST_LIMIT, BURST_WINDOW = 3, datetime.timedelta(minutes=10)
DAILY_LIMIT, DAILY_WINDOW = 20, datetime.timedelta(days=1)

ERR_NO_PUBLISH = "您没有公示整顿方案的权限"
ERR_NO_ANSWER = ERR_NO_PERMISSION.format(action=COMMENT_WORKFLOW.rule("answer").label)
ERR_NOT_APPROVED = "方案尚未批准，不能公示"
ERR_START = "请填写有效的公示开始日期"
ERR_END = "请填写有效的公示结束日期"
ERR_END_BEFORE_START = "公示结束日期不能早于开始日期"
ERR_TOO_SHORT = "公示期不得少于 {days} 天（本次整顿工作的规定）"
ERR_NOT_PUBLISHED = "该方案未在公示"
ERR_NOTICE_NOT_STARTED = "公示尚未开始，{start} 起接收意见"
ERR_NOTICE_OVER = "公示期已结束，不再接收意见"
ERR_BODY_SHORT = f"请填写意见建议（至少 {BODY_MIN} 个字）"
ERR_BODY_LONG = f"意见建议不能超过 {BODY_MAX} 个字"
ERR_AUTHOR_LONG = f"称呼不能超过 {AUTHOR_MAX} 个字"
ERR_CONTACT_LONG = f"联系方式不能超过 {CONTACT_MAX} 个字"
ERR_TOO_FAST = "提交过于频繁，请 10 分钟后再试"
ERR_TOO_MANY = f"您今天对该方案提交的意见已达 {DAILY_LIMIT} 条，请明天再试"

LIMITS = (Limit(BURST_LIMIT, BURST_WINDOW, ERR_TOO_FAST), Limit(DAILY_LIMIT, DAILY_WINDOW, ERR_TOO_MANY))
NOTICE_FIELDS = ["starts_on", "ends_on", "published_at"]


# A sender reached the comment limits of a plan (429).
TooManyComments = TooManyRequests


def _date(value: datetime.date | str, message: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError(message) from None


def _can_publish(plan: Plan, actor: Actor) -> None:
    ensure_org_in_scope(actor, plan.case.organization)
    if not actor.has_perm(PUBLISH_PERM):
        raise NotPermitted(ERR_NO_PUBLISH)


def plan_publish(
    *, plan: Plan, actor: Actor, starts_on: datetime.date | str, ends_on: datetime.date | str | None = None
) -> PlanNotice:
    """Publish the approved version for comment from `starts_on` to `ends_on`
    (by default the campaign's notice days). Publishing again moves the dates
    and keeps the address."""
    _can_publish(plan, actor)
    start = _date(starts_on, ERR_START)
    days = plan.case.campaign.plan_notice_days
    end = _date(ends_on, ERR_END) if ends_on not in (None, "") else start + datetime.timedelta(days=days - 1)
    if end < start:
        raise ServiceError(ERR_END_BEFORE_START)
    if (end - start).days + 1 < days:
        raise ServiceError(ERR_TOO_SHORT.format(days=days))
    with transaction.atomic():
        # The plan's row lock orders two publishers of the same plan.
        current = Plan.objects.select_for_update(of=("self",)).select_related("approved_version").get(pk=plan.pk)
        if current.approved_version is None:
            raise ServiceError(ERR_NOT_APPROVED)
        notice = PlanNotice.objects.filter(plan=current).first()
        before = snapshot(notice, NOTICE_FIELDS) if notice else None
        if notice is None:
            notice = PlanNotice(plan=current)
        notice.starts_on, notice.ends_on = start, end
        notice.published_at = notice.published_at or timezone.now()
        notice.save()
        note = f"公示方案（第 {current.approved_version.number} 版），{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
        action = Action.CREATE if before is None else Action.UPDATE
        record(action, notice, actor=actor, before=before, after=snapshot(notice, NOTICE_FIELDS), note=note)
    return notice


def plan_unpublish(*, plan: Plan, actor: Actor) -> PlanNotice:
    """Take the public page down; the dates stay recorded and in the trail."""
    _can_publish(plan, actor)
    with transaction.atomic():
        notice = PlanNotice.objects.select_for_update().filter(plan_id=plan.pk, published_at__isnull=False).first()
        if notice is None:
            raise ServiceError(ERR_NOT_PUBLISHED)
        before = snapshot(notice, NOTICE_FIELDS)
        notice.published_at = None
        notice.save(update_fields=["published_at", "updated_at"])
        record(Action.UPDATE, notice, actor=actor, before=before, after=snapshot(notice, NOTICE_FIELDS), note="撤回公示")
    return notice


def _check_comment(body: str, author_name: str, contact: str) -> None:
    if has_control_chars(body, author_name, contact):
        raise ServiceError(ERR_CONTROL_CHARS)
    if len(body) < BODY_MIN:
        raise ServiceError(ERR_BODY_SHORT)
    if len(body) > BODY_MAX:
        raise ServiceError(ERR_BODY_LONG)
    if len(author_name) > AUTHOR_MAX:
        raise ServiceError(ERR_AUTHOR_LONG)
    if len(contact) > CONTACT_MAX:
        raise ServiceError(ERR_CONTACT_LONG)


def check_open_for_comments(notice: PlanNotice | None, today: datetime.date) -> None:
    if notice is None or notice.published_at is None:
        raise ServiceError(ERR_NOT_PUBLISHED)
    period = period_of(notice, today)
    if period.upcoming:
        raise ServiceError(ERR_NOTICE_NOT_STARTED.format(start=f"{notice.starts_on:%Y-%m-%d}"))
    if period.over:
        raise ServiceError(ERR_NOTICE_OVER)


def comment_submit(*, plan: Plan, body: str, author_name: str = "", contact: str = "", sender_address: str) -> PublicComment:
    """A comment from the public, stored as the plain text it was typed as."""
    body, author_name, contact = clean_text(body), clean_text(author_name), clean_text(contact)
    _check_comment(body, author_name, contact)
    digest = sender_hash(sender_address, purpose=SENDER_PURPOSE)
    with transaction.atomic():
        # The notice's row lock makes the count and the insert one step, so two
        # requests at once cannot both slip under the limit.
        notice = PlanNotice.objects.select_for_update().filter(plan_id=plan.pk).first()
        check_open_for_comments(notice, timezone.localdate())
        check_limits(PublicComment.objects.filter(plan_id=plan.pk, sender__sender_hash=digest), LIMITS)
        comment = PublicComment.objects.create(plan_id=plan.pk, body=body, author_name=author_name)
        CommentSender.objects.create(comment=comment, contact=contact, sender_hash=digest)
        # The trail of a public comment keeps neither the contact nor the
        # sender's address: the hash exists so that no one has to.
        ctx = context.current()
        with context.acting_as(user=None, request_id=ctx.request_id, client_ip=""):
            record(Action.CREATE, comment, after=snapshot(comment, ["plan", "body", "author_name", "status"]), note="群众意见")
    return comment


def comment_transition(
    *,
    comment: PublicComment,
    action: str,
    actor: Actor,
    note: str = "",
    expected_version: int | None = None,
    answer: str | None = None,
) -> PublicComment:
    """Move a comment one step along its table (notices/transitions.py): answer,
    show under the plan, take off the page, or hide. `expected_version` is the
    version the actor saw; a comment someone else handled since is refused."""
    return COMMENT_WORKFLOW.run(
        comment,
        action=action,
        actor=actor,
        scope_path=comment.plan.case.organization.path,
        note=note,
        expected_version=expected_version,
        supplied={} if answer is None else {"answer": answer},
    )


def comment_answer(
    *, comment: PublicComment, actor: Actor, answer: str, show_publicly: bool, expected_version: int | None = None
) -> PublicComment:
    """Answer a comment and, with `show_publicly`, show comment and answer under the plan: two steps, all or nothing."""
    with transaction.atomic():
        comment = comment_transition(
            comment=comment, action="answer", actor=actor, expected_version=expected_version, answer=answer
        )
        if show_publicly:
            comment = comment_transition(comment=comment, action="show", actor=actor)
    return comment


def comment_hide(*, comment: PublicComment, actor: Actor, expected_version: int | None = None) -> PublicComment:
    """Keep a comment (abuse, personal data) off the public page; it stays on file."""
    return comment_transition(comment=comment, action="hide", actor=actor, expected_version=expected_version)
