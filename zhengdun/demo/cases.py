"""The demo campaign and its cases, made through the services.

Going through campaign_create_from_template, case_open, case_transition and,
for "批准整顿方案", the plan services (case_plans.py), as the county and
township accounts under `acting_as`, gives every case the same events and
audit rows a real one would have, and proves that the demo accounts can do
what the demo shows them doing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

from zhengdun.accounts.models import User
from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_open, case_transition, case_update
from zhengdun.cases.states import CaseState as S
from zhengdun.core.context import acting_as
from zhengdun.core.scoping import scope_for
from zhengdun.demo import names
from zhengdun.demo.case_plans import approve_through_plan
from zhengdun.demo.plan import CaseSpec, DemoError, DemoPlan
from zhengdun.organizations.models import Organization

TEMPLATE_KEY = "county_two_year_2018"

# The road every case walks, in order: (state reached, action, who acts, note).
# "township" is the township's operator where the demo has one, else the county.
ROAD: tuple[tuple[str, str, str, str], ...] = (
    (S.PROPOSED, "propose", "township", "经党组织自查、党员群众评查和实地调查，提出拟定为整顿对象"),
    (S.IDENTIFIED, "identify", "county", "经县委组织部审核，认定为软弱涣散基层党组织，登记造册备案"),
    (S.PLAN_APPROVED, "approve_plan", "county", "“一村一策”整顿方案经联系领导签字、县委组织部审核同意"),
    (S.RECTIFYING, "start", "township", "整顿方案已向群众公示，第一书记和驻村工作队已到位"),
    (S.ACCEPTANCE_REQUESTED, "request_acceptance", "township", "整改任务已全部完成，经党组织自查、上级党组织检查，申请验收"),
    (S.DELISTED, "pass", "county", "经县委组织部抽查验收和群众满意度测评，同意销号"),
)


@dataclass
class CasesOutcome:
    campaign: Campaign
    campaign_created: bool
    cases_opened: int


def _as(actor: User, fn: Callable[..., Any], **kwargs: Any) -> Any:
    with acting_as(user=actor):
        return fn(actor=actor, **kwargs)


def _fit(user: User | None, org: Organization, perm: str) -> TypeGuard[User]:
    """Whether an existing account can act here (a pre-existing `county` might be someone else's)."""
    return user is not None and scope_for(user).covers_path(org.path) and user.has_perm(perm)


def ensure_campaign_and_cases(plan: DemoPlan, orgs: dict[str, Organization], users: dict[str, User]) -> CasesOutcome:
    county_org = orgs[plan.county_code]
    county = users.get("county")
    # Any year's: a run next January must not start a second campaign beside this one.
    campaign = Campaign.objects.filter(scope=county_org, template_key=TEMPLATE_KEY).order_by("-start_year", "-id").first()
    if campaign is not None and campaign.cases.exists():
        return CasesOutcome(campaign, False, 0)
    if county is None or not _fit(county, county_org, "campaigns.add_campaign"):
        raise DemoError("账号 county 不是演示县的县级管理员，无法创建整顿工作；请换一个数据库或先删除该账号")
    created = campaign is None
    if campaign is None:
        campaign = _as(
            county,
            campaign_create_from_template,
            template_key=TEMPLATE_KEY,
            scope=county_org,
            start_year=plan.year,
            name=f"{names.COUNTY_SHORT}软弱涣散农村基层党组织整顿提升两年行动（{plan.year}—{plan.year + 1}年）",
        )
    township_users = {0: users.get("town1"), 1: users.get("town2")}
    opened = 0
    for spec in plan.cases:
        org = orgs.get(spec.org_code)
        if org is None:
            continue
        town_user = township_users.get(spec.township)
        local = town_user if _fit(town_user, org, "cases.add_case") else county
        _walk(campaign, org, spec, local=local, county=county, today=plan.today)
        opened += 1
    return CasesOutcome(campaign, created, opened)


def _walk(campaign: Campaign, org: Organization, spec: CaseSpec, *, local: User, county: User, today: datetime.date) -> Case:
    case = _as(local, case_open, campaign=campaign, organization=org, is_key=spec.is_key, note="排查列入整顿对象名单")
    case = _as(
        local,
        case_update,
        case=case,
        expected_version=case.version,
        main_problems=spec.main_problems,
        measures=spec.measures,
        is_key=spec.is_key,
    )
    order = [S.SCREENED] + [state for state, *_ in ROAD]
    for _state, action, who, note in ROAD[: order.index(spec.state)]:
        actor = county if who == "county" else local
        if action == "approve_plan":
            # The case is approved through its plan: the county's approval takes the step.
            case = approve_through_plan(case, spec, local=local, county=county, today=today, note=note)
            continue
        extra: dict[str, Any] = {}
        if action == "pass":
            # A believable rate above the 70% line, fixed by the organization code.
            extra["satisfaction"] = f"{82 + int(org.code[-3:]) % 15}.{int(org.code[-1])}"
        case = _as(actor, case_transition, case=case, action=action, note=note, **extra)
    return case
