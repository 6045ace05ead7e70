"""Issue 8 §2 on the tree: a jurisdiction's root is changed from above only, names refuse
control and invisible characters, and a code taken elsewhere is not confirmed to exist."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.personas import PASSWORD
from tests.roster.roster import org, xlsx
from zhengdun.accounts.models import User
from zhengdun.accounts.roles import Role
from zhengdun.accounts.services import ERR_USERNAME_TAKEN, ERR_USERNAME_UNAVAILABLE, user_create
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.organizations.models import Organization
from zhengdun.organizations.services import (
    ERR_CODE_UNAVAILABLE,
    ERR_DUPLICATE_CODE,
    ERR_NAME_INVISIBLE,
    ERR_OWN_ROOT,
    org_create,
    org_update,
)
from zhengdun.roster.services import ImportRejected, import_roster

HIDDEN = [
    "东关\x00村党支部",
    "东关\u200b村党支部",
    "东关\u202e村党支部",
    "东关\n村党支部",
    "东关\u2028村党支部",
    "\ufeff新村党支部",
]
VILLAGE = {"level": "village", "kind": "branch", "domain": "rural"}


def _import(data: bytes, actor: User) -> list[tuple[int, str]]:
    with pytest.raises(ImportRejected) as exc:
        import_roster(data=data, file_name="名册.xlsx", actor=actor, year=2025)
    return [(e.row, e.message) for e in exc.value.row_errors]


# The root of one's own jurisdiction.


@pytest.mark.parametrize("change", [{"name": "新城关镇"}, {"code": "T09"}, {"level": "county"}])
def test_a_township_cannot_rename_recode_or_relevel_its_own_root(world, town1, change):
    with pytest.raises(NotPermitted, match=ERR_OWN_ROOT.format(name="城关镇")):
        org_update(org=world.town1_org, actor=town1, **change)
    fresh = Organization.objects.get(pk=world.town1_org.pk)
    assert (fresh.name, fresh.code, fresh.level) == ("城关镇", "T01", "township")


def test_a_township_still_updates_its_roots_figures_and_the_county_renames_it(world, town1, county):
    org_update(org=world.town1_org, actor=town1, name="城关镇", member_count=500)
    assert Organization.objects.get(pk=world.town1_org.pk).member_count == 500
    org_update(org=world.town1_org, actor=county, name="城关街道")
    assert Organization.objects.get(pk=world.town1_org.pk).name == "城关街道"


def test_the_edit_page_and_the_api_refuse_it_too(world, as_user, town1, api_as):
    response = as_user(town1).post(
        reverse("organizations:edit", args=[world.town1_org.pk]),
        {"code": "T01", "name": "新城关镇", "level": "township", "kind": "committee", "domain": "rural"},
    )
    assert ERR_OWN_ROOT.format(name="城关镇") in response.content.decode()
    refused = api_as(town1).patch(f"/organizations/{world.town1_org.pk}", {"code": "T09"})
    assert refused.status_code == 403 and refused.json()["detail"] == ERR_OWN_ROOT.format(name="城关镇")
    assert Organization.objects.get(pk=world.town1_org.pk).code == "T01"


def test_the_roster_import_refuses_renaming_ones_own_root(world, town1):
    assert _import(xlsx(org("T01", "新城关镇", "某县")), town1) == [(2, ERR_OWN_ROOT.format(name="城关镇"))]


# Names.


@pytest.mark.parametrize("name", HIDDEN)
def test_a_name_with_control_or_invisible_characters_is_refused(world, town1, name):
    with pytest.raises(ServiceError, match=ERR_NAME_INVISIBLE):
        org_create(parent=world.town1_org, actor=town1, code="V0109", name=name, **VILLAGE)
    with pytest.raises(ServiceError, match=ERR_NAME_INVISIBLE):
        org_update(org=world.village_e, actor=town1, name=name)
    assert not Organization.objects.filter(code="V0109").exists()
    assert Organization.objects.get(pk=world.village_e.pk).name == "东关村党支部"


def test_names_with_chinese_punctuation_and_spaces_are_kept(world, town1):
    created = org_create(parent=world.town1_org, actor=town1, code="V0109", name="新村（社区）党支部 第一", **VILLAGE)
    assert created.name == "新村（社区）党支部 第一"


def test_the_api_and_the_import_refuse_such_names(world, town1, api_as):
    response = api_as(town1).post(
        "/organizations", {"parent_id": world.town1_org.pk, "code": "V0109", "name": HIDDEN[1], **VILLAGE}
    )
    assert response.status_code == 400 and response.json()["detail"] == ERR_NAME_INVISIBLE
    assert _import(xlsx(org("V0109", HIDDEN[2], "T01")), town1) == [(2, ERR_NAME_INVISIBLE)]
    assert not Organization.objects.filter(code="V0109").exists()


# A code or username taken outside the caller's subtree.


def test_a_code_taken_in_another_township_is_not_confirmed(world, as_user, town1, api_as):
    with pytest.raises(ServiceError) as exc:
        org_create(parent=world.town1_org, actor=town1, code="V0201", name="新村党支部", **VILLAGE)
    assert exc.value.message == ERR_CODE_UNAVAILABLE.format(code="V0201")
    assert "北河村" not in exc.value.message
    with pytest.raises(ServiceError, match="不可用"):
        org_update(org=world.village_e, actor=town1, code="V0201")
    page = as_user(town1).post(
        reverse("organizations:add_child", args=[world.town1_org.pk]), {"code": "V0201", "name": "新村党支部", **VILLAGE}
    )
    html = page.content.decode()
    assert ERR_CODE_UNAVAILABLE.format(code="V0201") in html and "北河村" not in html and "已被使用" not in html
    api = api_as(town1).post(
        "/organizations", {"parent_id": world.town1_org.pk, "code": "V0201", "name": "新村党支部", **VILLAGE}
    )
    assert api.status_code == 400 and api.json()["detail"] == ERR_CODE_UNAVAILABLE.format(code="V0201")
    assert _import(xlsx(org("V0201", "新村党支部", "T01")), town1) == [(2, ERR_CODE_UNAVAILABLE.format(code="V0201"))]
    assert Organization.objects.get(code="V0201").name == "北河村党支部"


def test_a_code_taken_inside_the_subtree_is_named(world, town1):
    with pytest.raises(ServiceError) as exc:
        org_create(parent=world.town1_org, actor=town1, code="V0102", name="新村党支部", **VILLAGE)
    assert exc.value.message == ERR_DUPLICATE_CODE.format(code="V0102", name="西关村党支部")


def test_a_username_taken_outside_the_subtree_is_not_confirmed(world):
    manager = User.objects.create_user(username="t1sys", password=PASSWORD, organization=world.town1_org)
    manager.groups.add(Group.objects.get(name=Role.SYSTEM_ADMIN))
    fields = {"display_name": "新", "organization": world.town1_org, "roles": [Role.READONLY], "password": "Strong#Pass9"}
    with pytest.raises(ServiceError) as exc:
        user_create(actor=manager, username="town2", **fields)
    assert exc.value.message == ERR_USERNAME_UNAVAILABLE.format(username="town2")
    with pytest.raises(ServiceError) as exc:
        user_create(actor=manager, username="branch1", **fields)
    assert exc.value.message == ERR_USERNAME_TAKEN.format(username="branch1")
