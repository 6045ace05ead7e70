"""Working a plan's measures (plans.Task) to done: progress reports with their
notes (进展说明), evidence files and extension requests (延期申请)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Manager

from zhengdun.core.models import TransitionEvent
from zhengdun.plans.models import Task, TaskStatus


class ProgressReport(models.Model):
    """One report on a task (填报进度): the figures as reported and the note that explains them.

    The task keeps only its latest figures; these rows are its history, shown on
    the task page and in the API.
    """

    task = models.ForeignKey(Task, verbose_name="整改任务", on_delete=models.CASCADE, related_name="progress_reports")
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices)
    progress = models.PositiveSmallIntegerField("进度（%）", validators=[MinValueValidator(0), MaxValueValidator(100)])
    actual_value = models.DecimalField("实际完成值", max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField("进展说明", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField("填报时间", auto_now_add=True)

    scope_path = "task__plan__case__organization__path"

    class Meta:
        verbose_name = "进展填报"
        verbose_name_plural = "进展填报"
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task} {self.progress}%"


def _evidence_path(instance: Evidence, filename: str) -> str:
    # Stored names are random: the original name is kept in the row, never trusted on disk.
    return f"evidence/{instance.task.plan_id}/{secrets.token_hex(16)}"


class LiveEvidence(models.Manager["Evidence"]):
    """Evidence nobody has deleted: what every page, the API and the "done needs evidence" rule see."""

    def get_queryset(self) -> models.QuerySet[Evidence]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Evidence(models.Model):
    """An evidence file. Deleting one only marks it (who, when): row and file are kept for
    FILE_RETENTION_DAYS, hidden and not served, then `manage.py purge_deleted_files` removes them.
    So a mistaken or malicious delete can be undone from the disk, and a backup taken while
    files are copied never misses a file its database snapshot names."""

    task = models.ForeignKey(Task, verbose_name="整改任务", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=_evidence_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="删除人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "task__plan__case__organization__path"

    # The first manager is the default one, and task.evidence follows it: deleted rows stay out of sight.
    objects = LiveEvidence()
    all_objects: Manager[Evidence] = Manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["task_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"


class ExtensionRequest(models.Model):
    """延期申请: decided by the level above the one that asked (rectification/transitions.py)."""

    task = models.ForeignKey(Task, verbose_name="整改任务", on_delete=models.CASCADE, related_name="extensions")
    old_deadline = models.DateField("原完成时限")
    new_deadline = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    status = models.CharField("状态", max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    version = models.PositiveIntegerField("编辑版本", default=1)

    scope_path = "task__plan__case__organization__path"

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at"]
        permissions = [("decide_extension", "审批延期申请")]

    def __str__(self) -> str:
        return f"{self.task} → {self.new_deadline}"


class ExtensionEvent(TransitionEvent):
    """One row per decision on an extension request."""

    extension = models.ForeignKey(ExtensionRequest, verbose_name="延期申请", on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField("原状态", max_length=16, choices=ExtensionStatus.choices, blank=True)
    to_state = models.CharField("新状态", max_length=16, choices=ExtensionStatus.choices)

    scope_path = "extension__task__plan__case__organization__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = "延期申请状态记录"
        verbose_name_plural = "延期申请状态记录"

    def __str__(self) -> str:
        return f"{self.extension_id}: {self.from_state} → {self.to_state}"
