import pytest

from tests.plans_support import approved_plan
from zhengdun.audit.models import AuditEvent
from zhengdun.cases import services
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.plans.guards import ERR_PLAN_NOT_APPROVED


def walk_to(case, county, town1, until):
    steps = [
        ("propose", town1, {}),
        ("identify", county, {"filed_on": "2026-03-16"}),
        ("approve_plan", county, {}),
        ("start", town1, {}),
        ("request_acceptance", town1, {"note": "已完成整改"}),
        ("pass", county, {"note": "验收合格", "satisfaction": "86.5"}),
    ]
    for action, actor, extra in steps:
        if action == "approve_plan":
            # The county's approval of the plan takes the case's step.
            approved_plan(case, county=county, town=town1)
        else:
            case = services.case_transition(case=case, action=action, actor=actor, **extra)
        if case.state == until:
            break
    return case


def test_it_walks_a_case_to_delisting_with_an_event_per_step(world, campaign, county, town1):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = walk_to(case, county, town1, CaseState.DELISTED)
    assert case.state == CaseState.DELISTED
    assert str(case.filed_on) == "2026-03-16"
    assert case.delisted_on is not None
    assert str(case.last_satisfaction) == "0.865"
    events = list(CaseEvent.objects.filter(case=case).values_list("action", "actor__username"))
    assert events == [
        ("open", "town1"),
        ("propose", "town1"),
        ("identify", "county"),
        ("approve_plan", "county"),
        ("start", "town1"),
        ("request_acceptance", "town1"),
        ("pass", "county"),
    ]
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action="transition").count() == 6


def test_it_refuses_an_illegal_transition_and_changes_nothing(world, campaign, town1, county):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    with pytest.raises(ServiceError) as exc:
        services.case_transition(case=case, action="pass", actor=county, note="x", satisfaction="90")
    assert exc.value.message == "当前状态为“已排查”，不能执行“验收通过并销号”"
    case.refresh_from_db()
    assert case.state == CaseState.SCREENED and case.version == 1
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_it_refuses_a_township_identifying_its_own_proposal(world, campaign, town1):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = services.case_transition(case=case, action="propose", actor=town1)
    with pytest.raises(NotPermitted) as exc:
        services.case_transition(case=case, action="identify", actor=town1)
    assert exc.value.message == "您没有执行“认定备案”的权限"


def test_it_requires_a_reason_to_return_a_proposal(world, campaign, town1, county):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = services.case_transition(case=case, action="propose", actor=town1)
    with pytest.raises(ServiceError) as exc:
        services.case_transition(case=case, action="return", actor=county, note="  ")
    assert exc.value.message == services.ERR_NOTE_REQUIRED
    case = services.case_transition(case=case, action="return", actor=county, note="材料不实")
    assert case.state == CaseState.SCREENED


def test_it_tells_the_second_of_two_concurrent_deciders(world, campaign, town1, county):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = services.case_transition(case=case, action="propose", actor=town1)
    seen_version = case.version
    services.case_transition(case=Case.objects.get(pk=case.pk), action="identify", actor=county, expected_version=seen_version)
    with pytest.raises(ConflictError) as exc:
        services.case_transition(case=case, action="return", actor=county, note="退回", expected_version=seen_version)
    assert "已被他人处理" in exc.value.message
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED
    assert CaseEvent.objects.filter(case=case, action="return").count() == 0


def test_it_sends_a_case_below_the_satisfaction_threshold_back(world, campaign, town1, county):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = walk_to(case, county, town1, CaseState.ACCEPTANCE_REQUESTED)
    with pytest.raises(ServiceError) as exc:
        services.case_transition(case=case, action="pass", actor=county, note="验收", satisfaction="65")
    assert exc.value.message == "群众满意度 65.0% 低于本次整顿工作的合格线 70%，不能验收销号，应重新整顿"
    case = services.case_transition(case=case, action="fail", actor=county, note="满意度不足", satisfaction="65")
    assert case.state == CaseState.RE_RECTIFYING
    case = services.case_transition(case=case, action="request_acceptance", actor=town1, note="再次申请")
    assert case.state == CaseState.ACCEPTANCE_REQUESTED


def test_it_relists_a_delisted_organization_that_relapses(world, campaign, town1, county):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = walk_to(case, county, town1, CaseState.DELISTED)
    case = services.case_transition(case=case, action="consolidate", actor=town1)
    case = services.case_transition(case=case, action="relist", actor=county, note="问题反弹")
    assert case.state == CaseState.RELISTED
    case = services.case_transition(case=case, action="restart", actor=town1)
    assert case.state == CaseState.RECTIFYING


def test_it_refuses_listing_an_organization_twice_in_one_campaign(world, campaign, town1):
    services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    with pytest.raises(ServiceError) as exc:
        services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    assert exc.value.message == services.ERR_ALREADY_OPEN
    assert Case.objects.filter(organization=world.village_e).count() == 1


def test_it_hides_organizations_outside_the_subtree_from_services(world, campaign, town2):
    from django.http import Http404

    with pytest.raises(Http404):
        services.case_open(campaign=campaign, organization=world.village_e, actor=town2)
    assert not Case.objects.exists()


def test_it_refuses_to_approve_a_case_without_an_approved_plan(world, campaign, town1, county):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = walk_to(case, county, town1, CaseState.IDENTIFIED)
    with pytest.raises(ServiceError) as exc:
        services.case_transition(case=case, action="approve_plan", actor=county)
    assert exc.value.message == ERR_PLAN_NOT_APPROVED
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED and case.version == 3
    assert not CaseEvent.objects.filter(case=case, action="approve_plan").exists()
    assert not AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), note__startswith="批准整顿方案"
    ).exists()


def test_it_approves_a_case_whose_plan_the_county_approved(world, campaign, town1, county):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = walk_to(case, county, town1, CaseState.IDENTIFIED)
    approved_plan(case, county=county, town=town1, move_case=False)
    case = services.case_transition(case=case, action="approve_plan", actor=county)
    assert case.state == CaseState.PLAN_APPROVED


def test_it_refuses_to_open_a_case_in_a_draft_campaign_saying_it_is_a_draft(world, county, town1):
    from zhengdun.campaigns.services import campaign_create_from_template

    draft = campaign_create_from_template(
        template_key="subdistrict_2018", scope=world.county_org, start_year=2026, actor=county, draft=True
    )
    with pytest.raises(ServiceError) as exc:
        services.case_open(campaign=draft, organization=world.village_e, actor=town1)
    assert exc.value.message == services.ERR_CAMPAIGN_DRAFT
    assert not Case.objects.filter(campaign=draft).exists()
