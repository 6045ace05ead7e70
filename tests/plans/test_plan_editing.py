import pytest

from tests.plans.plan_support import approved, ready_plan, screened_and_identified, submit
from zhengdun.audit.models import AuditEvent
from zhengdun.campaigns.models import Criterion
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.plans import services
from zhengdun.plans.models import Plan, PlanStatus


@pytest.fixture
def case(world, campaign, town1, county):
    return screened_and_identified(campaign, world.village_e, town1, county)


@pytest.fixture
def plan(case, town1):
    return services.plan_create(case=case, actor=town1, from_findings=True)


def test_it_saves_the_sections_and_bumps_the_version(plan, town1):
    plan = services.plan_update(
        plan=plan, actor=town1, expected_version=1, goals="年内村集体经济收入达到 10 万元。\r\n班子团结。", causes="观念落后"
    )
    assert plan.version == 2
    assert plan.goals == "年内村集体经济收入达到 10 万元。\n班子团结。"
    assert plan.causes == "观念落后"
    assert plan.problems.startswith("1. ")  # untouched sections keep their text
    event = AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk), action="update").get()
    assert set(event.after) == {"goals", "causes", "version"}


def test_it_refuses_a_stale_edit_and_keeps_the_other_users_text(plan, town1, branch1):
    services.plan_update(plan=plan, actor=branch1, expected_version=1, goals="支部写的目标")
    with pytest.raises(ConflictError) as exc:
        services.plan_update(plan=plan, actor=town1, expected_version=1, goals="乡镇写的目标", causes="乡镇写的原因")
    assert exc.value.message.startswith("该方案已被他人修改")
    assert exc.value.status == 409
    plan.refresh_from_db()
    assert (plan.goals, plan.causes, plan.version) == ("支部写的目标", "", 2)
    assert AuditEvent.objects.filter(object_type="plans.plan", action="update").count() == 1


def test_it_requires_a_title(plan, town1):
    with pytest.raises(ServiceError) as exc:
        services.plan_update(plan=plan, actor=town1, expected_version=1, title="  ")
    assert exc.value.message == "请填写方案标题"
    plan.refresh_from_db()
    assert plan.version == 1 and plan.title.startswith("关于")


def test_it_links_problems_to_the_campaigns_criteria_only(world, plan, town1, county):
    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    foreign = Criterion.objects.filter(campaign=own).first()
    with pytest.raises(ServiceError) as exc:
        services.plan_update(plan=plan, actor=town1, expected_version=1, criteria_ids=[foreign.pk])
    assert exc.value.message == "所选认定标准不属于本次整顿工作"
    vacant = Criterion.objects.get(campaign=plan.case.campaign, code="1.2")
    plan = services.plan_update(plan=plan, actor=town1, expected_version=1, criteria_ids=[vacant.pk])
    assert list(plan.criteria.values_list("code", flat=True)) == ["1.2"]


def test_it_refuses_edits_while_under_review(case, town1):
    plan = submit(ready_plan(case, town1), town1)
    with pytest.raises(ServiceError) as exc:
        services.plan_update(plan=plan, actor=town1, expected_version=plan.version, goals="改")
    assert exc.value.message == "方案当前状态为“待乡镇审核”，审核期间不能修改"
    plan.refresh_from_db()
    assert plan.goals.startswith("年内选齐")


def test_it_sends_an_edited_approved_plan_back_through_review(case, town1, county):
    plan = approved(case, town1, county)
    first = plan.approved_version
    plan = services.plan_update(plan=plan, actor=town1, expected_version=plan.version, goals="提高目标：收入 15 万元。")
    assert plan.status == PlanStatus.DRAFT
    assert plan.approved_version == first  # tasks keep running on the approved text meanwhile
    note = AuditEvent.objects.filter(object_type="plans.plan", action="update").latest("id").note
    assert note == "修改已批准的方案，方案转为草稿，须重新审核"


def test_it_refuses_editing_without_the_permission(plan, inspector1):
    with pytest.raises(NotPermitted) as exc:
        services.plan_update(plan=plan, actor=inspector1, expected_version=1, goals="x")
    assert exc.value.message == "您没有修改整顿方案的权限"
    assert Plan.objects.get().goals == ""
