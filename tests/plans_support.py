"""An approved plan for a case, for the tests outside tests/plans that walk a
case past "批准整顿方案": the case may only be approved with a plan the
county has approved, so they make one the way a township and the county do."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from tests.personas import drafter_for
from tests.plans.plan_support import add_measure, review, submit
from zhengdun.cases.models import Case
from zhengdun.plans import drafting, services
from zhengdun.plans.models import Plan, PlanReview, PlanStatus, PlanVersion, ReviewDecision, ReviewLevel

PROBLEMS = "1. 村“两委”班子不团结，内耗严重，工作不能正常开展。"
GOALS = "年内选齐配强书记，发展年轻党员 2 名，村集体经济收入达到 10 万元。"


def approved_plan(case: Case, *, county: Any, town: Any = None, move_case: bool = True) -> Plan:
    """Draft, one measure, submit, township review and county approval, through
    the plan services. The county's approval moves an identified case to "方案已批准".

    `move_case=False` records the county's approval directly instead and leaves the
    case where it is, for a test that takes the case's own "批准整顿方案" step
    (as for a case that was elsewhere, say awaiting removal, when its plan was approved).
    """
    town = town or county
    # Drafted by the township's clerk: nobody passes the review of a plan they drafted.
    clerk = drafter_for(case.organization)
    plan = services.plan_create(case=case, actor=clerk, from_findings=bool(drafting.findings_of(case)))
    plan = services.plan_update(
        plan=plan,
        actor=clerk,
        expected_version=plan.version,
        problems=plan.problems or case.main_problems or PROBLEMS,
        goals=GOALS,
    )
    add_measure(plan, clerk)
    plan = review(submit(plan, clerk), town, ReviewLevel.TOWNSHIP)
    if move_case:
        plan = review(plan, county, ReviewLevel.COUNTY)
    else:
        version = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        assert version is not None
        PlanReview.objects.create(
            plan=plan, version=version, level=ReviewLevel.COUNTY, decision=ReviewDecision.PASS, reviewer=county
        )
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED, approved_version=version, version=F("version") + 1)
        plan.refresh_from_db()
    case.refresh_from_db()
    return plan
