from zhengdun.audit.models import AuditEvent
from zhengdun.organizations.models import Organization


def test_it_lists_the_subtree_of_a_township(world, api_as, town1):
    body = api_as(town1).get("/organizations").json()
    assert body["count"] == 4
    assert [o["code"] for o in body["items"]] == ["T01", "V0101", "V0102", "V0103"]


def test_it_filters_the_list(world, api_as, county):
    api = api_as(county)
    under = api.get("/organizations", under=world.town2_org.pk).json()
    assert [o["code"] for o in under["items"]] == ["T02", "V0201", "V0202"]
    assert api.get("/organizations", q="东关").json()["count"] == 1
    assert api.get("/organizations", level="township").json()["count"] == 2
    assert [o["code"] for o in api.get("/organizations", domain="community").json()["items"]] == ["V0103"]


def test_it_pages_the_list_and_caps_the_page_size(world, api_as, county):
    api = api_as(county)
    page = api.get("/organizations", limit=2, offset=2).json()
    assert page["count"] == 9 and len(page["items"]) == 2
    assert len(api.get("/organizations", limit=100000).json()["items"]) == 9


def test_it_answers_404_for_a_filter_outside_the_scope(world, api_as, town2):
    response = api_as(town2).get("/organizations", under=world.town1_org.pk)
    assert response.status_code == 404
    assert response.json() == {"detail": "不存在或无权访问"}


def test_it_shows_the_detail_with_secretary_and_income(world, api_as, county):
    body = api_as(county).get(f"/organizations/{world.village_e.pk}").json()
    assert body["name"] == "东关村党支部"
    assert body["parent"] == {"id": world.town1_org.pk, "name": "城关镇"}
    assert body["level_label"] == "村（社区）"
    assert body["secretary_name"] == "王建国"
    assert body["secretary_phone"] == "13812345678"
    assert body["income_year"] == 2025 and body["income_wan"] == "4.90"


def test_it_masks_the_secretary_phone_for_a_branch_operator(world, api_as, branch1):
    body = api_as(branch1).get(f"/organizations/{world.village_e.pk}").json()
    assert body["secretary_phone"] == "138****5678"


def test_it_hides_another_township_org(world, api_as, town2):
    response = api_as(town2).get(f"/organizations/{world.village_e.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "不存在或无权访问"}


def test_it_lets_a_contact_leader_read_the_linked_village_only(world, api_as, leader1):
    api = api_as(leader1)
    assert api.get(f"/organizations/{world.village_n.pk}").status_code == 200
    assert api.get(f"/organizations/{world.village_e.pk}").status_code == 404
    codes = {o["code"] for o in api.get("/organizations").json()["items"]}
    assert codes == {"G01", "V0201"}


def test_it_lists_children_in_scope(world, api_as, town1, town2):
    body = api_as(town1).get(f"/organizations/{world.town1_org.pk}/children").json()
    assert [o["code"] for o in body["items"]] == ["V0101", "V0102", "V0103"]
    assert api_as(town2).get(f"/organizations/{world.town1_org.pk}/children").status_code == 404


def test_it_creates_an_organization_and_audits_it(world, api_as, town1):
    response = api_as(town1).post(
        "/organizations",
        {"parent_id": world.town1_org.pk, "code": "V0104", "name": "北关村党支部", "level": "village", "member_count": 12},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"]["name"] == "城关镇" and body["member_count"] == 12
    org = Organization.objects.get(code="V0104")
    assert org.parent == world.town1_org and org.path.startswith(world.town1_org.path)
    assert AuditEvent.objects.filter(object_type="organizations.organization", object_id=str(org.pk), action="create").exists()


def test_it_refuses_a_duplicate_name_in_chinese(world, api_as, town1):
    response = api_as(town1).post("/organizations", {"parent_id": world.town1_org.pk, "code": "V0109", "name": "东关村党支部"})
    assert response.status_code == 400
    assert response.json()["detail"] == "上级组织“城关镇”下已有名为“东关村党支部”的组织"


def test_it_refuses_an_invalid_body_with_a_chinese_detail(world, api_as, town1):
    response = api_as(town1).post("/organizations", {"parent_id": world.town1_org.pk, "level": "galaxy"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求数据不完整或格式不正确"
    assert any(e.startswith("code:") for e in body["errors"])


def test_it_refuses_creating_under_another_township(world, api_as, town2):
    response = api_as(town2).post("/organizations", {"parent_id": world.town1_org.pk, "code": "X1", "name": "越权村"})
    assert response.status_code == 404
    assert not Organization.objects.filter(code="X1").exists()


def test_it_refuses_a_branch_operator_creating_with_403(world, api_as, branch1):
    response = api_as(branch1).post("/organizations", {"parent_id": world.village_e.pk, "code": "X2", "name": "第一党小组"})
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有新建组织的权限"


def test_it_updates_only_the_fields_sent(world, api_as, town1):
    response = api_as(town1).patch(f"/organizations/{world.village_w.pk}", {"member_count": 20})
    assert response.status_code == 200
    world.village_w.refresh_from_db()
    assert world.village_w.member_count == 20 and world.village_w.name == "西关村党支部"
    event = AuditEvent.objects.get(object_type="organizations.organization", object_id=str(world.village_w.pk), action="update")
    assert event.before["member_count"] == 18 and event.after["member_count"] == 20
    assert "name" not in event.after


def test_it_refuses_updating_another_township_org(world, api_as, town2):
    response = api_as(town2).patch(f"/organizations/{world.village_w.pk}", {"name": "改名"})
    assert response.status_code == 404
    world.village_w.refresh_from_db()
    assert world.village_w.name == "西关村党支部"


def test_it_moves_a_subtree(world, api_as, county):
    response = api_as(county).post(f"/organizations/{world.village_w.pk}/move", {"parent_id": world.town2_org.pk})
    assert response.status_code == 200
    assert response.json()["parent"]["name"] == "河口镇"
    world.village_w.refresh_from_db()
    assert world.village_w.parent_id == world.town2_org.pk


def test_it_refuses_a_move_without_permission(world, api_as, town1):
    response = api_as(town1).post(f"/organizations/{world.village_w.pk}/move", {"parent_id": world.village_e.pk})
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有调整组织隶属关系的权限"


def test_it_refuses_a_move_out_of_scope(world, api_as, town2):
    response = api_as(town2).post(f"/organizations/{world.village_w.pk}/move", {"parent_id": world.town2_org.pk})
    assert response.status_code == 404


def test_it_refuses_moving_an_org_under_itself(world, api_as, county):
    response = api_as(county).post(f"/organizations/{world.town1_org.pk}/move", {"parent_id": world.village_e.pk})
    assert response.status_code == 400
    assert response.json()["detail"] == "不能把组织移到它自己或它的下级组织之下"


def test_it_leaves_assistance_roles_to_the_assignments_endpoint(world, county, api_as):
    from zhengdun.organizations.models import Post

    before = Post.objects.count()
    response = api_as(county).post(
        f"/organizations/{world.village_e.pk}/posts", {"person_id": world.leader_person.pk, "role": "contact_leader"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "请选择列出的岗位；联系领导、第一书记等帮扶力量请在“帮扶力量”页面安排"
    assert Post.objects.count() == before
