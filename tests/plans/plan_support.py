"""Building blocks for the drafting and review tests: a case brought to
"identified" through the real screening and case services, and plans made
with the plan services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.personas import drafter_for
from zhengdun.campaigns.models import Campaign, Criterion
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_open, case_transition
from zhengdun.cases.states import CaseState
from zhengdun.organizations.choices import Domain, Kind, Level
from zhengdun.organizations.models import Organization
from zhengdun.plans import measures, services
from zhengdun.plans.models import Plan, PlanVersion, Task
from zhengdun.screening.models import ScreeningRound
from zhengdun.screening.services import record_propose, record_save, round_open

VACANT = "1.2"
NO_MEMBERS = "2.4"
VACANT_EVIDENCE = "书记于 2026 年 3 月辞职，至今未选出"
NO_MEMBERS_EVIDENCE = "近三年未发展党员，35 岁以下党员仅 1 名"


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def screened_and_identified(campaign: Campaign, org: Organization, town: Any, county: Any) -> Case:
    """A case proposed from a screening record with two findings, then identified by the county."""
    rnd = ScreeningRound.objects.filter(campaign=campaign, jurisdiction=org.parent, status="open").first()
    rnd = rnd or round_open(campaign=campaign, jurisdiction=org.parent, actor=town)
    findings = {
        Criterion.objects.get(campaign=campaign, code=VACANT).pk: VACANT_EVIDENCE,
        Criterion.objects.get(campaign=campaign, code=NO_MEMBERS).pk: NO_MEMBERS_EVIDENCE,
    }
    rec = record_save(
        round=rnd,
        organization=org,
        method="field_check",
        conclusion="weak",
        findings=findings,
        screened_on=timezone.localdate(),
        actor=town,
    )
    case = record_propose(record=rec, actor=town)
    return case_transition(case=case, action="identify", actor=county, filed_on=timezone.localdate())


def identified_case(campaign: Campaign, org: Organization, town: Any, county: Any) -> Case:
    """A case identified without a screening record (as a dynamic addition would be)."""
    case = case_open(campaign=campaign, organization=org, actor=town)
    case = case_transition(case=case, action="propose", actor=town)
    return case_transition(case=case, action="identify", actor=county, filed_on=timezone.localdate())


def add_measure(plan: Plan, actor: Any, **overrides: Any) -> Task:
    values: dict[str, Any] = {
        "title": "依托艾草产业发展集体经济",
        "owner_name": "王建国",
        "deadline": in_days(90),
        "target": "村办合作社流转土地 60 亩种植艾草，年增收 4.5 万元",
        "target_value": "4.5",
        "unit": "万元",
    }
    values.update(overrides)
    return measures.measure_save(plan=plan, actor=actor, task_id=None, **values)


def ready_plan(case: Case, actor: Any) -> Plan:
    """A drafted plan with problems, goals and one measure: ready to submit."""
    plan = services.plan_create(case=case, actor=actor, from_findings=True)
    plan = services.plan_update(
        plan=plan,
        actor=actor,
        expected_version=plan.version,
        goals="年内选齐配强书记，发展年轻党员 2 名，村集体经济收入达到 10 万元。",
        causes="班子观念落后，干事创业激情不足。",
    )
    add_measure(plan, actor)
    return plan


def submit(plan: Plan, actor: Any) -> Plan:
    return services.plan_submit(plan=plan, actor=actor, expected_version=plan.version)


def review(plan: Plan, actor: Any, level: str, decision: str = "pass", comments: str = "") -> Plan:
    services.plan_review(plan=plan, actor=actor, level=level, decision=decision, comments=comments)
    plan.refresh_from_db()
    return plan


def approved(case: Case, town: Any, county: Any) -> Plan:
    # Drafted and submitted by the township's clerk: nobody passes the review of a plan they drafted.
    clerk = drafter_for(case.organization)
    plan = submit(ready_plan(case, clerk), clerk)
    plan = review(plan, town, "township")
    return review(plan, county, "county")


def web_scoping_objects(campaign: Campaign, township: Organization) -> dict[str, Any]:
    """Kwargs of the plan pages for tests/web/test_scoping_every_url.py, on a
    village of their own so that its plan never collides with other pages' plans."""
    parent = Organization.objects.get(pk=township.pk)
    village = Organization.objects.add_child(
        parent,
        instance=Organization(
            code=f"{township.code}-FA",
            name="方案村党支部",
            level=Level.VILLAGE,
            kind=Kind.BRANCH,
            domain=Domain.RURAL,
            parent=parent,
        ),
    )
    case = Case.objects.create(campaign=campaign, organization=village, state=CaseState.IDENTIFIED)
    plan = Plan.objects.create(case=case, title="关于方案村党支部整顿提升工作的实施方案")
    task = Task.objects.create(plan=plan, title="种植艾草", owner_name="王建国", deadline=in_days(30), target="60 亩")
    PlanVersion.objects.create(plan=plan, number=1, content={}, reason="提交审核")
    return {"plans": plan.pk, "case_id": case.pk, "task_id": task.pk, "number": 1}
