"""One plan per organization (一村一策): its text, versions, reviews and its measures
(tasks, worked to done in the rectification app). The public notice lives in the notices app."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhengdun.core.models import TransitionEvent


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待乡镇审核"
    TOWNSHIP_REVIEWED = "township_reviewed", "待县级审批"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回修改"


# The text sections of a plan, in document order: (field, heading).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("basic_facts", "基本情况"),
    ("problems", "存在的问题"),
    ("causes", "问题原因"),
    ("goals", "整顿目标"),
    ("measures_text", "整改措施"),
    ("steps", "方法步骤"),
    ("requirements", "整顿要求"),
    ("leading_group", "组织领导"),
)


class Plan(models.Model):
    """The working copy of a case's plan. Snapshots live in PlanVersion; the status
    moves only along PLAN_WORKFLOW (plans/transitions.py)."""

    case = models.OneToOneField("cases.Case", verbose_name="整顿对象", on_delete=models.PROTECT, related_name="plan")
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    member_count = models.PositiveIntegerField("党员数", null=True, blank=True)
    income_wan = models.DecimalField("集体经济收入（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    basic_facts = models.TextField("基本情况", blank=True)
    problems = models.TextField("存在的问题", blank=True)
    causes = models.TextField("问题原因", blank=True)
    goals = models.TextField("整顿目标", blank=True)
    measures_text = models.TextField("整改措施", blank=True)
    steps = models.TextField("方法步骤", blank=True)
    requirements = models.TextField("整顿要求", blank=True)
    leading_group = models.TextField("组织领导（领导小组）", blank=True, help_text="组长一般为联系领导，副组长为党组织书记")
    criteria = models.ManyToManyField("campaigns.Criterion", verbose_name="对应认定标准", blank=True, related_name="+")
    issuing_body = models.CharField("发文机关", max_length=100, blank=True)
    issued_on = models.DateField("成文日期", null=True, blank=True)
    version = models.PositiveIntegerField("编辑版本", default=1)
    approved_version = models.ForeignKey(
        "PlanVersion", verbose_name="已批准版本", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    similarity = models.DecimalField("最高相似度", max_digits=4, decimal_places=3, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_path = "case__organization__path"

    class Meta:
        verbose_name = "整顿方案"
        verbose_name_plural = "整顿方案"
        ordering = ["case__organization__path"]
        permissions = [
            ("review_plan", "乡镇（街道）审核整顿方案"),
            ("check_four_reviews", "登记“四必审”"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanEvent(TransitionEvent):
    """One row per status change of a plan (plans/transitions.py)."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField("原状态", max_length=20, choices=PlanStatus.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=PlanStatus.choices)

    scope_path = "plan__case__organization__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = "方案状态记录"
        verbose_name_plural = "方案状态记录"

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_state} → {self.to_state}"


class PlanVersion(models.Model):
    """A frozen copy of the plan, taken at each submission and approval."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    content = models.JSONField("内容")
    reason = models.CharField("留存原因", max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    scope_path = "plan__case__organization__path"

    class Meta:
        verbose_name = "方案版本"
        verbose_name_plural = "方案版本"
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.number}版"


class ReviewLevel(models.TextChoices):
    TOWNSHIP = "township", "乡镇（街道）审核"
    COUNTY = "county", "县级审批"


class ReviewDecision(models.TextChoices):
    PASS = "pass", "通过"
    RETURN = "return", "退回修改"


class PlanReview(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(PlanVersion, verbose_name="审核版本", on_delete=models.PROTECT, related_name="reviews")
    level = models.CharField("层级", max_length=16, choices=ReviewLevel.choices)
    decision = models.CharField("结论", max_length=16, choices=ReviewDecision.choices)
    comments = models.TextField("审核意见", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    scope_path = "plan__case__organization__path"

    class Meta:
        verbose_name = "方案审核"
        verbose_name_plural = "方案审核"
        ordering = ["plan_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_level_display()} {self.get_decision_display()}"


class PlanSeen(models.Model):
    """The last version each reviewer looked at, so they see what changed since."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="plan_seen_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} saw plan {self.plan_id} v{self.version_number}"


class FourReviewItem(models.TextChoices):
    """Seed 003's 四必审: what must be reviewed for every case."""

    PLAN = "plan", "整顿工作方案"
    TEAM = "team", "第一书记和工作队名单"
    FUNDS = "funds", "整顿项目资金"
    SUMMARY = "summary", "整顿工作年度总结"


class FourReview(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name="整顿对象", on_delete=models.CASCADE, related_name="four_reviews")
    item = models.CharField("审核事项", max_length=16, choices=FourReviewItem.choices)
    year = models.PositiveSmallIntegerField("年度")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_on = models.DateField("审核日期")
    note = models.TextField("审核意见", blank=True)

    scope_path = "case__organization__path"

    class Meta:
        verbose_name = "四必审"
        verbose_name_plural = "四必审"
        ordering = ["case_id", "year", "item"]
        constraints = [models.UniqueConstraint(fields=["case", "item", "year"], name="four_review_once_per_year")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_item_display()} {self.year}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


class Task(models.Model):
    """A measure of the plan as a task: owner, deadline, measurable target.

    Edited with the plan (measures.py); worked to done in the rectification app.
    Its status moves only along TASK_WORKFLOW (plans/transitions.py).
    """

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField("序号", default=0)
    title = models.CharField("整改措施", max_length=300)
    detail = models.TextField("具体内容", blank=True)
    owner_name = models.CharField("责任人", max_length=50)
    owner = models.ForeignKey(
        "organizations.Person",
        verbose_name="责任人（人员库）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateField("完成时限")
    target = models.CharField("可衡量的目标", max_length=200, help_text="如：流转土地 60 亩种植艾草，年增收 4.5 万元")
    target_value = models.DecimalField("目标值", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    actual_value = models.DecimalField("实际完成值", max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED, db_index=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    completed_on = models.DateField("完成日期", null=True, blank=True)
    version = models.PositiveIntegerField("编辑版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_path = "plan__case__organization__path"

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["plan_id", "order", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_at_most_100")]

    def __str__(self) -> str:
        return self.title


class TaskEvent(TransitionEvent):
    """One row per status change of a task (plans/transitions.py)."""

    task = models.ForeignKey(Task, verbose_name="整改任务", on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField("原状态", max_length=16, choices=TaskStatus.choices, blank=True)
    to_state = models.CharField("新状态", max_length=16, choices=TaskStatus.choices)

    scope_path = "task__plan__case__organization__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = "任务状态记录"
        verbose_name_plural = "任务状态记录"

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_state} → {self.to_state}"
