import pytest
from django.http import Http404

from tests.screening.conftest import NO_MEMBERS, VACANT, criterion, save
from zhengdun.audit.models import AuditEvent
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.services import case_open, case_transition, case_update
from zhengdun.cases.states import CaseState
from zhengdun.core.errors import ServiceError
from zhengdun.screening import services


def test_it_proposes_a_weak_organization_with_its_findings_as_main_problems(world, campaign, town1, round1):
    vacant, members = criterion(campaign, VACANT), criterion(campaign, NO_MEMBERS)
    rec = save(round1, world.village_w, town1, findings={members.pk: "两年未发展党员", vacant.pk: "书记 3 月辞职"})
    case = services.record_propose(record=rec, actor=town1)
    assert (case.state, case.screening_record_id, case.campaign, case.organization) == (
        CaseState.PROPOSED,
        rec.pk,
        campaign,
        world.village_w,
    )
    assert case.main_problems == (
        "1.2 党组织书记长期缺职或不胜任现职、…：书记 3 月辞职\n2.4 不发展年轻党员或两年以上不发展党…：两年未发展党员"
    )
    assert list(CaseEvent.objects.filter(case=case).values_list("action", "actor__username")) == [
        ("open", "town1"),
        ("propose", "town1"),
    ]
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).count() == 3


def test_it_refuses_proposing_twice_and_duplicates_nothing(world, town1, round1):
    rec = save(round1, world.village_w, town1)
    services.record_propose(record=rec, actor=town1)
    with pytest.raises(ServiceError) as exc:
        services.record_propose(record=rec, actor=town1)
    assert exc.value.message == "该组织在本次整顿工作中已被拟定或认定（当前状态：拟定待认定），不能重复提出"
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(action="propose").count() == 1


def test_it_refuses_proposing_from_another_round_of_the_same_campaign(world, campaign, town1, county, round1):
    services.record_propose(record=save(round1, world.village_w, town1), actor=town1)
    county_round = services.round_open(campaign=campaign, jurisdiction=world.county_org, actor=county)
    with pytest.raises(ServiceError) as exc:
        services.record_propose(record=save(county_round, world.village_w, county), actor=county)
    assert "不能重复提出" in exc.value.message
    assert Case.objects.count() == 1


def test_it_refuses_proposing_an_organization_not_judged_weak(world, town1, round1):
    rec = save(round1, world.village_w, town1, conclusion="not_weak")
    with pytest.raises(ServiceError) as exc:
        services.record_propose(record=rec, actor=town1)
    assert exc.value.message == "只有研判结论为“软弱涣散”的组织才能提出拟定"
    assert not Case.objects.exists()


def test_it_hides_an_organization_outside_the_subtree(world, town1, town2, round1):
    rec = save(round1, world.village_w, town1)
    with pytest.raises(Http404):
        services.record_propose(record=rec, actor=town2)
    assert not Case.objects.exists()


def test_it_proposes_again_a_case_the_county_returned(world, campaign, town1, county, round1):
    rec = save(round1, world.village_w, town1)
    case = services.record_propose(record=rec, actor=town1)
    with pytest.raises(ServiceError) as exc:
        save(round1, world.village_w, town1, expected_version=1)
    assert exc.value.message == "该组织已据此记录提出拟定（当前状态：拟定待认定），排查记录不能再修改"
    case_transition(case=case, action="return", actor=county, note="证据不足，请补充")
    members = criterion(campaign, NO_MEMBERS)
    rec = save(round1, world.village_w, town1, findings={members.pk: "补充：两年未发展党员"}, expected_version=1)
    case = services.record_propose(record=rec, actor=town1)
    assert case.state == CaseState.PROPOSED and Case.objects.count() == 1
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == ["open", "propose", "return", "propose"]


def test_it_links_a_case_opened_before_the_screening_and_keeps_its_text(world, campaign, town1, round1):
    case = case_open(campaign=campaign, organization=world.village_w, actor=town1)
    case = case_update(case=case, actor=town1, expected_version=1, main_problems="班子不团结", measures="", is_key=False)
    rec = save(round1, world.village_w, town1)
    case = services.record_propose(record=rec, actor=town1)
    assert (case.state, case.screening_record_id, case.main_problems) == (CaseState.PROPOSED, rec.pk, "班子不团结")
    assert Case.objects.count() == 1
