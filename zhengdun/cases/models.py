from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengdun.cases.states import CaseState
from zhengdun.core.models import TransitionEvent


class Case(models.Model):
    """One organization in one campaign, from screening to archive.

    `state` changes only through the workflow in transitions.py (core.workflow),
    which writes a CaseEvent per step; `version` grows with every
    change so that a stale form is detected instead of overwriting.
    """

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="整顿工作", on_delete=models.PROTECT, related_name="cases")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="cases"
    )
    state = models.CharField("状态", max_length=24, choices=CaseState.choices, default=CaseState.SCREENED, db_index=True)
    is_key = models.BooleanField("重点整顿", default=False)
    screening_record = models.ForeignKey(
        "screening.ScreeningRecord", verbose_name="排查记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    main_problems = models.TextField("主要问题", blank=True)
    measures = models.TextField("整改措施", blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    delisted_on = models.DateField("销号日期", null=True, blank=True)
    last_satisfaction = models.DecimalField("最近满意度", max_digits=4, decimal_places=3, null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_path = "organization__path"

    class Meta:
        verbose_name = "整顿对象"
        verbose_name_plural = "整顿对象"
        ordering = ["organization__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="one_case_per_org_per_campaign")]
        permissions = [
            ("propose_case", "提出拟定整顿对象"),
            ("identify_case", "认定整顿对象"),
            ("approve_plan", "审批整顿方案"),
            ("manage_rectification", "组织整顿实施"),
            ("request_acceptance", "申请验收"),
            ("decide_acceptance", "验收销号"),
            ("relist_case", "重新列入整顿"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}（{self.campaign}）"


class CaseEvent(TransitionEvent):
    """One row per state transition of a case (see core.workflow)."""

    case = models.ForeignKey(Case, verbose_name="整顿对象", on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField("原状态", max_length=24, choices=CaseState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=24, choices=CaseState.choices)

    scope_path = "case__organization__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = "状态记录"
        verbose_name_plural = "状态记录"

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_state} → {self.to_state}"
