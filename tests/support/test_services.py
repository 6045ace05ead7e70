"""Assigning and ending support, and pairing departments: scope, rights, refusals."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404

from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import forget, scope_for
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import Person, Post
from zhengdun.support import services
from zhengdun.support.models import SupportUnit

D = datetime.date


def test_it_assigns_a_first_secretary_registered_on_the_spot(world, town1):
    outcome = services.assignment_add(
        organization=world.village_w,
        role=PostRole.FIRST_SECRETARY,
        actor=town1,
        new_person={"name": "孙第一", "phone": "13611112222", "unit": "县财政局", "title": "副局长"},
        note="县直选派",
    )
    post = outcome.obj
    assert post.role == PostRole.FIRST_SECRETARY and post.started_on is not None and post.note == "县直选派"
    # The record is kept by the unit that entered it.
    assert post.person.organization == world.town1_org and post.person.unit == "县财政局"
    assert AuditEvent.objects.filter(object_type="organizations.person", object_id=str(post.person.pk)).exists()
    assert AuditEvent.objects.get(object_type="organizations.post", object_id=str(post.pk)).note == "安排帮扶力量"


def test_it_refuses_a_second_first_secretary_and_writes_nothing(world, town1, holder):
    holder(world.village_w, PostRole.FIRST_SECRETARY, name="孙第一")
    with pytest.raises(ServiceError) as exc:
        services.assignment_add(
            organization=world.village_w, role=PostRole.FIRST_SECRETARY, actor=town1, new_person={"name": "吴第一"}
        )
    assert exc.value.message == "“西关村党支部”已有第一书记孙第一，请先结束其任职再安排新的人选"
    assert not Person.objects.filter(name="吴第一").exists()


def test_it_lets_a_work_team_have_several_members_but_not_one_twice(world, town1):
    first = services.assignment_add(organization=world.village_w, role=PostRole.WORK_TEAM, actor=town1, person=world.secretary_e)
    services.assignment_add(organization=world.village_w, role=PostRole.WORK_TEAM, actor=town1, new_person={"name": "郑队员"})
    with pytest.raises(ServiceError) as exc:
        services.assignment_add(organization=world.village_w, role=PostRole.WORK_TEAM, actor=town1, person=world.secretary_e)
    assert exc.value.message == "王建国已是“西关村党支部”的工作队员"
    assert Post.objects.filter(organization=world.village_w, role=PostRole.WORK_TEAM).count() == 2
    assert first.warnings == []


def test_it_refuses_the_same_person_as_a_and_b_post(world, county):
    services.assignment_add(organization=world.village_e, role=PostRole.CONTACT_LEADER, actor=county, person=world.leader_person)
    with pytest.raises(ServiceError) as exc:
        services.assignment_add(
            organization=world.village_e, role=PostRole.CONTACT_LEADER_DEPUTY, actor=county, person=world.leader_person
        )
    assert exc.value.message == "联系领导（A岗）和B岗不能是同一人"


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"new_person": {"name": " "}}, {"person": "secretary_e", "new_person": {"name": "郑队员"}}],
)
def test_it_wants_either_a_picked_person_or_a_new_name(world, town1, kwargs):
    if kwargs.get("person"):
        kwargs["person"] = world.secretary_e
    with pytest.raises(ServiceError) as exc:
        services.assignment_add(organization=world.village_w, role=PostRole.INSTRUCTOR, actor=town1, **kwargs)
    assert exc.value.message == "请选择已登记的人员，或填写新人员的姓名（二选一）"
    assert not Post.objects.filter(organization=world.village_w).exists()


def test_it_refuses_roles_that_are_not_support(world, town1):
    with pytest.raises(ServiceError) as exc:
        services.assignment_add(organization=world.village_w, role=PostRole.SECRETARY, actor=town1, person=world.secretary_e)
    assert exc.value.message == "“党组织书记”不属于帮扶力量，请在“安排任职”中办理"


def test_it_refuses_a_bad_phone_of_a_new_person(world, town1):
    with pytest.raises(ServiceError) as exc:
        services.assignment_add(
            organization=world.village_w, role=PostRole.WORK_TEAM, actor=town1, new_person={"name": "郑队员", "phone": "12"}
        )
    assert exc.value.message == "电话号码格式不正确，应为 11 位手机号或带区号的固定电话"
    assert not Person.objects.filter(name="郑队员").exists()


def test_it_keeps_a_township_out_of_another_townships_village(world, town1):
    with pytest.raises(Http404):
        services.assignment_add(organization=world.village_n, role=PostRole.WORK_TEAM, actor=town1, person=world.secretary_e)
    assert not Post.objects.filter(organization=world.village_n, role=PostRole.WORK_TEAM).exists()


def test_it_lets_a_township_pick_only_people_in_its_scope(world, town1, town2):
    northern = Person.objects.create(name="冯北河", organization=world.village_n)
    for person in (northern, world.leader_person):  # town2's person; a county leader kept at a county organ
        with pytest.raises(Http404):
            services.assignment_add(organization=world.village_e, role=PostRole.WORK_TEAM, actor=town1, person=person)
    assert not Post.objects.filter(organization=world.village_e, role=PostRole.WORK_TEAM).exists()


def test_it_lets_the_county_pick_a_leader_kept_at_a_county_organ(world, county):
    post = services.assignment_add(
        organization=world.town2_org, role=PostRole.CONTACT_LEADER, actor=county, person=world.leader_person
    ).obj
    assert post.person.organization == world.office


def test_it_forbids_a_branch_operator_to_assign_or_end(world, branch1, holder):
    with pytest.raises(NotPermitted):
        services.assignment_add(organization=world.village_e, role=PostRole.WORK_TEAM, actor=branch1, person=world.secretary_e)
    post = holder(world.village_e, PostRole.WORK_TEAM)
    with pytest.raises(NotPermitted):
        services.assignment_end(post=post, actor=branch1, ended_on=D(2026, 6, 30))


def test_it_grows_the_leaders_scope_when_linked(world, county, leader1):
    assert not scope_for(leader1).covers_path(world.town1_org.path)
    services.assignment_add(
        organization=world.town1_org, role=PostRole.CONTACT_LEADER_DEPUTY, actor=county, person=world.leader_person
    )
    forget(leader1)
    assert scope_for(leader1).covers_path(world.village_e.path)


def test_it_shrinks_the_leaders_scope_when_the_link_ends(world, county, leader1):
    post = Post.objects.get(person=world.leader_person)
    services.assignment_end(post=post, actor=county, ended_on=D(2026, 1, 31), reason="调整联系点")
    forget(leader1)
    assert not scope_for(leader1).covers_path(world.village_n.path)


def test_it_refuses_ending_twice_or_before_the_start(world, town1, holder):
    post = holder(world.village_e, PostRole.INSTRUCTOR, started_on=D(2026, 3, 1))
    with pytest.raises(ServiceError) as exc:
        services.assignment_end(post=post, actor=town1, ended_on=D(2026, 2, 1))
    assert exc.value.message == "任职截止日期不能早于起始日期"
    services.assignment_end(post=post, actor=town1, ended_on=D(2026, 4, 1))
    with pytest.raises(ServiceError) as exc:
        services.assignment_end(post=post, actor=town1, ended_on=D(2026, 5, 1))
    assert exc.value.message == "该任职已于 2026-04-01 结束"


def test_it_pairs_and_unpairs_a_supporting_department(world, county):
    head = Person.objects.create(name="钱局长", organization=world.county_org)
    unit = services.support_unit_add(
        organization=world.village_e, actor=county, unit_name=" 县农业农村局 ", head=head, started_on=D(2026, 1, 1)
    ).obj
    assert unit.unit_name == "县农业农村局"
    with pytest.raises(ServiceError) as exc:
        services.support_unit_add(organization=world.village_e, actor=county, unit_name="县农业农村局")
    assert exc.value.message == "“县农业农村局”已是“东关村党支部”的联建部门"
    with pytest.raises(ServiceError) as exc:
        services.support_unit_end(unit=unit, actor=county, ended_on=D(2025, 12, 31))
    assert exc.value.message == "联建截止日期不能早于起始日期"
    services.support_unit_end(unit=unit, actor=county, ended_on=D(2026, 6, 30), reason="机构改革")
    unit.refresh_from_db()
    assert unit.ended_on == D(2026, 6, 30) and unit.note == "机构改革"
    notes = list(AuditEvent.objects.filter(object_type="support.supportunit").order_by("id").values_list("note", flat=True))
    assert notes == ["新增联建部门", "结束联建关系；原因：机构改革"]


def test_it_refuses_a_nameless_department_or_a_head_out_of_scope(world, town1):
    with pytest.raises(ServiceError) as exc:
        services.support_unit_add(organization=world.village_e, actor=town1, unit_name="  ")
    assert exc.value.message == "请填写联建部门名称"
    with pytest.raises(Http404):
        services.support_unit_add(organization=world.village_e, actor=town1, unit_name="县委办", head=world.leader_person)
    assert not SupportUnit.objects.exists()


def test_it_holds_the_reason_rule_on_the_generic_post_end_too(world, county, campaign):
    from zhengdun.organizations.services import post_end

    post = Post.objects.get(person=world.leader_person)
    with pytest.raises(ServiceError) as exc:
        post_end(post=post, actor=county, ended_on=D(2026, 6, 30))
    assert exc.value.message == "联系领导调整须说明原因"
    Post.objects.filter(pk=post.pk).update(started_on=D(2026, 1, 1))
    post.refresh_from_db()
    post_end(post=post, actor=county, ended_on=D(2026, 6, 30), note="工作调动")
    event = AuditEvent.objects.get(object_type="organizations.post", object_id=str(post.pk), action="update")
    assert event.note == "联系点应一定 3 年不变：该联系自 2026-01-01 起，应保持至 2029-01-01，现于 2026-06-30 提前调整"
