from decimal import Decimal

import pytest
from django.http import Http404

from tests.plans.plan_support import (
    NO_MEMBERS,
    NO_MEMBERS_EVIDENCE,
    VACANT,
    VACANT_EVIDENCE,
    identified_case,
    screened_and_identified,
)
from zhengdun.audit.models import AuditEvent
from zhengdun.cases.services import case_open, case_transition
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.organizations.models import Post
from zhengdun.organizations.services import person_create, post_assign
from zhengdun.plans import services
from zhengdun.plans.models import Plan, PlanStatus
from zhengdun.support.services import assignment_add


@pytest.fixture
def case(world, campaign, town1, county):
    return screened_and_identified(campaign, world.village_e, town1, county)


def test_it_drafts_from_findings_with_the_facts_the_system_holds(world, case, town1, leader1, county):
    assignment_add(organization=world.village_e, role="contact_leader", person=world.leader_person, actor=county)
    plan = services.plan_create(case=case, actor=town1, from_findings=True)
    assert plan.status == PlanStatus.DRAFT and plan.version == 1
    assert plan.title == "关于东关村党支部整顿提升工作的实施方案"
    assert plan.issuing_body == "城关镇"
    assert plan.basic_facts == "东关村现有居民 420 户，1530 人，其中党员 31 人，2025 年村集体经济收入 4.9 万元。"
    assert (plan.households, plan.population, plan.member_count, plan.income_wan) == (420, 1530, 31, Decimal("4.90"))
    assert plan.leading_group == "组长：李联系（联系领导）；副组长：王建国（党组织书记）"
    lines = plan.problems.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"1. {VACANT_EVIDENCE}（对应认定标准 {VACANT}：")
    assert lines[1].startswith(f"2. {NO_MEMBERS_EVIDENCE}（对应认定标准 {NO_MEMBERS}：")
    assert sorted(plan.criteria.values_list("code", flat=True)) == [VACANT, NO_MEMBERS]
    assert plan.created_by == town1
    event = AuditEvent.objects.get(object_type="plans.plan", object_id=str(plan.pk), action="create")
    assert event.note == "据排查发现起草整顿方案"
    assert "public_token" not in event.after


def test_it_drafts_a_blank_plan_with_facts_but_no_problems(case, town1):
    plan = services.plan_create(case=case, actor=town1, from_findings=False)
    assert plan.problems == ""
    assert plan.criteria.count() == 0
    assert plan.basic_facts.startswith("东关村现有居民 420 户")


def test_it_marks_unknown_figures_and_people_for_the_drafter(world, campaign, town1, county):
    case = identified_case(campaign, world.village_w, town1, county)
    plan = services.plan_create(case=case, actor=town1)
    assert plan.basic_facts == "西关村现有居民 260 户，990 人，其中党员 18 人，上年度村集体经济收入 （待填） 万元。"
    assert plan.leading_group == "组长：（待明确）（联系领导）；副组长：（待明确）（党组织书记）"


def test_it_ignores_posts_that_have_ended(world, case, town1, county):
    person = person_create(organization=world.village_e, actor=county, name="赵前任", phone="13700000001")
    post = post_assign(person=person, organization=world.village_e, role="secretary", actor=county)
    Post.objects.filter(pk=post.pk).update(started_on="2020-01-01", ended_on="2021-01-01")
    plan = services.plan_create(case=case, actor=town1)
    assert "赵前任" not in plan.leading_group and "王建国" in plan.leading_group


def test_it_refuses_from_findings_when_there_are_none(world, campaign, town1, county):
    case = identified_case(campaign, world.village_w, town1, county)
    with pytest.raises(ServiceError) as exc:
        services.plan_create(case=case, actor=town1, from_findings=True)
    assert exc.value.message == services.ERR_NO_FINDINGS == "该整顿对象没有排查发现，不能据此生成方案，请从空白方案开始"
    assert not Plan.objects.exists()


def test_it_refuses_a_second_plan_for_the_case(case, town1):
    services.plan_create(case=case, actor=town1)
    with pytest.raises(ServiceError) as exc:
        services.plan_create(case=case, actor=town1, from_findings=True)
    assert exc.value.message == "该整顿对象已有整顿方案，不能重复制定，请在原方案上修改"
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("steps", [[], ["propose"]])
def test_it_refuses_a_case_not_yet_identified(world, campaign, town1, steps):
    case = case_open(campaign=campaign, organization=world.village_w, actor=town1)
    for action in steps:
        case = case_transition(case=case, action=action, actor=town1)
    with pytest.raises(ServiceError) as exc:
        services.plan_create(case=case, actor=town1)
    assert exc.value.message == f"整顿对象当前状态为“{case.get_state_display()}”，认定备案后才能制定整顿方案"
    assert not Plan.objects.exists()


def test_it_refuses_a_removed_case(case, town1, county):
    case = case_transition(case=case, action="request_removal", actor=town1, note="已整改到位")
    case = case_transition(case=case, action="approve_removal", actor=county, note="同意")
    with pytest.raises(ServiceError) as exc:
        services.plan_create(case=case, actor=town1)
    assert exc.value.message == "整顿对象当前状态为“已移出”，认定备案后才能制定整顿方案"


def test_it_lets_the_branch_draft_for_its_own_village(case, branch1):
    plan = services.plan_create(case=case, actor=branch1, from_findings=True)
    assert plan.created_by == branch1


def test_it_hides_other_villages_from_the_branch(world, campaign, town1, county, branch1):
    other = identified_case(campaign, world.village_w, town1, county)
    with pytest.raises(Http404):
        services.plan_create(case=other, actor=branch1)
    assert not Plan.objects.exists()


def test_it_hides_town1s_case_from_town2(case, town2):
    with pytest.raises(Http404):
        services.plan_create(case=case, actor=town2)


def test_it_refuses_drafting_without_the_permission(world, case, inspector1):
    with pytest.raises(NotPermitted) as exc:
        services.plan_create(case=case, actor=inspector1)
    assert exc.value.message == "您没有制定整顿方案的权限"
    assert not Plan.objects.exists()
