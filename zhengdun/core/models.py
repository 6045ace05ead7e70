"""The event base every state machine's event row inherits (see core.workflow)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TransitionEvent(models.Model):
    """One row per state transition: who moved the object, when, from where to where, and why.

    A concrete subclass adds the foreign key to its object (named by the
    workflow's `event_field`) and usually redeclares the two state fields with
    the model's choices.
    """

    from_state = models.CharField("原状态", max_length=32, blank=True)
    to_state = models.CharField("新状态", max_length=32)
    action = models.CharField("操作", max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("意见/说明", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class RateLimitCount(models.Model):
    """How often one key was hit in one window (core.ratelimit's store when no Redis is configured).

    A row per key and window; rows past `expires_at` are deleted as new windows open.
    """

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "限流计数"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.count} 次（至 {self.expires_at:%Y-%m-%d %H:%M:%S}）"


# The job tables live in their own package; imported here so that Django finds them.
from zhengdun.core.jobs.models import Job, JobEvent  # noqa: E402

__all__ = ["Job", "JobEvent", "RateLimitCount", "TransitionEvent"]
