"""The public notice of a plan (seed 004: plans are published for the public's
comments) and the comments themselves: publishing, commenting, answering.

Rate limiting counts rows in the database (PublicComment.sender_hash) rather
than using a cache: the count is right across worker processes and restarts
without a shared cache, and the rows are there anyway.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, snapshot
from zhengdun.core import context
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.plans.models import CommentStatus, Plan, PublicComment

PUBLISH_PERM = "plans.publish_plan"
ANSWER_PERM = "plans.answer_comment"

BODY_MIN, BODY_MAX = 5, 500
AUTHOR_MAX, CONTACT_MAX, ANSWER_MAX = 20, 50, 1000
# Per sender and plan. Villagers at one meeting may share the village's
# address, so the short window is a burst limit, not a daily quota.
BURST_LIMIT, BURST_WINDOW = 3, datetime.timedelta(minutes=10)
DAILY_LIMIT, DAILY_WINDOW = 20, datetime.timedelta(days=1)

ERR_NO_PUBLISH = "您没有公示整顿方案的权限"
ERR_NO_ANSWER = "您没有答复群众意见的权限"
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
ERR_CONTROL_CHARS = "内容含有无法识别的控制字符，请删除后重新提交"
ERR_TOO_FAST = "提交过于频繁，请 10 分钟后再试"
ERR_TOO_MANY = f"您今天对该方案提交的意见已达 {DAILY_LIMIT} 条，请明天再试"
ERR_ANSWER_EMPTY = "请填写答复内容"
ERR_ANSWER_LONG = f"答复内容不能超过 {ANSWER_MAX} 个字"

# Tabs and line breaks are text; other control characters are not (PostgreSQL refuses NUL).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TooManyComments(ServiceError):
    status = 429


def _date(value: Any, message: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError(message) from None


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("case__organization", "case__campaign").get(pk=plan.pk)


NOTICE_FIELDS = ["notice_starts_on", "notice_ends_on", "published_at"]


def plan_publish(*, plan: Plan, actor: Any, starts_on: Any, ends_on: Any = None) -> Plan:
    """Publish the approved version for comment from `starts_on` to `ends_on`
    (by default the campaign's notice days). Publishing again moves the dates."""
    ensure_org_in_scope(actor, plan.case.organization)
    if not actor.has_perm(PUBLISH_PERM):
        raise NotPermitted(ERR_NO_PUBLISH)
    start = _date(starts_on, ERR_START)
    days = plan.case.campaign.plan_notice_days
    end = _date(ends_on, ERR_END) if ends_on not in (None, "") else start + datetime.timedelta(days=days - 1)
    if end < start:
        raise ServiceError(ERR_END_BEFORE_START)
    if (end - start).days + 1 < days:
        raise ServiceError(ERR_TOO_SHORT.format(days=days))
    with transaction.atomic():
        current = _locked(plan)
        if current.approved_version_id is None:
            raise ServiceError(ERR_NOT_APPROVED)
        before = snapshot(current, NOTICE_FIELDS)
        current.notice_starts_on, current.notice_ends_on = start, end
        current.published_at = current.published_at or timezone.now()
        current.save(update_fields=[*NOTICE_FIELDS, "updated_at"])
        note = f"公示方案（第 {current.approved_version.number} 版），{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
        record(Action.UPDATE, current, actor=actor, before=before, after=snapshot(current, NOTICE_FIELDS), note=note)
    return current


def plan_unpublish(*, plan: Plan, actor: Any) -> Plan:
    """Take the public page down; the dates stay recorded and in the trail."""
    ensure_org_in_scope(actor, plan.case.organization)
    if not actor.has_perm(PUBLISH_PERM):
        raise NotPermitted(ERR_NO_PUBLISH)
    with transaction.atomic():
        current = _locked(plan)
        if current.published_at is None:
            raise ServiceError(ERR_NOT_PUBLISHED)
        before = snapshot(current, NOTICE_FIELDS)
        current.published_at = None
        current.save(update_fields=["published_at", "updated_at"])
        record(Action.UPDATE, current, actor=actor, before=before, after=snapshot(current, NOTICE_FIELDS), note="撤回公示")
    return current


def sender_hash(address: str) -> str:
    """A keyed hash of the sender's address: equal for equal addresses, useless
    to anyone without the install's secret key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"public-comment:{address}".encode(), hashlib.sha256).hexdigest()


def _clean(value: str) -> str:
    # Browsers send textarea line breaks as CRLF; one break is one character.
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _check_comment(body: str, author_name: str, contact: str) -> None:
    if CONTROL.search(body) or CONTROL.search(author_name) or CONTROL.search(contact):
        raise ServiceError(ERR_CONTROL_CHARS)
    if len(body) < BODY_MIN:
        raise ServiceError(ERR_BODY_SHORT)
    if len(body) > BODY_MAX:
        raise ServiceError(ERR_BODY_LONG)
    if len(author_name) > AUTHOR_MAX:
        raise ServiceError(ERR_AUTHOR_LONG)
    if len(contact) > CONTACT_MAX:
        raise ServiceError(ERR_CONTACT_LONG)


def check_open_for_comments(plan: Plan, today: datetime.date) -> None:
    if plan.published_at is None or plan.notice_starts_on is None or plan.notice_ends_on is None:
        raise ServiceError(ERR_NOT_PUBLISHED)
    if today < plan.notice_starts_on:
        raise ServiceError(ERR_NOTICE_NOT_STARTED.format(start=f"{plan.notice_starts_on:%Y-%m-%d}"))
    if today > plan.notice_ends_on:
        raise ServiceError(ERR_NOTICE_OVER)


def _check_rate(plan: Plan, digest: str) -> None:
    now = timezone.now()
    counts = PublicComment.objects.filter(plan=plan, sender_hash=digest, created_at__gte=now - DAILY_WINDOW).aggregate(
        day=Count("id"), burst=Count("id", filter=Q(created_at__gte=now - BURST_WINDOW))
    )
    if counts["burst"] >= BURST_LIMIT:
        raise TooManyComments(ERR_TOO_FAST)
    if counts["day"] >= DAILY_LIMIT:
        raise TooManyComments(ERR_TOO_MANY)


def comment_submit(*, plan: Plan, body: str, author_name: str = "", contact: str = "", sender_address: str) -> PublicComment:
    """A comment from the public, stored as the plain text it was typed as."""
    body, author_name, contact = _clean(body), _clean(author_name), _clean(contact)
    _check_comment(body, author_name, contact)
    digest = sender_hash(sender_address)
    with transaction.atomic():
        # The plan's row lock makes the count and the insert one step, so two
        # requests at once cannot both slip under the limit.
        current = _locked(plan)
        check_open_for_comments(current, timezone.localdate())
        _check_rate(current, digest)
        comment = PublicComment.objects.create(
            plan=current, body=body, author_name=author_name, contact=contact, sender_hash=digest
        )
        # The trail of a public comment keeps neither the contact nor the
        # sender's address: the hash exists so that no one has to.
        ctx = context.current()
        with context.acting_as(user=None, request_id=ctx.request_id, client_ip=""):
            record(Action.CREATE, comment, after=snapshot(comment, ["plan", "body", "author_name", "status"]), note="群众意见")
    return comment


def _locked_comment(comment: PublicComment, actor: Any, permission: str, message: str) -> PublicComment:
    ensure_org_in_scope(actor, comment.plan.case.organization)
    if not actor.has_perm(permission):
        raise NotPermitted(message)
    return PublicComment.objects.select_for_update().select_related("plan__case__organization").get(pk=comment.pk)


COMMENT_FIELDS = ["status", "answer", "answered_by", "answered_at", "show_publicly"]


def comment_answer(*, comment: PublicComment, actor: Any, answer: str, show_publicly: bool) -> PublicComment:
    """Answer a comment; `show_publicly` puts comment and answer under the plan."""
    answer = _clean(answer)
    if CONTROL.search(answer):
        raise ServiceError(ERR_CONTROL_CHARS)
    if not answer:
        raise ServiceError(ERR_ANSWER_EMPTY)
    if len(answer) > ANSWER_MAX:
        raise ServiceError(ERR_ANSWER_LONG)
    with transaction.atomic():
        current = _locked_comment(comment, actor, ANSWER_PERM, ERR_NO_ANSWER)
        before = snapshot(current, COMMENT_FIELDS)
        current.status = CommentStatus.ANSWERED
        current.answer = answer
        current.answered_by = actor
        current.answered_at = timezone.now()
        current.show_publicly = bool(show_publicly)
        current.save(update_fields=COMMENT_FIELDS)
        record(Action.UPDATE, current, actor=actor, before=before, after=snapshot(current, COMMENT_FIELDS), note="答复群众意见")
    return current


def comment_hide(*, comment: PublicComment, actor: Any) -> PublicComment:
    """Keep a comment (abuse, personal data) off the public page; it stays on file."""
    with transaction.atomic():
        current = _locked_comment(comment, actor, ANSWER_PERM, ERR_NO_ANSWER)
        before = snapshot(current, COMMENT_FIELDS)
        current.status = CommentStatus.HIDDEN
        current.show_publicly = False
        current.save(update_fields=["status", "show_publicly"])
        record(Action.UPDATE, current, actor=actor, before=before, after=snapshot(current, COMMENT_FIELDS), note="不予公开")
    return current
