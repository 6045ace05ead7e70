"""The seed rules about support, each as a warning with its exact sentence."""

from __future__ import annotations

import datetime

import pytest

from zhengdun.audit.models import AuditEvent
from zhengdun.cases.states import CaseState
from zhengdun.core.errors import ServiceError
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import Person, Post
from zhengdun.support import checks
from zhengdun.support.models import SupportUnit
from zhengdun.support.services import ERR_REASON_REQUIRED, assignment_add, assignment_end

D = datetime.date
TWO_VILLAGES = "李联系联系了 2 个村（社区）（东关村党支部、北河村党支部），县级领导应只联系 1 个整顿重点村（社区）"


def link(world, county, org, role=PostRole.CONTACT_LEADER, person=None, started_on=None):
    return assignment_add(organization=org, role=role, actor=county, person=person or world.leader_person, started_on=started_on)


# (a) one township and one key village per county leader


def test_it_warns_when_a_leader_links_a_second_village(world, county):
    outcome = link(world, county, world.village_e)
    assert outcome.warnings == [TWO_VILLAGES]
    assert Post.objects.filter(person=world.leader_person, role=PostRole.CONTACT_LEADER).count() == 2


def test_it_warns_when_a_leader_links_a_second_township(world, county):
    link(world, county, world.town2_org)
    outcome = link(world, county, world.town1_org)
    assert "李联系联系了 2 个乡镇（街道）（城关镇、河口镇），县级领导应只联系 1 个乡镇（街道）" in outcome.warnings


def test_it_warns_when_the_village_lies_outside_the_linked_township(world, county):
    outcome = link(world, county, world.town1_org)
    assert outcome.warnings == ["李联系联系的“北河村党支部”不在其联系的乡镇（街道）（城关镇）之内"]


def test_it_accepts_one_township_and_one_village_inside_it(world, county):
    assert link(world, county, world.town2_org).warnings == []
    assert checks.leader_link_warnings([world.leader_person.pk], viewer=county) == {}


def test_it_leaves_township_cadres_linking_several_villages_alone(world, town1):
    cadre = Person.objects.create(name="周包村", organization=world.town1_org)
    link(world, town1, world.village_e, person=cadre)
    assert link(world, town1, world.village_w, person=cadre).warnings == []


def test_it_counts_only_the_a_post_for_the_leader_rule(world, county):
    assert link(world, county, world.village_e, role=PostRole.CONTACT_LEADER_DEPUTY).warnings == []


def test_it_names_only_organizations_the_viewer_may_see(world, county, town2):
    link(world, county, world.village_e)
    warnings = checks.organization_warnings(world.village_n, viewer=town2)
    assert warnings == ["李联系联系了 2 个村（社区）（北河村党支部及另外 1 个组织），县级领导应只联系 1 个整顿重点村（社区）"]


def test_it_takes_its_limits_from_settings(world, county, settings):
    settings.ZHENGDUN_ASSIGNMENT_RULES = {"leader_max_villages": 2}
    assert link(world, county, world.village_e).warnings == []
    settings.ZHENGDUN_ASSIGNMENT_RULES = {"village_within_township": False}
    assert link(world, county, world.town1_org).warnings == [TWO_VILLAGES]


# (b) a link lasts the whole cycle, and changing it needs a reason


def test_it_refuses_to_end_a_contact_leader_link_without_a_reason(world, county, campaign):
    post = link(world, county, world.village_e, started_on=D(2025, 3, 1)).obj
    before = AuditEvent.objects.count()
    for role_post in (post, link(world, county, world.village_e, PostRole.CONTACT_LEADER_DEPUTY, world.secretary_e).obj):
        with pytest.raises(ServiceError) as exc:
            assignment_end(post=role_post, actor=county, ended_on=D(2026, 6, 30), reason="  ")
        assert exc.value.message == ERR_REASON_REQUIRED == "联系领导调整须说明原因"
        role_post.refresh_from_db()
        assert role_post.ended_on is None
    assert AuditEvent.objects.count() == before + 1  # only the deputy's assignment


