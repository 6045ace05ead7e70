"""Rules of the plans app that guard steps of other apps' workflows."""

from __future__ import annotations

from django.urls import reverse

from zhengdun.cases.models import Case
from zhengdun.cases.transitions import CASE_WORKFLOW
from zhengdun.core.errors import ServiceError
from zhengdun.core.workflow import Step, different_actor
from zhengdun.plans.models import Plan
from zhengdun.plans.transitions import PLAN_WORKFLOW

ERR_PLAN_NOT_APPROVED = "整顿方案尚未经县级审批通过，不能批准；请在“整顿方案”中完成审核"
ERR_REVIEW_OWN_PLAN = "不相容职责分离：起草或提交该方案的人不能审核通过或审批通过该方案，请由其他人员审核"

# Separation of duties: whoever drafted the plan, or submitted the version under review,
# does not pass it at either level; returning it for changes stays open to them.
PLAN_WORKFLOW.guard("township_pass", "county_pass")(
    different_actor(PLAN_WORKFLOW, message=ERR_REVIEW_OWN_PLAN, after=("submit",), field="created_by")
)


@CASE_WORKFLOW.guard("approve_plan")
def case_needs_approved_plan(step: Step[Case]) -> None:
    """A case's plan step is taken only once the county approved a version of its plan."""
    if not Plan.objects.filter(case_id=step.obj.pk, approved_version__isnull=False).exists():
        raise ServiceError(
            ERR_PLAN_NOT_APPROVED, remedy_url=reverse("plans:for_case", args=[step.obj.pk]), remedy_label="去审核整顿方案"
        )
