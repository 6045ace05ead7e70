"""The audit list as people read it: names, Chinese labels, masked numbers, every kind of object, paged."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhengdun.audit.models import Action
from zhengdun.audit.selectors import object_types
from zhengdun.audit.services import record
from zhengdun.core.system import SYSTEM
from zhengdun.organizations.services import org_move, org_update

URL = reverse("audit:list")


def _page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _person_change(world, county) -> None:
    person = world.secretary_e
    record(
        Action.UPDATE,
        person,
        actor=county,
        before={"phone": "13812345678", "id_number": ""},
        after={"phone": "13987654321", "id_number": "110101199003074514"},
        note="更正 13987654321",
    )


def test_it_shows_names_and_chinese_field_labels(world, as_user, county, auditor):
    org_update(org=world.village_e, actor=county, member_count=40, level="village")
    org_move(org=world.village_w, new_parent=world.town2_org, actor=county)
    page = _page(as_user(auditor), object_type="organizations.organization")
    assert "党员数" in page and "31 → 40" in page
    assert "上级组织" in page and "城关镇 → 河口镇" in page  # parent ids shown by name
    assert "树路径" in page  # treebeard declares no label; the list gives one
    assert "党组织</span> 东关村党支部" in page
    assert "{&#x27;member_count" not in page and "{'member_count" not in page  # no raw dicts
    assert '<td title="county">county</td>' in page  # the actor's display name (the persona's is its username)


def test_it_names_the_actor_by_display_name_and_the_system_as_such(world, as_user, county, auditor):
    county.display_name = "张县管"
    county.save()
    record(Action.UPDATE, world.village_e, actor=county, before={"member_count": 31}, after={"member_count": 32})
    record(Action.IMPORT, world.village_e, actor=SYSTEM, note="导入")
    page = _page(as_user(auditor))
    assert '<td title="county">张县管</td>' in page and '<td title="system">系统</td>' in page


def test_it_masks_id_and_phone_numbers_without_the_right(world, as_user, county, inspector1):
    _person_change(world, county)
    assert not inspector1.has_perm("accounts.view_personal_info")
    page = _page(as_user(inspector1))
    assert "139****4321" in page and "1101**********4514" in page and "更正 139****4321" in page
    assert "13987654321" not in page and "110101199003074514" not in page and "13812345678" not in page


def test_it_shows_the_numbers_to_those_who_hold_the_right(world, as_user, county, audit_reader):
    _person_change(world, county)
    page = _page(as_user(audit_reader(county)))  # the county reads personal information; here the trail too
    assert "联系电话" in page and "身份证号" in page
    assert "13812345678 → 13987654321" in page and "110101199003074514" in page


def test_the_object_events_on_a_person_page_are_masked_too(world, as_user, county, inspector1):
    _person_change(world, county)
    response = as_user(inspector1).get(reverse("organizations:person", args=[world.secretary_e.pk]))
    page = response.content.decode()
    assert "13987654321" not in page and "139****4321" in page


def test_the_type_filter_lists_every_kind_of_object(world, as_user, county, auditor):
    types = dict(object_types())
    for label in ("organizations.organization", "organizations.person", "accounts.user", "accounts.apitoken", "cases.case"):
        assert label in types
    assert types["audit.auditevent"] == "审计记录"
    page = _page(as_user(auditor))
    for value, name in types.items():
        assert f'<option value="{value}" >{name}</option>' in page


def test_the_type_filter_filters(world, as_user, county, auditor):
    org_update(org=world.village_e, actor=county, member_count=40)
    _person_change(world, county)
    page = _page(as_user(auditor), object_type="organizations.person")
    assert "王建国" in page and "党员数" not in page


def test_it_refuses_those_without_the_right(world, as_user, branch1, town1):
    assert as_user(branch1).get(URL).status_code == 403
    assert as_user(town1).get(URL).status_code == 403


def _grow(world, county, rows: int) -> None:
    for i in range(rows):
        org_update(org=world.village_e, actor=county, member_count=100 + i)
        record(
            Action.UPDATE,
            world.secretary_e,
            actor=county,
            before={"organization_id": world.village_w.pk, "phone": "13812345678"},
            after={"organization_id": world.village_e.pk, "phone": "13812345679"},
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _page(client)
    return len(ctx.captured_queries)


def test_it_pages_in_a_fixed_number_of_queries(world, as_user, county, auditor):
    client = as_user(auditor)
    _grow(world, county, 2)
    few = _queries(client)
    _grow(world, county, 40)
    assert _queries(client) == few
    # session (read, save), account, permissions, scope, count, page, organization names.
    assert few <= 11
    page = _page(client)
    assert page.count("东关村党支部") >= 25 and 'href="?after=' in page  # keyset pages: the next link names the last row shown