def test_it_warns_and_audits_a_link_ended_before_the_cycle_is_over(world, county, campaign):
    post = link(world, county, world.village_e, started_on=D(2025, 3, 1)).obj
    outcome = assignment_end(post=post, actor=county, ended_on=D(2026, 6, 30), reason="工作调动")
    expected = "联系点应一定 3 年不变：该联系自 2025-03-01 起，应保持至 2028-03-01，现于 2026-06-30 提前调整"
    assert outcome.warnings == [expected]
    post.refresh_from_db()
    assert post.ended_on == D(2026, 6, 30) and post.note == "工作调动"
    event = AuditEvent.objects.filter(object_type="organizations.post", object_id=str(post.pk), action="update").get()
    assert event.note == f"结束帮扶力量任职，原因：工作调动；{expected}"
    assert event.after == {"ended_on": "2026-06-30", "note": "工作调动"}


def test_it_does_not_warn_when_the_cycle_is_over(world, county, campaign):
    post = link(world, county, world.village_e, started_on=D(2020, 1, 1)).obj
    assert assignment_end(post=post, actor=county, ended_on=D(2023, 6, 30), reason="期满轮换").warnings == []


def test_it_takes_the_cycle_from_the_campaign(world, county, campaign):
    campaign.cycle_years = 1
    campaign.save()
    post = link(world, county, world.village_e, started_on=D(2025, 3, 1)).obj
    assert assignment_end(post=post, actor=county, ended_on=D(2026, 6, 30), reason="期满").warnings == []


# Work teams stay until transformed (seed 004)


def test_it_warns_when_a_work_team_leaves_an_untransformed_organization(world, town1, listed, holder):
    listed(world.village_e, state=CaseState.RECTIFYING)
    post = holder(world.village_e, PostRole.WORK_TEAM)
    outcome = assignment_end(post=post, actor=town1, ended_on=D(2026, 6, 30))
    assert outcome.warnings == ["不转化不撤离：“东关村党支部”尚未整顿转化（整顿中），工作队员张队员不应撤离"]
    assert "不转化不撤离" in AuditEvent.objects.filter(object_id=str(post.pk), action="update").get().note


def test_it_lets_the_work_team_leave_once_delisted(world, town1, listed, holder):
    listed(world.village_e, state=CaseState.DELISTED)
    post = holder(world.village_e, PostRole.RESIDENT_CADRE)
    assert assignment_end(post=post, actor=town1, ended_on=D(2026, 6, 30)).warnings == []


# (c) key cases need a contact leader


def test_it_tells_whether_a_key_case_lacks_its_contact_leader(world, county, listed):
    case = listed(world.village_e, state=CaseState.PROPOSED, is_key=True)
    assert checks.key_case_missing_contact_leader(case)
    link(world, county, world.village_e, PostRole.CONTACT_LEADER_DEPUTY)
    assert checks.key_case_missing_contact_leader(case), "a B岗 deputy alone is not the contact leader"
    link(world, county, world.village_e, PostRole.CONTACT_LEADER, world.secretary_e)
    assert not checks.key_case_missing_contact_leader(case)


def test_it_reads_the_key_flag_being_set_in_the_same_step(world, listed):
    case = listed(world.village_w, state=CaseState.PROPOSED)
    assert not checks.key_case_missing_contact_leader(case)
    assert checks.key_case_missing_contact_leader(case, is_key=True)


def test_it_warns_when_the_last_contact_leader_of_a_key_case_leaves(world, county, campaign, listed):
    listed(world.village_n, is_key=True)
    post = Post.objects.get(person=world.leader_person)
    outcome = assignment_end(post=post, actor=county, ended_on=D(2026, 6, 30), reason="退休")
    assert f"“北河村党支部”是重点整顿对象（{campaign.name}），尚未明确联系领导" in outcome.warnings


def test_it_lists_the_organizations_warnings_on_its_page(world, county, campaign, listed):
    listed(world.village_e, is_key=True)
    assert checks.organization_warnings(world.village_e, viewer=county) == [
        f"“东关村党支部”是重点整顿对象（{campaign.name}），尚未明确联系领导",
        f"“东关村党支部”正在整顿（{campaign.name}），尚未选派第一书记",
        f"“东关村党支部”正在整顿（{campaign.name}），尚未派驻工作队或驻村干部",
    ]


def test_it_warns_about_the_paired_departments_head_after_three_years(world, county, campaign, listed):
    listed(world.village_e, filed_on=D(2022, 3, 1))
    head = Person.objects.create(name="钱局长", organization=world.county_org)
    SupportUnit.objects.create(organization=world.village_e, unit_name="县农业农村局", head=head, started_on=D(2022, 3, 1))
    warnings = checks.organization_warnings(world.village_e, viewer=county)
    assert "“东关村党支部”列入整顿已满 3 年仍未转化，联建部门“县农业农村局”主要领导钱局长不得晋升重用" in warnings
