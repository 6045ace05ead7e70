"""Rules of the plans app that guard steps of other apps' workflows."""

from __future__ import annotations

from django.urls import reverse

from zhengdun.cases.models import Case
from zhengdun.cases.transitions import CASE_WORKFLOW
from zhengdun.core.errors import ServiceError
from zhengdun.core.workflow import Step
from zhengdun.plans.models import Plan

ERR_PLAN_NOT_APPROVED = "整顿方案尚未经县级审批通过，不能批准；请在“整顿方案”中完成审核"


@CASE_WORKFLOW.guard("approve_plan")
def case_needs_approved_plan(step: Step[Case]) -> None:
    """A case's plan step is taken only once the county approved a version of its plan."""
    if not Plan.objects.filter(case_id=step.obj.pk, approved_version__isnull=False).exists():
        raise ServiceError(
            ERR_PLAN_NOT_APPROVED, remedy_url=reverse("plans:for_case", args=[step.obj.pk]), remedy_label="去审核整顿方案"
        )
