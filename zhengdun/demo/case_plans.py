"""The "一村一策" plan of a demo case, made through the plan services.

A case reaches "方案已批准" only through its plan: drafted from the
organization, given the case's problems and 2–4 measures with an owner, a
deadline and a measurable target, submitted, reviewed by the township and
approved by the county, whose approval moves the case. The measures follow
the case's 整改措施 (texts.py); their targets are worded after the seeds
(seed 000: 流转土地60亩种植艾草，60亩每年纯收入4.5万元).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zhengdun.accounts.models import User
from zhengdun.cases.models import Case
from zhengdun.core.actors import Actor
from zhengdun.core.context import acting_as
from zhengdun.core.system import SYSTEM
from zhengdun.demo import texts
from zhengdun.demo.plan import CaseSpec
from zhengdun.notices.services import plan_publish
from zhengdun.organizations.choices import Domain, PostRole
from zhengdun.organizations.models import Organization, Person, Post
from zhengdun.plans import measures, services
from zhengdun.plans.drafting import place_name
from zhengdun.plans.models import Plan, ReviewDecision, ReviewLevel

MIN_MEASURES, MAX_MEASURES = 2, 4
FLOOR_WAN = 5  # the collective income below which texts.py calls a village weak
VILLAGE, TOWNSHIP = "village", "township"
# Who answers for a measure, in order of preference: (where, post). The last
# resort is the township's organizer, whom every demo township has.
SECRETARY = ((VILLAGE, PostRole.SECRETARY), (VILLAGE, PostRole.FIRST_SECRETARY), (TOWNSHIP, PostRole.ORGANIZER))
FIRST_SECRETARY = ((VILLAGE, PostRole.FIRST_SECRETARY), (VILLAGE, PostRole.SECRETARY), (TOWNSHIP, PostRole.ORGANIZER))
ORGANIZER = ((TOWNSHIP, PostRole.ORGANIZER),)
CONTACT_LEADER = ((VILLAGE, PostRole.CONTACT_LEADER), (TOWNSHIP, PostRole.ORGANIZER))


@dataclass(frozen=True)
class Measure:
    title: str
    owners: tuple[tuple[str, str], ...]
    months: int  # deadline: the end of the month this many months from today
    target: str
    target_value: str | None = None
    unit: str = ""


ECONOMY_RURAL = Measure(
    "依托艾草产业壮大村集体经济",
    SECRETARY,
    11,
    "村办合作社流转土地60亩种植艾草，60亩每年纯收入4.5万元",
    "4.5",
    "万元",
)
ECONOMY_COMMUNITY = Measure(
    "盘活集体资产增加集体收入", SECRETARY, 11, "盘活闲置集体用房2处对外出租，年增加集体收入3万元", "3", "万元"
)
# Keyed by the 整改措施 sentence of texts.py that the measure carries out.
MEASURES: dict[str, Measure] = {
    texts.M_SECRETARY: Measure("选优配强党组织书记", ORGANIZER, 3, "选配1名“一好双强”型党员担任党组织书记", "1", "名"),
    texts.M_MEMBERS: Measure("发展年轻党员", SECRETARY, 8, "发展35岁以下年轻党员2名，培养入党积极分子3名", "2", "名"),
    texts.GENERIC_MEASURES[0]: Measure(
        "第一书记驻村帮扶", FIRST_SECRETARY, 12, "每月到村开展服务1次、与村民座谈交流1次，全年不少于12次", "12", "次"
    ),
    texts.GENERIC_MEASURES[1]: Measure(
        "联系领导帮扶指导", CONTACT_LEADER, 12, "联系领导每季度到村调研指导1次，协调解决实际困难2件以上", "4", "次"
    ),
    texts.GENERIC_MEASURES[2]: Measure(
        "严格党内组织生活", SECRETARY, 12, "每月开展主题党日1次、每季度讲党课1次，年底召开组织生活会1次", "12", "次"
    ),
    texts.GENERIC_MEASURES[3]: Measure(
        "规范“三务”公开", SECRETARY, 6, "党务、村务、财务每季度公开1次，重大事项100%经“四议两公开”"
    ),
    texts.GENERIC_MEASURES[4]: Measure("住村干部蹲点指导", ORGANIZER, 12, "住村干部每周在村工作不少于3天，每月向镇党委报告1次"),
    texts.GENERIC_MEASURES[5]: Measure(
        "化解矛盾纠纷和信访积案", SECRETARY, 9, "排查化解矛盾纠纷，信访积案化解率达到90%以上", "90", "%"
    ),
    texts.GENERIC_MEASURES[6]: Measure("支部书记培训提能", SECRETARY, 6, "支部书记参加县级集中培训不少于7天", "7", "天"),
    texts.GENERIC_MEASURES[7]: Measure(
        "方案公示和满意度测评", ORGANIZER, 12, "整顿方案公示不少于5个工作日，群众满意度达到80%以上", "80", "%"
    ),
}
CAUSES = "班子观念较落后、干事创业激情不足，带领群众发展经济思路不清、办法不多；党内组织生活不够严肃，党员教育管理不到位。"
STEPS = (
    "（一）动员部署阶段：召开党员大会和群众代表会议，公示整顿方案，听取党员群众意见。\n"
    "（二）集中整顿阶段：逐项落实整改措施，乡镇党委每半月上报整顿进展。\n"
    "（三）验收巩固阶段：开展自查和群众满意度测评，申请验收，巩固整顿成果。"
)
REQUIREMENTS = "坚持一村一策、问题不解决不撤离，整改任务明确责任人和完成时限，接受党员群众监督。"
TOWNSHIP_COMMENTS = "经乡镇党委会议研究，问题查找准确，整改措施可行，同意上报县委组织部审批"


def _as(actor: Actor, fn: Callable[..., Any], **kwargs: Any) -> Any:
    with acting_as(user=actor):
        return fn(actor=actor, **kwargs)


def _owner(org: Organization, owners: tuple[tuple[str, str], ...]) -> tuple[str, Person | None]:
    """The owner's name, with the person where the plan's drafter keeps their record."""
    for where, role in owners:
        place = org if where == VILLAGE else org.parent
        post = Post.objects.active().filter(organization=place, role=role).select_related("person").order_by("id").first()
        if post is not None:
            person = post.person
            local = person.organization_id in (org.pk, org.parent_id)
            return f"{person.name}（{PostRole(role).label}）", person if local else None
    return (org.parent or org).name, None


def _deadline(today: datetime.date, months: int, end_year: int) -> datetime.date:
    year, month = divmod(today.month - 1 + months, 12)
    year, month = today.year + year, month + 1
    due = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return max(min(due, datetime.date(end_year, 12, 31)), today)


def _measures_for(spec: CaseSpec, org: Organization) -> list[Measure]:
    economy = ECONOMY_COMMUNITY if org.domain == Domain.COMMUNITY else ECONOMY_RURAL
    chosen = [economy if line == texts.M_ECONOMY else MEASURES.get(line) for line in _lines(spec.measures)]
    picked = [m for m in chosen if m is not None][:MAX_MEASURES]
    # Every plan keeps its organization's 三会一课 if the case text left too few.
    for fallback in (MEASURES[texts.GENERIC_MEASURES[2]], MEASURES[texts.GENERIC_MEASURES[0]]):
        if len(picked) < MIN_MEASURES and fallback not in picked:
            picked.append(fallback)
    return picked


def _lines(numbered: str) -> list[str]:
    """Numbered lines ("1. 某某措施。") back to the sentences of texts.py."""
    return [line.split(". ", 1)[-1].rstrip("。") for line in numbered.splitlines() if line.strip()]


def _goals(org: Organization, plan: Plan, end_year: int) -> str:
    place = place_name(org)
    who = "社区" if org.domain == Domain.COMMUNITY else "村"
    weak = plan.income_wan is None or plan.income_wan < FLOOR_WAN
    economy = f"{who}集体经济收入达到{FLOOR_WAN}万元以上" if weak else f"{who}集体经济收入稳定增长"
    return (
        f"通过集中整顿，{place}党组织班子配齐配强、团结有力，组织生活正常规范，{economy}，"
        f"{end_year}年底前实现整顿转化，群众满意度达到80%以上。"
    )


def approve_through_plan(case: Case, spec: CaseSpec, *, local: User, county: User, today: datetime.date, note: str) -> Case:
    """Draft, submit and approve the case's plan; the county's approval moves the case.

    The demo generator writes the plan as the system: nobody passes the review of a plan
    they drafted or submitted, and the demo has no account for every village."""
    org = case.organization
    end_year = case.campaign.end_year
    drafter = SYSTEM
    plan: Plan = _as(drafter, services.plan_create, case=case)
    plan = _as(
        drafter,
        services.plan_update,
        plan=plan,
        expected_version=plan.version,
        problems=spec.main_problems,
        causes=CAUSES,
        goals=_goals(org, plan, end_year),
        measures_text=spec.measures,
        steps=STEPS,
        requirements=REQUIREMENTS,
    )
    for order, measure in enumerate(_measures_for(spec, org), start=1):
        owner_name, owner = _owner(org, measure.owners)
        _as(
            drafter,
            measures.measure_save,
            plan=plan,
            task_id=None,
            order=order,
            title=measure.title,
            owner_name=owner_name,
            owner=owner,
            deadline=_deadline(today, measure.months, end_year),
            target=measure.target,
            target_value=measure.target_value,
            unit=measure.unit,
        )
    plan = _as(drafter, services.plan_submit, plan=plan, expected_version=plan.version)
    township, approve = ReviewLevel.TOWNSHIP, ReviewDecision.PASS
    _as(local, services.plan_review, plan=plan, level=township, decision=approve, comments=TOWNSHIP_COMMENTS)
    _as(county, services.plan_review, plan=plan, level=ReviewLevel.COUNTY, decision=approve, comments=note)
    # Seed 004: an approved plan is published for the public's comments.
    plan.refresh_from_db()
    _as(local, plan_publish, plan=plan, starts_on=today)
    case.refresh_from_db()
    return case
