"""The job table: one row per piece of background work (see zhengdun/core/jobs/__init__.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengdun.core.models import TransitionEvent


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    kind = models.CharField("任务类型", max_length=64)
    # What the job works on (e.g. "campaign=3;unit=12;listing=current;owner=7"), and the
    # period it is for ("2026-12-01" for a daily job; the request's time for an export).
    key = models.CharField("对象", max_length=200)
    period = models.CharField("周期", max_length=64, blank=True)
    label = models.CharField("名称", max_length=200)
    state = models.CharField("状态", max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    version = models.PositiveIntegerField(default=1)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organization whose subtree the job reads (its scope); empty for the install's own work.
    org_path = models.CharField("组织范围", max_length=255, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    result_file = models.CharField("结果文件", max_length=255, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    error = models.TextField("失败原因", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    scope_path = "org_path"

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        permissions = [("run_job", "运行后台任务")]
        constraints = [
            # Idempotency in the database itself: the same work for the same period exists once,
            # and never twice at the same time, whichever process asks.
            models.UniqueConstraint(fields=["kind", "key", "period"], name="core_job_once_per_period"),
            models.UniqueConstraint(
                fields=["kind", "key"], condition=models.Q(state__in=["queued", "running"]), name="core_job_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_state_display()}）"

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


class JobEvent(TransitionEvent):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField("原状态", max_length=32, blank=True, choices=JobState.choices)
    to_state = models.CharField("新状态", max_length=32, choices=JobState.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = "后台任务记录"
        verbose_name_plural = verbose_name
