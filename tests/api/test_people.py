from zhengdun.audit.models import AuditEvent
from zhengdun.organizations.models import Person, Post


def test_it_lists_people_in_scope(world, api_as, town1, town2):
    assert [p["name"] for p in api_as(town1).get("/people").json()["items"]] == ["王建国"]
    assert api_as(town2).get("/people").json()["count"] == 0


def test_it_shows_full_phone_to_the_county(world, api_as, county):
    Person.objects.filter(pk=world.secretary_e.pk).update(id_number="370102198001011234")
    body = api_as(county).get(f"/people/{world.secretary_e.pk}").json()
    assert body["phone"] == "13812345678"
    assert body["id_number"] == "370102198001011234"


def test_it_masks_phone_and_id_number_for_a_branch_operator(world, api_as, branch1):
    Person.objects.filter(pk=world.secretary_e.pk).update(id_number="370102198001011234")
    api = api_as(branch1)
    body = api.get(f"/people/{world.secretary_e.pk}").json()
    assert body["phone"] == "138****5678"
    assert body["id_number"] == "3701**********1234"
    assert api.get("/people").json()["items"][0]["phone"] == "138****5678"


def test_it_shows_the_posts_of_a_person(world, api_as, county):
    body = api_as(county).get(f"/people/{world.secretary_e.pk}").json()
    assert [(p["organization"]["name"], p["role_label"]) for p in body["posts"]] == [("东关村党支部", "党组织书记")]


def test_it_hides_a_person_of_another_township(world, api_as, town2):
    assert api_as(town2).get(f"/people/{world.secretary_e.pk}").status_code == 404
    response = api_as(town2).patch(f"/people/{world.secretary_e.pk}", {"name": "改名"})
    assert response.status_code == 404
    world.secretary_e.refresh_from_db()
    assert world.secretary_e.name == "王建国"


def test_it_lets_a_contact_leader_see_only_posts_in_its_scope(world, api_as, leader1):
    Post.objects.create(person=world.leader_person, organization=world.village_e, role="instructor")
    body = api_as(leader1).get(f"/people/{world.leader_person.pk}").json()
    assert [p["organization"]["name"] for p in body["posts"]] == ["北河村党支部"]


def test_it_registers_a_person(world, api_as, town1):
    response = api_as(town1).post(
        "/people", {"organization_id": world.village_w.pk, "name": "赵书记", "phone": "13700001234", "unit": "西关村"}
    )
    assert response.status_code == 201
    person = Person.objects.get(name="赵书记")
    assert person.organization == world.village_w and person.phone == "13700001234"
    assert AuditEvent.objects.filter(object_type="organizations.person", object_id=str(person.pk), action="create").exists()


def test_it_refuses_a_malformed_phone_in_chinese(world, api_as, town1):
    response = api_as(town1).post("/people", {"organization_id": world.village_w.pk, "name": "赵书记", "phone": "12345"})
    assert response.status_code == 400
    assert response.json()["detail"] == "电话号码格式不正确，应为 11 位手机号或带区号的固定电话"


def test_it_refuses_registering_in_another_township(world, api_as, town2):
    response = api_as(town2).post("/people", {"organization_id": world.village_w.pk, "name": "赵书记"})
    assert response.status_code == 404
    assert not Person.objects.filter(name="赵书记").exists()


def test_it_refuses_a_branch_operator_registering_with_403(world, api_as, branch1):
    response = api_as(branch1).post("/people", {"organization_id": world.village_e.pk, "name": "赵书记"})
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有登记人员的权限"


def test_it_updates_a_person(world, api_as, town1):
    response = api_as(town1).patch(f"/people/{world.secretary_e.pk}", {"title": "村党支部书记"})
    assert response.status_code == 200
    assert response.json()["title"] == "村党支部书记"
    world.secretary_e.refresh_from_db()
    assert world.secretary_e.title == "村党支部书记" and world.secretary_e.phone == "13812345678"


def test_it_lists_the_posts_of_an_organization(world, api_as, town1, town2):
    body = api_as(town1).get(f"/organizations/{world.village_e.pk}/posts").json()
    assert [(p["person"]["name"], p["role"]) for p in body["items"]] == [("王建国", "secretary")]
    assert api_as(town2).get(f"/organizations/{world.village_e.pk}/posts").status_code == 404


def test_it_assigns_and_ends_a_post(world, api_as, town1):
    api = api_as(town1)
    person = Person.objects.create(name="钱副书记", organization=world.village_w)
    response = api.post(
        f"/organizations/{world.village_w.pk}/posts",
        {"person_id": person.pk, "role": "deputy_secretary", "started_on": "2026-01-01"},
    )
    assert response.status_code == 201
    assert response.json()["role_label"] == "党组织副书记"
    post_id = response.json()["id"]
    response = api.post(f"/posts/{post_id}/end", {"ended_on": "2026-06-30", "note": "期满轮换"})
    assert response.status_code == 200
    post = Post.objects.get(pk=post_id)
    assert str(post.ended_on) == "2026-06-30" and post.note == "期满轮换"


def test_it_refuses_ending_a_post_before_it_started(world, api_as, town1):
    post = Post.objects.get(person=world.secretary_e)
    Post.objects.filter(pk=post.pk).update(started_on="2024-01-01")
    response = api_as(town1).post(f"/posts/{post.pk}/end", {"ended_on": "2023-12-31"})
    assert response.status_code == 400
    assert response.json()["detail"] == "任职截止日期不能早于起始日期"


def test_it_refuses_post_writes_out_of_scope(world, api_as, town2):
    api = api_as(town2)
    post = Post.objects.get(person=world.secretary_e)
    assert api.post(f"/posts/{post.pk}/end", {"ended_on": "2026-06-30"}).status_code == 404
    response = api.post(f"/organizations/{world.village_e.pk}/posts", {"person_id": world.secretary_e.pk, "role": "secretary"})
    assert response.status_code == 404
    assert Post.objects.filter(person=world.secretary_e, ended_on__isnull=True).count() == 1
