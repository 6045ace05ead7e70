"""Reads for the public notice: the public page by token (no user, no scope:
the token is the key) and, for staff, a plan's notice and the comment inbox
(through scoping)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse

from zhengdun.core.actors import Actor
from zhengdun.core.public.qr import absolute_url
from zhengdun.core.scoping import get_object_or_404, restrict
from zhengdun.notices.models import CommentStatus, PlanNotice, PublicComment
from zhengdun.plans.models import Plan

ERR_NOT_FOUND = "不存在或未公示"
COMMENT_RELATED = ("plan", "plan__case__organization", "answered_by", "sender")


def published_notice(token: str) -> PlanNotice:
    """The notice behind a public link, or 404: unknown token, never published,
    taken down, or (should it ever happen) no approved version to show."""
    notice = (
        PlanNotice.objects.select_related("plan__case__organization", "plan__case__campaign", "plan__approved_version")
        .filter(token=str(token), published_at__isnull=False, plan__approved_version__isnull=False)
        .first()
    )
    if notice is None:
        raise Http404(ERR_NOT_FOUND)
    return notice


def notice_for(plan: Plan) -> PlanNotice | None:
    """A plan's notice, published or taken down; None before it was first published.
    The caller has already reached the plan through scoping."""
    return PlanNotice.objects.filter(plan=plan).first()


@dataclass(frozen=True)
class Period:
    """Where today falls in a notice period."""

    starts_on: datetime.date | None
    ends_on: datetime.date | None
    today: datetime.date

    @property
    def upcoming(self) -> bool:
        return self.starts_on is not None and self.today < self.starts_on

    @property
    def over(self) -> bool:
        return self.ends_on is not None and self.today > self.ends_on

    @property
    def open(self) -> bool:
        return self.starts_on is not None and self.ends_on is not None and not self.upcoming and not self.over


def period_of(notice: PlanNotice | None, today: datetime.date) -> Period:
    if notice is None:
        return Period(starts_on=None, ends_on=None, today=today)
    return Period(starts_on=notice.starts_on, ends_on=notice.ends_on, today=today)


def public_url(notice: PlanNotice, request: HttpRequest | None = None) -> str:
    return absolute_url(reverse("public:plan", args=[notice.token]), request)


def shown_comments(plan: Plan) -> list[PublicComment]:
    """Answered comments the township chose to show, oldest first, as a thread reads."""
    return list(PublicComment.objects.filter(plan=plan, status=CommentStatus.SHOWN).order_by("created_at", "id"))


def plan_comments(plan: Plan) -> QuerySet[PublicComment]:
    """One plan's inbox; the caller has already reached the plan through scoping."""
    return PublicComment.objects.filter(plan=plan).select_related(*COMMENT_RELATED).order_by("-created_at", "-id")


def comment_list(user: Actor, *, status: str = "") -> QuerySet[PublicComment]:
    qs = restrict(PublicComment.objects.select_related(*COMMENT_RELATED), user)
    if status in CommentStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def comment_get(user: Actor, comment_id: int) -> PublicComment:
    return get_object_or_404(PublicComment.objects.select_related(*COMMENT_RELATED), user, pk=comment_id)
