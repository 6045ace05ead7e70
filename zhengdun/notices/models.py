"""The public notice of an approved plan (seed 004: plans are published for the
public's comments) and the comments the public leaves on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengdun.core.models import TransitionEvent
from zhengdun.core.public.senders import HASH_LENGTH
from zhengdun.core.public.tokens import token_field


class PlanNotice(models.Model):
    """A plan's public page: its unguessable address and the notice period.

    Created on first publishing; taking the page down keeps the row (and so
    the address and the dates), publishing again reopens the same address."""

    plan = models.OneToOneField("plans.Plan", verbose_name="方案", on_delete=models.CASCADE, related_name="notice")
    token = token_field("公示链接令牌")
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示结束")
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_path = "plan__case__organization__path"

    class Meta:
        verbose_name = "方案公示"
        verbose_name_plural = "方案公示"
        permissions = [("publish_plan", "公示整顿方案")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="notice_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.plan} 公示"


class CommentStatus(models.TextChoices):
    NEW = "new", "待答复"
    ANSWERED = "answered", "已答复"
    SHOWN = "shown", "已答复并公开"
    HIDDEN = "hidden", "不予公开"


class PublicComment(models.Model):
    """A comment left by the public on a published plan; stored and shown as plain text.

    Its status moves only through the workflow (notices/transitions.py). Who
    sent it (contact, address hash) is a row of its own, CommentSender, so
    that the audited snapshots of its transitions never carry them."""

    plan = models.ForeignKey("plans.Plan", verbose_name="方案", on_delete=models.CASCADE, related_name="comments")
    body = models.TextField("意见建议")
    author_name = models.CharField("称呼", max_length=50, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    status = models.CharField("状态", max_length=16, choices=CommentStatus.choices, default=CommentStatus.NEW, db_index=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path = "plan__case__organization__path"

    class Meta:
        verbose_name = "群众意见"
        verbose_name_plural = "群众意见"
        ordering = ["-created_at"]
        permissions = [("answer_comment", "答复群众意见")]

    def __str__(self) -> str:
        return self.body[:30]

    @property
    def show_publicly(self) -> bool:
        """Shown under the plan on its public page."""
        return self.status == CommentStatus.SHOWN


class CommentSender(models.Model):
    """Who sent a comment: the contact left for staff (shown masked without the
    right) and a keyed hash of the address, enough to rate-limit, not to identify."""

    comment = models.OneToOneField(PublicComment, on_delete=models.CASCADE, related_name="sender", primary_key=True)
    contact = models.CharField("联系方式", max_length=50, blank=True)
    sender_hash = models.CharField(max_length=HASH_LENGTH, db_index=True)

    scope_path = "comment__plan__case__organization__path"

    class Meta:
        verbose_name = "意见提交人"
        verbose_name_plural = "意见提交人"

    def __str__(self) -> str:
        return f"sender of comment {self.comment_id}"


class CommentEvent(TransitionEvent):
    comment = models.ForeignKey(PublicComment, verbose_name="群众意见", on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField("原状态", max_length=32, choices=CommentStatus.choices, blank=True)
    to_state = models.CharField("新状态", max_length=32, choices=CommentStatus.choices)

    scope_path = "comment__plan__case__organization__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = "群众意见处理记录"
        verbose_name_plural = "群众意见处理记录"

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.from_state} → {self.to_state}"
