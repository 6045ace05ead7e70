"""The search endpoints behind every picker (core.widgets.SearchSelect): scoped, bounded, flat."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.personas import add_village
from zhengdun.core.widgets import INITIAL_OPTIONS, SEARCH_LIMIT
from zhengdun.organizations.models import Person


def options(response) -> list[str]:
    return re.findall(r'<option value="(\d+)">([^<]*)</option>', response.content.decode())


def test_it_finds_organizations_by_name_or_code_with_their_parent(world, as_user, county):
    found = options(as_user(county).get(reverse("organizations:search"), {"q": "东关"}))
    assert found == [(str(world.village_e.pk), "东关村党支部（城关镇）")]
    found = options(as_user(county).get(reverse("organizations:search"), {"q": "V0201"}))
    assert found == [(str(world.village_n.pk), "北河村党支部（河口镇）")]


def test_it_never_shows_what_is_out_of_scope(world, as_user, town2):
    labels = [label for _, label in options(as_user(town2).get(reverse("organizations:search"), {"q": "村"}))]
    assert labels and all("河口镇" in label for label in labels)
    assert options(as_user(town2).get(reverse("organizations:search"), {"q": "东关"})) == []
    assert options(as_user(town2).get(reverse("organizations:people_search"), {"q": "王建国"})) == []


def test_it_filters_by_level_and_subtree(world, as_user, county):
    client = as_user(county)
    labels = [label for _, label in options(client.get(reverse("organizations:search"), {"level": "village"}))]
    assert "城关镇" not in labels and "东关村党支部（城关镇）" in labels
    under = options(client.get(reverse("organizations:search"), {"level": "village", "under": world.town2_org.pk}))
    assert {pk for pk, _ in under} == {str(world.village_n.pk), str(world.village_m.pk)}


def test_it_answers_at_most_the_limit_in_the_same_number_of_queries(world, as_user, county):
    client = as_user(county)
    url = reverse("organizations:search")
    client.get(url, {"q": "村"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "村"})
    for i in range(SEARCH_LIMIT + 10):
        add_village(world.town1_org, f"X{i:03d}", f"新建{i}村党支部")
        Person.objects.create(name=f"张{i}", organization=world.village_e)
    with CaptureQueriesContext(connection) as many:
        found = options(client.get(url, {"q": "村"}))
    assert len(found) == SEARCH_LIMIT
    assert len(many.captured_queries) == len(few.captured_queries)
    people = options(client.get(reverse("organizations:people_search"), {"q": "张"}))
    assert len(people) == SEARCH_LIMIT


def test_it_asks_for_a_login(world, client):
    assert client.get(reverse("organizations:search"), {"q": "村"}).status_code == 302
    assert client.get(reverse("organizations:people_search"), {"q": "王"}).status_code == 302


def test_it_renders_the_picker_with_a_bounded_choice(world, as_user, county):
    for i in range(INITIAL_OPTIONS + 15):
        Person.objects.create(name=f"李{i:02d}", organization=world.county_org)
    page = as_user(county).get(reverse("support:board", args=[world.village_e.pk])).content.decode()
    select = page.split('name="person"')[1].split("</select>")[0]
    assert select.count("<option") <= INITIAL_OPTIONS + 1
    assert reverse("organizations:people_search") in page


def test_it_chooses_the_campaign_scope_from_the_tree(world, as_user, county, town2):
    page = as_user(county).get(reverse("campaigns:create")).content.decode()
    assert 'name="scope"' in page and reverse("organizations:search") in page
    # town2 may not create campaigns; the county may not pick what it cannot see (no such id).
    response = as_user(county).post(
        reverse("campaigns:create"), {"template_key": "subdistrict_2018", "scope": 999999, "start_year": 2026}
    )
    assert response.status_code == 400
    assert "请在您的管辖范围内选择组织" in response.content.decode()
