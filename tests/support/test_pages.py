"""The 帮扶力量 page of an organization and the county overview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import Organization, Person, Post
from zhengdun.support.models import SupportUnit


def board_url(org) -> str:
    return reverse("support:board", args=[org.pk])


def test_it_links_the_page_from_the_organization(world, as_user, branch1):
    page = as_user(branch1).get(reverse("organizations:detail", args=[world.village_e.pk])).content.decode()
    assert board_url(world.village_e) in page


def test_it_shows_current_and_ended_support_with_masked_phones(world, as_user, branch1, town1, holder):
    holder(world.village_e, PostRole.FIRST_SECRETARY, name="孙第一")
    ended = holder(world.village_e, PostRole.WORK_TEAM, name="钱已撤")
    Post.objects.filter(pk=ended.pk).update(ended_on="2026-01-31", note="期满轮换")
    SupportUnit.objects.create(organization=world.village_e, unit_name="县农业农村局")
    page = as_user(branch1).get(board_url(world.village_e)).content.decode()
    assert "孙第一" in page and "137****1234" in page and "13700001234" not in page
    assert "钱已撤" in page and "期满轮换" in page and "县农业农村局" in page
    assert "安排帮扶力量" not in page, "a branch operator only reads"
    assert "13700001234" in as_user(town1).get(board_url(world.village_e)).content.decode()


def test_it_assigns_with_a_person_entered_on_the_spot_and_shows_the_warnings(world, as_user, county):
    client = as_user(county)
    response = client.post(
        reverse("support:add", args=[world.village_e.pk]),
        {"role": "contact_leader", "person": world.leader_person.pk, "started_on": "2026-03-01", "note": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "已安排联系领导：李联系" in page
    assert "李联系联系了 2 个村（社区）（东关村党支部、北河村党支部），县级领导应只联系 1 个整顿重点村（社区）" in page
    response = client.post(
        reverse("support:add", args=[world.village_e.pk]),
        {"role": "work_team", "name": "郑队员", "phone": "13512345678", "unit": "县委组织部", "title": "科员"},
    )
    assert response.status_code == 302
    post = Post.objects.get(person__name="郑队员")
    assert post.organization == world.village_e and post.person.organization == world.county_org


def test_it_shows_a_refusal_on_the_page_and_writes_nothing(world, as_user, town1):
    response = as_user(town1).post(reverse("support:add", args=[world.village_e.pk]), {"role": "work_team"})
    assert response.status_code == 200
    assert "请选择已登记的人员，或填写新人员的姓名（二选一）" in response.content.decode()
    assert not Post.objects.filter(role=PostRole.WORK_TEAM).exists()


def test_it_keeps_a_township_out_of_town2s_village_and_people(world, as_user, town1):
    client = as_user(town1)
    assert client.get(board_url(world.village_n)).status_code == 404
    response = client.post(reverse("support:add", args=[world.village_n.pk]), {"role": "work_team", "name": "郑队员"})
    assert response.status_code == 404
    northern = Person.objects.create(name="冯北河", organization=world.village_n)
    response = client.post(reverse("support:add", args=[world.village_e.pk]), {"role": "work_team", "person": northern.pk})
    assert response.status_code == 200 and "冯北河" not in response.content.decode()
    assert not Post.objects.filter(role=PostRole.WORK_TEAM).exists() and not Person.objects.filter(name="郑队员").exists()


def test_it_asks_for_a_reason_to_end_a_contact_leader_link(world, as_user, county):
    post = Post.objects.get(person=world.leader_person)
    url = reverse("support:end", args=[world.village_n.pk, post.pk])
    client = as_user(county)
    assert "联系领导调整须说明原因" in client.get(url).content.decode()
    response = client.post(url, {"ended_on": "2026-06-30", "reason": ""})
    assert response.status_code == 200 and "联系领导调整须说明原因" in response.content.decode()
    post.refresh_from_db()
    assert post.ended_on is None
    response = client.post(url, {"ended_on": "2026-06-30", "reason": "工作调动"}, follow=True)
    assert "已结束联系领导李联系的任职" in response.content.decode()
    post.refresh_from_db()
    assert str(post.ended_on) == "2026-06-30" and post.note == "工作调动"


def test_it_pairs_and_ends_a_supporting_department_on_the_page(world, as_user, town1):
    client = as_user(town1)
    response = client.post(
        reverse("support:unit_add", args=[world.village_e.pk]),
        {"unit_name": "县农业农村局", "head": world.secretary_e.pk, "started_on": "2026-01-01"},
        follow=True,
    )
    assert "已新增联建部门：县农业农村局" in response.content.decode()
    unit = SupportUnit.objects.get()
    response = client.post(
        reverse("support:unit_end", args=[world.village_e.pk, unit.pk]), {"ended_on": "2026-06-30", "reason": ""}
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert str(unit.ended_on) == "2026-06-30"


def test_it_lists_a_key_case_lacking_a_leader_on_the_overview(world, as_user, county, town2, campaign, listed):
    listed(world.village_e, is_key=True)
    listed(world.village_n, is_key=True)
    listed(world.village_w, state=CaseState.DELISTED, is_key=True)
    url = reverse("support:overview")
    page = as_user(county).get(url).content.decode()
    section = page.split('data-testid="key-without-leader"')[1].split("</table>")[0]
    assert "东关村党支部" in section and "北河村党支部" not in section and "西关村党支部" not in section
    unsupported = page.split('data-testid="unsupported"')[1].split("</table>")[0]
    assert "东关村党支部" in unsupported and "第一书记、工作队或驻村干部" in unsupported
    assert "东关村党支部" not in as_user(town2).get(url).content.decode()


def test_it_lists_leaders_linking_too_many_points_on_the_overview(world, as_user, county):
    Post.objects.create(person=world.leader_person, organization=world.village_e, role=PostRole.CONTACT_LEADER)
    page = as_user(county).get(reverse("support:overview")).content.decode()
    assert "李联系联系了 2 个村（社区）（东关村党支部、北河村党支部），县级领导应只联系 1 个整顿重点村（社区）" in page


def _grow(world, campaign, county, start: int, rows: int) -> None:
    town = Organization.objects.get(pk=world.town1_org.pk)
    for i in range(start, start + rows):
        org = Organization.objects.add_child(
            Organization.objects.get(pk=town.pk),
            instance=Organization(code=f"Q{i:03}", name=f"新村{i}", parent=town, level="village"),
        )
        Case.objects.create(campaign=campaign, organization=org, state=CaseState.RECTIFYING, is_key=True, created_by=county)
        leader = Person.objects.create(name=f"领导{i}", organization=world.county_org)
        Post.objects.create(person=leader, organization=org, role=PostRole.CONTACT_LEADER_DEPUTY)
        Post.objects.create(person=leader, organization=world.village_e, role=PostRole.CONTACT_LEADER)
        Post.objects.create(person=leader, organization=world.village_w, role=PostRole.CONTACT_LEADER)


@pytest.mark.parametrize("url_name", ["support:overview", "support:board"])
def test_it_keeps_queries_flat_as_rows_grow(world, campaign, county, as_user, url_name, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(county)
    url = reverse(url_name, args=[world.village_e.pk] if url_name.endswith("board") else [])
    _grow(world, campaign, county, 0, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(world, campaign, county, 2, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "领导13" in page
