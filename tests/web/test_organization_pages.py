import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhengdun.audit.models import AuditEvent
from zhengdun.organizations.models import Organization, Post


def test_it_masks_phones_for_users_without_the_right(world, as_user, branch1, town1):
    url = reverse("organizations:detail", args=[world.village_e.pk])
    assert "138****5678" in as_user(branch1).get(url).content.decode()
    page = as_user(town1).get(url).content.decode()
    assert "13812345678" in page


def test_it_creates_a_child_organization_and_audits_it(world, as_user, town1):
    response = as_user(town1).post(
        reverse("organizations:add_child", args=[world.town1_org.pk]),
        {"code": "V0104", "name": "新建村党支部", "level": "village", "kind": "branch", "domain": "rural", "member_count": 12},
    )
    assert response.status_code == 302
    org = Organization.objects.get(code="V0104")
    assert org.parent == world.town1_org and org.path.startswith(world.town1_org.path)
    assert AuditEvent.objects.filter(object_type="organizations.organization", object_id=str(org.pk), action="create").exists()


def test_it_refuses_a_duplicate_name_under_one_parent(world, as_user, town1):
    response = as_user(town1).post(
        reverse("organizations:add_child", args=[world.town1_org.pk]),
        {"code": "V0199", "name": "东关村党支部", "level": "village", "kind": "branch", "domain": "rural"},
    )
    assert response.status_code == 200
    assert "上级组织“城关镇”下已有名为“东关村党支部”的组织" in response.content.decode()
    assert not Organization.objects.filter(code="V0199").exists()


def test_it_refuses_a_negative_member_count(world, as_user, town1):
    response = as_user(town1).post(
        reverse("organizations:edit", args=[world.village_e.pk]),
        {"code": "V0101", "name": "东关村党支部", "level": "village", "kind": "branch", "domain": "rural", "member_count": -3},
    )
    assert response.status_code == 200
    world.village_e.refresh_from_db()
    assert world.village_e.member_count == 31


def test_it_moves_a_subtree_with_its_descendants(world, as_user, county):
    response = as_user(county).post(reverse("organizations:move", args=[world.town1_org.pk]), {"new_parent": world.town2_org.pk})
    assert response.status_code == 302
    village = Organization.objects.get(pk=world.village_e.pk)
    town2 = Organization.objects.get(pk=world.town2_org.pk)
    assert village.path.startswith(town2.path) and village.depth == 4
    assert Organization.objects.get(pk=world.town1_org.pk).parent_id == town2.pk


def test_it_refuses_moving_an_organization_under_its_own_descendant(world, as_user, county):
    response = as_user(county).post(reverse("organizations:move", args=[world.town1_org.pk]), {"new_parent": world.village_e.pk})
    assert "不能把组织移到它自己或它的下级组织之下" in response.content.decode()
    assert Organization.objects.get(pk=world.town1_org.pk).parent_id == world.county_org.pk


def test_it_forbids_a_branch_operator_to_edit(world, as_user, branch1):
    assert as_user(branch1).get(reverse("organizations:edit", args=[world.village_e.pk])).status_code == 403


@pytest.mark.parametrize("rows", [5, 25])
def test_it_lists_organizations_in_a_fixed_number_of_queries(world, as_user, county, rows, django_assert_max_num_queries):
    from django.contrib.auth.models import AnonymousUser  # noqa: F401 - keeps the import cost out of the count

    from zhengdun.organizations.services import org_create

    for i in range(rows):
        org_create(
            parent=world.town2_org,
            actor=county,
            code=f"X{i:03d}",
            name=f"测试村{i}党支部",
            level="village",
            kind="branch",
            domain="rural",
        )
    client = as_user(county)
    client.get(reverse("organizations:tree"), {"q": "党支部"})
    with django_assert_max_num_queries(7):
        response = client.get(reverse("organizations:tree"), {"q": "党支部"})
    assert response.content.decode().count("测试村") >= min(rows, 50)


def _add_villages(parent: Organization, count: int, start: int) -> None:
    from zhengdun.organizations.choices import PostRole
    from zhengdun.organizations.models import EconomyRecord, Person

    for i in range(start, start + count):
        org = Organization.objects.add_child(
            Organization.objects.get(pk=parent.pk), instance=Organization(code=f"D{i:03d}", name=f"下级村{i}", parent=parent)
        )
        person = Person.objects.create(name=f"书记{i}", phone="13800000000", organization=org)
        Post.objects.create(person=person, organization=org, role=PostRole.SECRETARY)
        EconomyRecord.objects.create(organization=org, year=2025, income_wan=1)


def test_the_detail_reads_its_children_in_a_fixed_number_of_queries(world, as_user, county):
    # Issue 9 §3 cause 6: each child row read its parent once more (37 queries for a county root).
    parent = Organization.objects.add_child(
        Organization.objects.get(pk=world.town2_org.pk), instance=Organization(code="DP", name="大村片区", parent=world.town2_org)
    )
    client = as_user(county)
    url = reverse("organizations:detail", args=[parent.pk])
    _add_villages(parent, 5, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert response.content.decode().count("下级村") == 5
    _add_villages(parent, 45, 5)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(url)
    page = response.content.decode()
    assert page.count("下级村") == 50 and "下级组织（50）" in page
    assert len(fifty.captured_queries) == len(five.captured_queries)


def test_it_names_a_duplicate_code(world, as_user, town1):
    # Inside the caller's subtree the clash is named; outside it, see test_org_rules.py.
    response = as_user(town1).post(
        reverse("organizations:add_child", args=[world.town1_org.pk]),
        {"code": "V0102", "name": "另一个村党支部", "level": "village", "kind": "branch", "domain": "rural"},
    )
    assert "组织编码“V0102”已被使用" in response.content.decode()
    assert not Organization.objects.filter(name="另一个村党支部").exists()


def test_it_leaves_contact_leaders_to_the_assignments_page(world, as_user, town1):
    posts = Post.objects.count()
    response = as_user(town1).post(
        reverse("organizations:post_add", args=[world.village_e.pk]),
        {"person": world.people["secretary_e"].pk, "role": "contact_leader", "started_on": "2026-03-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请选择列出的岗位；联系领导、第一书记等帮扶力量请在“帮扶力量”页面安排" in page
    assert reverse("support:board", args=[world.village_e.pk]) in page
    assert Post.objects.count() == posts
    assert not AuditEvent.objects.filter(object_type="organizations.post").exists()


def test_it_still_assigns_an_ordinary_post(world, as_user, town1):
    response = as_user(town1).post(
        reverse("organizations:post_add", args=[world.village_e.pk]),
        {"person": world.people["secretary_e"].pk, "role": "organizer", "started_on": "2026-03-01"},
    )
    assert response.status_code == 302
    post = Post.objects.get(organization=world.village_e, role="organizer")
    assert post.person == world.people["secretary_e"]
    assert AuditEvent.objects.filter(object_type="organizations.post", object_id=str(post.pk), action="create").exists()
