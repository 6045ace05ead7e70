"""Defect 7.4.1: once the county identified a case, only the county changes its 重点整顿 flag."""

import pytest
from django.urls import reverse

from tests.api.conftest import api_as  # noqa: F401  (the API personas' fixture, shared)
from zhengdun.cases import services
from zhengdun.cases.models import Case
from zhengdun.core.errors import NotPermitted
from zhengdun.organizations.models import Post


def identified_key_case(world, campaign, town1, county):
    Post.objects.create(person=world.leader_person, organization=world.village_e, role="contact_leader")
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = services.case_transition(case=case, action="propose", actor=town1)
    return services.case_transition(case=case, action="identify", actor=county, filed_on="2026-03-01", is_key=True)


def test_it_refuses_a_township_unticking_the_county_key_flag(world, campaign, town1, county):
    case = identified_key_case(world, campaign, town1, county)
    with pytest.raises(NotPermitted) as exc:
        services.case_update(
            case=case, actor=town1, expected_version=case.version, main_problems="班子软弱", measures="", is_key=False
        )
    assert exc.value.message == services.ERR_KEY_BY_COUNTY
    case.refresh_from_db()
    assert case.is_key and case.main_problems == ""


def test_it_lets_the_township_write_the_problems_and_the_county_change_the_flag(world, campaign, town1, county):
    case = identified_key_case(world, campaign, town1, county)
    case = services.case_update(
        case=case, actor=town1, expected_version=case.version, main_problems="班子软弱", measures="选优配强", is_key=True
    )
    assert case.main_problems == "班子软弱" and case.is_key
    case = services.case_update(
        case=case, actor=county, expected_version=case.version, main_problems="班子软弱", measures="选优配强", is_key=False
    )
    assert not case.is_key


def test_it_lets_the_township_propose_the_flag_before_identification(world, campaign, town1):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = services.case_update(case=case, actor=town1, expected_version=case.version, main_problems="", measures="", is_key=True)
    assert case.is_key


def test_it_does_not_offer_the_flag_to_the_township_on_the_page(world, campaign, town1, county, as_user):
    case = identified_key_case(world, campaign, town1, county)
    client = as_user(town1)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'name="is_key"' in page and "disabled" in page.split('name="is_key"')[1].split(">")[0]
    assert "已由县级认定，只能由县级调整" in page
    # A hand-made post that unticks the box changes the problems, never the flag.
    response = client.post(reverse("cases:ledger", args=[case.pk]), {"version": case.version, "main_problems": "班子软弱"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_key and case.main_problems == "班子软弱"
    county_page = as_user(county).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "disabled" not in county_page.split('name="is_key"')[1].split(">")[0]


def test_it_refuses_the_township_through_the_api_and_404s_another_township(world, campaign, town1, town2, county, api_as):  # noqa: F811  (the shared fixture)
    case = identified_key_case(world, campaign, town1, county)
    response = api_as(town1).patch(f"/cases/{case.pk}", {"version": case.version, "is_key": False})
    assert response.status_code == 403
    assert response.json()["detail"] == services.ERR_KEY_BY_COUNTY
    assert api_as(town2).patch(f"/cases/{case.pk}", {"version": case.version, "is_key": False}).status_code == 404
    assert Case.objects.get(pk=case.pk).is_key
