from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhengdun.core.models import TransitionEvent


class ReportingPeriod(models.TextChoices):
    HALF_MONTH = "half_month", "每半月"
    MONTH = "month", "每月"
    TWO_MONTHS = "two_months", "每两个月"
    QUARTER = "quarter", "每季度"
    HALF_YEAR = "half_year", "每半年"
    YEAR = "year", "每年"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class Campaign(models.Model):
    """One rectification campaign over an organization subtree; its rules are data."""

    name = models.CharField("名称", max_length=200)
    scope = models.ForeignKey(
        "organizations.Organization", verbose_name="范围（组织）", on_delete=models.PROTECT, related_name="campaigns"
    )
    template_key = models.CharField("模板", max_length=32, blank=True)
    start_year = models.PositiveSmallIntegerField("起始年度")
    end_year = models.PositiveSmallIntegerField("结束年度")
    reporting_period = models.CharField("进展报送周期", max_length=16, choices=ReportingPeriod.choices)
    quota_share = models.DecimalField(
        "整顿比例参考",
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="如 0.05 表示约 5%；留空表示应定尽定、不设比例",
    )
    satisfaction_threshold = models.DecimalField(
        "群众满意度合格线",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.700"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    cycle_years = models.PositiveSmallIntegerField("整顿周期（年）", default=1, validators=[MinValueValidator(1)])
    target = models.CharField("工作目标", max_length=300, blank=True)
    # Written only by the workflow (campaigns/transitions.py).
    status = models.CharField("状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    version = models.PositiveIntegerField("版本", default=1)

    # Thresholds of the computed warning signs (预警信号). They only suggest;
    # nothing is listed because of them. Empty means the sign is off.
    warn_secretary_vacant_days = models.PositiveIntegerField(
        "书记空缺超过（天）", null=True, blank=True, default=0, help_text="0 表示只要空缺即提示"
    )
    warn_no_new_member_years = models.PositiveSmallIntegerField("连续未发展党员（年）", null=True, blank=True, default=2)
    warn_no_meeting_months = models.PositiveSmallIntegerField("未开展“三会一课”超过（月）", null=True, blank=True, default=6)
    warn_min_star = models.PositiveSmallIntegerField("星级低于", null=True, blank=True, default=3)
    warn_income_floor_wan = models.DecimalField(
        "集体经济收入低于（万元）", max_digits=10, decimal_places=2, null=True, blank=True, default=Decimal("5.00")
    )
    warn_income_falling = models.BooleanField("集体经济收入连续下降时提示", default=True)
    warn_petitions = models.PositiveIntegerField("年度信访超过（件）", null=True, blank=True, default=5)
    warn_unlisted_signs = models.PositiveSmallIntegerField(
        "未列入但预警信号达到（项）时提示应定尽定", default=3, validators=[MinValueValidator(1)]
    )
    key_requires_contact_leader = models.BooleanField("重点整顿对象须明确联系领导", default=True)
    plan_similarity_threshold = models.DecimalField(
        "方案雷同提示阈值",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.800"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="提交的方案与其他方案或范本相似度达到此值时提示审核人（如 0.8 表示 80%）",
    )
    plan_notice_days = models.PositiveSmallIntegerField("方案公示天数", default=7, validators=[MinValueValidator(1)])
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Townships read the county's campaign they work in: ancestors are readable.
    scope_path = "scope__path"
    scope_reads_ancestors = True

    class Meta:
        verbose_name = "整顿工作"
        verbose_name_plural = "整顿工作"
        ordering = ["-start_year", "-id"]
        permissions = [("reopen_campaign", "重新启动已结束的整顿工作")]

    def __str__(self) -> str:
        return self.name

    @property
    def quota_percent(self) -> str:
        return "应定尽定，不设比例" if self.quota_share is None else f"约 {self.quota_share * 100:.1f}%"


class Stage(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name="整顿工作", on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("阶段", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("截止日期")

    scope_path = "campaign__scope__path"
    scope_reads_ancestors = True

    class Meta:
        verbose_name = "工作阶段"
        verbose_name_plural = "工作阶段"
        ordering = ["campaign_id", "order"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="stage_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One item of the campaign's listing criteria catalog (认定标准)."""

    campaign = models.ForeignKey(Campaign, verbose_name="整顿工作", on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField("编号", max_length=16)
    category = models.CharField("类别", max_length=100)
    item = models.TextField("具体情形")
    lead_office = models.CharField("牵头科室", max_length=100, blank=True)
    cooperating_offices = models.CharField("配合科室", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    scope_path = "campaign__scope__path"
    scope_reads_ancestors = True

    class Meta:
        verbose_name = "认定标准"
        verbose_name_plural = "认定标准"
        ordering = ["campaign_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.category}"


class CampaignEvent(TransitionEvent):
    """One row per status change of a campaign (see core.workflow)."""

    campaign = models.ForeignKey(Campaign, verbose_name="整顿工作", on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField("原状态", max_length=16, choices=CampaignStatus.choices, blank=True)
    to_state = models.CharField("新状态", max_length=16, choices=CampaignStatus.choices)

    scope_path = "campaign__scope__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = "整顿工作状态记录"
        verbose_name_plural = "整顿工作状态记录"
