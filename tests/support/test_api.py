"""/api/v1 for assignments and supporting departments, under the same scoping."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import Person, Post
from zhengdun.support.models import SupportUnit


def test_it_lists_current_and_ended_with_masked_phones_and_warnings(world, api_as, branch1, town1, campaign, listed, holder):
    listed(world.village_e, is_key=True)
    holder(world.village_e, PostRole.FIRST_SECRETARY, name="孙第一")
    ended = holder(world.village_e, PostRole.WORK_TEAM, name="钱已撤")
    Post.objects.filter(pk=ended.pk).update(ended_on="2026-01-31", note="期满轮换")
    body = api_as(branch1).get(f"/organizations/{world.village_e.pk}/assignments").json()
    assert body["organization"] == {"id": world.village_e.pk, "name": "东关村党支部"}
    assert [(a["role_label"], a["person"]["name"], a["person"]["phone"]) for a in body["current"]] == [
        ("第一书记", "孙第一", "137****1234")
    ]
    assert [(a["person"]["name"], a["ended_on"], a["note"]) for a in body["ended"]] == [("钱已撤", "2026-01-31", "期满轮换")]
    assert body["warnings"] == [
        f"“东关村党支部”是重点整顿对象（{campaign.name}），尚未明确联系领导",
        f"“东关村党支部”正在整顿（{campaign.name}），尚未派驻工作队或驻村干部",
    ]
    body = api_as(town1).get(f"/organizations/{world.village_e.pk}/assignments").json()
    assert body["current"][0]["person"]["phone"] == "13700001234"


def test_it_assigns_a_picked_person_and_answers_with_the_warnings(world, api_as, county):
    response = api_as(county).post(
        f"/organizations/{world.town1_org.pk}/assignments",
        {"role": "contact_leader", "person_id": world.leader_person.pk, "started_on": "2026-03-01", "note": "县委确定"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["assignment"]["role_label"] == "联系领导" and body["assignment"]["person"]["name"] == "李联系"
    assert body["warnings"] == ["李联系联系的“北河村党支部”不在其联系的乡镇（街道）（城关镇）之内"]
    assert Post.objects.filter(organization=world.town1_org, person=world.leader_person, note="县委确定").exists()


def test_it_assigns_a_person_entered_on_the_spot(world, api_as, town1):
    response = api_as(town1).post(
        f"/organizations/{world.village_w.pk}/assignments",
        {
            "role": "instructor",
            "name": "周老",
            "phone": "13611112222",
            "unit": "退休干部",
            "person_organization_id": world.village_w.pk,
        },
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(name="周老")
    assert person.organization == world.village_w and response.json()["assignment"]["person"]["id"] == person.pk


def test_it_refuses_bad_assignments_with_the_reason(world, api_as, town1):
    api = api_as(town1)
    response = api.post(f"/organizations/{world.village_w.pk}/assignments", {"role": "work_team"})
    assert response.status_code == 400
    assert response.json()["detail"] == "请选择已登记的人员，或填写新人员的姓名（二选一）"
    response = api.post(f"/organizations/{world.village_w.pk}/assignments", {"role": "secretary", "name": "某人"})
    assert response.json()["detail"] == "“党组织书记”不属于帮扶力量，请在“安排任职”中办理"
    assert not Person.objects.filter(name="某人").exists()


def test_it_ends_a_contact_leader_link_only_with_a_reason(world, api_as, county):
    post = Post.objects.get(person=world.leader_person)
    api = api_as(county)
    response = api.post(f"/assignments/{post.pk}/end", {"ended_on": "2026-06-30"})
    assert response.status_code == 400 and response.json()["detail"] == "联系领导调整须说明原因"
    post.refresh_from_db()
    assert post.ended_on is None
    response = api.post(f"/assignments/{post.pk}/end", {"ended_on": "2026-06-30", "reason": "工作调动"})
    assert response.status_code == 200
    assert response.json()["assignment"]["ended_on"] == "2026-06-30" and response.json()["warnings"] == []


def test_it_answers_404_out_of_scope(world, api_as, town1, town2):
    api = api_as(town2)
    assert api.get(f"/organizations/{world.village_e.pk}/assignments").status_code == 404
    assert api.get(f"/organizations/{world.village_e.pk}/support-units").status_code == 404
    response = api.post(f"/organizations/{world.village_e.pk}/assignments", {"role": "work_team", "name": "郑队员"})
    assert response.status_code == 404 and response.json()["detail"] == "不存在或无权访问"
    northern = Person.objects.create(name="冯北河", organization=world.village_n)
    response = api_as(town1).post(
        f"/organizations/{world.village_e.pk}/assignments", {"role": "work_team", "person_id": northern.pk}
    )
    assert response.status_code == 404
    post = Post.objects.get(person=world.leader_person)
    assert api_as(town1).post(f"/assignments/{post.pk}/end", {"ended_on": "2026-06-30", "reason": "x"}).status_code == 404
    assert not Post.objects.filter(role=PostRole.WORK_TEAM).exists() and not Person.objects.filter(name="郑队员").exists()


def test_it_answers_403_without_the_right(world, api_as, branch1, holder):
    api = api_as(branch1)
    body = {"role": "work_team", "person_id": world.secretary_e.pk}
    response = api.post(f"/organizations/{world.village_e.pk}/assignments", body)
    assert response.status_code == 403 and response.json()["detail"] == "您没有安排帮扶力量的权限"
    post = holder(world.village_e, PostRole.WORK_TEAM)
    assert api.post(f"/assignments/{post.pk}/end", {"ended_on": "2026-06-30"}).status_code == 403
    assert api.post(f"/organizations/{world.village_e.pk}/support-units", {"unit_name": "县委办"}).status_code == 403
    assert not SupportUnit.objects.exists()


def test_it_pairs_lists_and_ends_supporting_departments(world, api_as, county, branch1):
    head = Person.objects.create(name="钱局长", phone="13900002222", organization=world.county_org)
    api = api_as(county)
    response = api.post(
        f"/organizations/{world.village_e.pk}/support-units",
        {"unit_name": "县农业农村局", "head_id": head.pk, "started_on": "2026-01-01"},
    )
    assert response.status_code == 201, response.content
    unit_id = response.json()["id"]
    body = api_as(branch1).get(f"/organizations/{world.village_e.pk}/support-units").json()
    assert [(u["unit_name"], u["head"]["phone"]) for u in body["current"]] == [("县农业农村局", "139****2222")]
    response = api.post(f"/support-units/{unit_id}/end", {"ended_on": "2026-06-30", "reason": "机构改革"})
    assert response.status_code == 200 and response.json()["note"] == "机构改革"
    body = api.get(f"/organizations/{world.village_e.pk}/support-units").json()
    assert body["current"] == [] and [u["unit_name"] for u in body["ended"]] == ["县农业农村局"]


def test_it_keeps_the_assignment_list_flat_as_rows_grow(world, api_as, county, django_assert_max_num_queries):
    api = api_as(county)
    url = f"/organizations/{world.village_e.pk}/assignments"

    def grow(start: int, rows: int) -> None:
        for i in range(start, start + rows):
            person = Person.objects.create(name=f"队员{i}", organization=world.town1_org)
            Post.objects.create(person=person, organization=world.village_e, role=PostRole.WORK_TEAM)
            Post.objects.create(person=person, organization=world.village_e, role=PostRole.INSTRUCTOR, ended_on="2025-12-31")

    grow(0, 2)
    api.get(url)
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    grow(2, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(url).json()
    assert len(body["current"]) == 14 and len(body["ended"]) == 14
