"""Reads for the public notice: the public page by token (no user, no scope:
the token is the key) and the comment inbox for staff (through scoping)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from zhengdun.core.scoping import restrict
from zhengdun.plans.models import CommentStatus, Plan, PublicComment

COMMENT_RELATED = ("plan", "plan__case__organization", "answered_by")


def published_plan(token: str) -> Plan:
    """The plan behind a public link, or 404: unknown token, never published,
    taken down, or (should it ever happen) no approved version to show."""
    plan = (
        Plan.objects.select_related("case__organization", "case__campaign", "approved_version")
        .filter(public_token=str(token), published_at__isnull=False, approved_version__isnull=False)
        .first()
    )
    if plan is None:
        raise Http404("不存在或未公示")
    return plan


@dataclass(frozen=True)
class Notice:
    """Where today falls in the notice period."""

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


def notice_of(plan: Plan, today: datetime.date) -> Notice:
    return Notice(starts_on=plan.notice_starts_on, ends_on=plan.notice_ends_on, today=today)


def shown_comments(plan: Plan) -> list[PublicComment]:
    """Answered comments the township chose to show, oldest first, as a thread reads."""
    return list(
        PublicComment.objects.filter(plan=plan, status=CommentStatus.ANSWERED, show_publicly=True).order_by("created_at", "id")
    )


def plan_comments(plan: Plan) -> QuerySet[PublicComment]:
    """One plan's inbox; the caller has already reached the plan through scoping."""
    return PublicComment.objects.filter(plan=plan).select_related("answered_by").order_by("-created_at", "-id")


def comment_list(user: Any, *, status: str = "") -> QuerySet[PublicComment]:
    qs = restrict(PublicComment.objects.select_related(*COMMENT_RELATED), user)
    if status in CommentStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")
