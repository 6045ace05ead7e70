from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengdun.core.models import TransitionEvent


class Method(models.TextChoices):
    SELF_CHECK = "self_check", "组织自查"
    MEMBER_REVIEW = "member_review", "党员群众评查"
    PETITION_CHECK = "petition_check", "信访核查"
    FIELD_CHECK = "field_check", "实地调查"


class RoundStatus(models.TextChoices):
    OPEN = "open", "排查中"
    CLOSED = "closed", "已结束"


class Conclusion(models.TextChoices):
    PENDING = "pending", "待研判"
    WEAK = "weak", "软弱涣散"
    NOT_WEAK = "not_weak", "未发现软弱涣散"


class ScreeningRound(models.Model):
    """A jurisdiction screening its organizations for one campaign (排查)."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="整顿工作", on_delete=models.PROTECT, related_name="rounds")
    jurisdiction = models.ForeignKey(
        "organizations.Organization", verbose_name="排查范围", on_delete=models.PROTECT, related_name="screening_rounds"
    )
    # Written only by the workflow (screening/transitions.py).
    status = models.CharField("状态", max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    version = models.PositiveIntegerField("版本", default=1)
    note = models.TextField("说明", blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="结束人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    scope_path = "jurisdiction__path"

    class Meta:
        verbose_name = "排查轮次"
        verbose_name_plural = "排查轮次"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "jurisdiction"],
                condition=models.Q(status="open"),
                name="one_open_round_per_jurisdiction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.campaign}"


class ScreeningRoundEvent(TransitionEvent):
    """One row per status change of a round (see core.workflow)."""

    round = models.ForeignKey(ScreeningRound, verbose_name="排查轮次", on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField("原状态", max_length=16, choices=RoundStatus.choices, blank=True)
    to_state = models.CharField("新状态", max_length=16, choices=RoundStatus.choices)

    scope_path = "round__jurisdiction__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = "排查状态记录"
        verbose_name_plural = "排查状态记录"


class ScreeningRecord(models.Model):
    """What the screening found about one organization."""

    round = models.ForeignKey(ScreeningRound, verbose_name="排查轮次", on_delete=models.CASCADE, related_name="records")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="screening_records"
    )
    method = models.CharField("排查方式", max_length=20, choices=Method.choices)
    conclusion = models.CharField("研判结论", max_length=16, choices=Conclusion.choices, default=Conclusion.PENDING)
    note = models.TextField("说明", blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="排查人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    screened_on = models.DateField("排查日期")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path = "organization__path"

    class Meta:
        verbose_name = "排查记录"
        verbose_name_plural = "排查记录"
        ordering = ["organization__path"]
        constraints = [models.UniqueConstraint(fields=["round", "organization"], name="one_record_per_org_per_round")]

    def __str__(self) -> str:
        return f"{self.organization}（{self.get_conclusion_display()}）"


class Finding(models.Model):
    """One criterion of the campaign's catalog that the organization meets, with evidence."""

    record = models.ForeignKey(ScreeningRecord, verbose_name="排查记录", on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey("campaigns.Criterion", verbose_name="认定标准", on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField("事实依据")

    scope_path = "record__organization__path"

    class Meta:
        verbose_name = "排查发现"
        verbose_name_plural = "排查发现"
        ordering = ["record_id", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["record", "criterion"], name="one_finding_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.evidence[:20]}"
