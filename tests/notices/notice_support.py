"""Building blocks for the notice and document tests: a plan approved with the
ORM (an approved version frozen from its working copy), published or not."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.core.public.senders import sender_hash
from zhengdun.notices.models import CommentSender, PlanNotice, PublicComment
from zhengdun.notices.services import SENDER_PURPOSE
from zhengdun.organizations.choices import Domain, Kind, Level
from zhengdun.organizations.models import Organization
from zhengdun.plans.models import Plan, PlanStatus, PlanVersion, Task
from zhengdun.plans.selectors import plan_content

APPROVED_PROBLEMS = "（一）班子不团结。两委成员各自为政，议事不议事。\n党员活动长期不开展。"
DRAFT_PROBLEMS = "这是批准后又改动的草稿，不能出现在公示页上。"


def approved_plan(campaign: Any, organization: Organization, *, published: bool = False, start: int = 0) -> Plan:
    """An approved plan with two measures; `published` puts it on notice from
    today + `start` days for the campaign's notice days."""
    case = Case.objects.create(campaign=campaign, organization=organization, state=CaseState.PLAN_APPROVED)
    plan = Plan.objects.create(
        case=case,
        title=f"关于{organization.name}整顿提升工作的实施方案",
        basic_facts="东关村现有居民 420 户，1530 人，其中党员 31 人。",
        problems=APPROVED_PROBLEMS,
        goals="年内班子团结有力，村集体经济收入达到 10 万元。",
        measures_text="（一）选优配强班子。由镇党委选派第一书记。",
        leading_group="组长：李联系（联系领导）；副组长：王建国（党组织书记）",
        issuing_body="中共城关镇委员会",
        issued_on=datetime.date(2026, 3, 5),
    )
    Task.objects.create(
        plan=plan,
        order=1,
        title="流转土地种植艾草",
        owner_name="王建国",
        deadline=datetime.date(2026, 6, 30),
        target="流转土地 60 亩",
    )
    Task.objects.create(
        plan=plan,
        order=2,
        title="规范三会一课",
        owner_name="李联系",
        deadline=datetime.date(2026, 9, 30),
        target="每月一次主题党日",
    )
    version = PlanVersion.objects.create(plan=plan, number=1, content=plan_content(plan), reason="县级审批通过")
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED, approved_version=version)
    if published:
        starts = timezone.localdate() + datetime.timedelta(days=start)
        PlanNotice.objects.create(
            plan=plan,
            published_at=timezone.now(),
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=campaign.plan_notice_days - 1),
        )
    plan.refresh_from_db()
    return plan


def notice_of(plan: Plan) -> PlanNotice:
    """The plan's notice as stored now (published or taken down)."""
    return PlanNotice.objects.get(plan=plan)


def token_of(plan: Plan) -> str:
    return notice_of(plan).token


def comment_on(
    plan: Plan, body: str = "建议增加村务公开的次数。", address: str = "10.0.0.9", contact: str = "", **extra: Any
) -> PublicComment:
    comment = PublicComment.objects.create(plan=plan, body=body, **extra)
    CommentSender.objects.create(comment=comment, contact=contact, sender_hash=sender_hash(address, purpose=SENDER_PURPOSE))
    return comment


def scoping_ids(campaign: Any, township: Organization) -> dict[str, int]:
    """The comment id for the scoping tests (tests/web/test_scoping_every_url.py,
    tests/api/test_scoping_every_route.py), on a village of its own so that its
    plan never collides with other pages' plans."""
    parent = Organization.objects.get(pk=township.pk)
    village = Organization.objects.add_child(
        parent,
        instance=Organization(
            code=f"{township.code}-GS",
            name="公示村党支部",
            level=Level.VILLAGE,
            kind=Kind.BRANCH,
            domain=Domain.RURAL,
            parent=parent,
        ),
    )
    return {"comment_id": comment_on(approved_plan(campaign, village, published=True)).pk}
