"""A county with something waiting for each persona (see `build_busy`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests.notices.notice_support import approved_plan as published_plan
from tests.notices.notice_support import comment_on
from tests.personas import World, add_village
from tests.plans import plan_support
from tests.rectification.support import approved_plan, make_task
from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_open, case_transition
from zhengdun.notices.models import PublicComment
from zhengdun.plans.models import Plan, Task
from zhengdun.rectification.models import ExtensionRequest

RETURN_NOTE = "排查材料不全，请补充群众评议记录后再报"
PLAN_RETURN_NOTE = "请补充发展集体经济的具体措施"


@dataclass
class Busy:
    proposal: Case
    returned_case: Case
    township_review: Plan
    county_approval: Plan
    returned_plan: Plan
    town2_review: Plan
    comment: PublicComment
    extension: ExtensionRequest
    due_task: Task
    overdue_task: Task
    done_task: Task
    later_task: Task
    leader_task: Task


def proposed(campaign: Campaign, org: Any, town: Any) -> Case:
    case = case_open(campaign=campaign, organization=org, actor=town)
    return case_transition(case=case, action="propose", actor=town, note="排查研判为软弱涣散")


def build_busy(world: World, campaign: Campaign) -> Busy:
    """town1's county, with one item of every kind:

    - 西关村 proposed by town1 (county decides), 南关社区 proposed and returned by the county (town1),
    - plans of new villages of 城关镇: one submitted (town1 reviews), one passed by town1 (county
      approves), one returned by the county (town1 revises); 中河村 of 河口镇 submitted (town2 reviews),
    - a published plan of 城关镇 with a new public comment (town1 answers),
    - 东关村 (branch1) rectifying: a task due in 3 days, one overdue with an extension request
      (town1 decides), one done, one due in a month,
    - 北河村 (leader1 linked) rectifying: a task due in 5 days.
    """
    county, town1, town2, branch1 = (world.users[name] for name in ("county", "town1", "town2", "branch1"))
    proposal = proposed(campaign, world.village_w, town1)
    returned_case = case_transition(
        case=proposed(campaign, world.community_s, town1), action="return", actor=county, note=RETURN_NOTE
    )

    def village_plan(code: str, name: str) -> Plan:
        org = add_village(world.town1_org, code, name)
        case = plan_support.screened_and_identified(campaign, org, town1, county)
        clerk = world.users["clerk1"]  # drafts and submits: town1 passes only plans it did not write
        return plan_support.submit(plan_support.ready_plan(case, clerk), clerk)

    township_review = village_plan("V0104", "北关村党支部")
    county_approval = plan_support.review(village_plan("V0105", "新庄村党支部"), town1, "township")
    returned_plan = plan_support.review(village_plan("V0106", "柳林村党支部"), town1, "township")
    returned_plan = plan_support.review(returned_plan, county, "county", "return", PLAN_RETURN_NOTE)
    case_m = plan_support.screened_and_identified(campaign, world.village_m, town2, county)
    clerk2 = world.users["clerk2"]
    town2_review = plan_support.submit(plan_support.ready_plan(case_m, clerk2), clerk2)

    notice = published_plan(campaign, add_village(world.town1_org, "V0107", "杨庄村党支部"), published=True)
    comment = comment_on(notice, body="建议把村务公开栏移到村委会门口。")

    plan_e = approved_plan(campaign, world.village_e)
    due_task = make_task(plan_e, days_left=3, order=1, title="选齐配强村党支部书记")
    overdue_task = make_task(plan_e, days_left=-4, order=2, title="规范三会一课")
    done_task = make_task(plan_e, days_left=-10, order=3, title="整理党员档案", status="done", progress=100)
    later_task = make_task(plan_e, days_left=30, order=4, title="流转土地种植艾草")
    extension = ExtensionRequest.objects.create(
        task=overdue_task,
        old_deadline=overdue_task.deadline,
        new_deadline=timezone.localdate(),
        reason="雨季施工推迟",
        requested_by=branch1,
    )
    leader_task = make_task(approved_plan(campaign, world.village_n), days_left=5, title="落实联系领导每月走访")
    return Busy(
        proposal=proposal,
        returned_case=returned_case,
        township_review=township_review,
        county_approval=county_approval,
        returned_plan=returned_plan,
        town2_review=town2_review,
        comment=comment,
        extension=extension,
        due_task=due_task,
        overdue_task=overdue_task,
        done_task=done_task,
        later_task=later_task,
        leader_task=leader_task,
    )
