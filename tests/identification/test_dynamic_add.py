"""Defect 7.4.3 and 7.4.8: dynamic addition takes village-level organizations only, shows the
organization's name before it is confirmed, and a refusal with a way forward links to it."""

import pytest
from django.urls import reverse

from zhengdun.cases.models import Case
from zhengdun.core.errors import ServiceError
from zhengdun.identification.forms import ERR_PICK_VILLAGE
from zhengdun.identification.services import ERR_DYNAMIC_LEVEL, case_add_dynamic
from zhengdun.support.guards import ERR_KEY_NEEDS_LEADER, REMEDY_KEY_NEEDS_LEADER


def test_it_refuses_a_township_in_the_service(world, campaign, county):
    with pytest.raises(ServiceError) as exc:
        case_add_dynamic(campaign=campaign, organization=world.town1_org, actor=county, note="乡镇自身")
    assert exc.value.message == ERR_DYNAMIC_LEVEL.format(org="城关镇", level="乡镇（街道）")
    assert not Case.objects.exists()


def test_it_shows_the_name_before_confirming_and_adds_on_confirmation(world, campaign, county, as_user):
    client = as_user(county)
    url = reverse("identification:dynamic_add", args=[campaign.pk])
    data = {"organization": world.village_m.pk, "note": "信访核查发现", "filed_on": "2026-06-01"}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "中河村党支部" in page.content.decode() and "河口镇" in page.content.decode()
    assert not Case.objects.exists(), "nothing is written before the confirmation"
    response = client.post(url, {**data, "confirmed": "1"})
    case = Case.objects.get(organization=world.village_m)
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.state == "identified" and str(case.filed_on) == "2026-06-01"


def test_it_refuses_a_township_on_the_page_and_offers_only_villages(world, campaign, county, as_user):
    client = as_user(county)
    url = reverse("identification:dynamic_add", args=[campaign.pk])
    response = client.post(url, {"organization": world.town1_org.pk, "note": "x", "filed_on": "2026-06-01", "confirmed": "1"})
    assert response.status_code == 400
    assert ERR_PICK_VILLAGE in response.content.decode()
    assert not Case.objects.exists()
    options = client.get(reverse("organizations:search"), {"level": "village", "under": campaign.scope_id, "q": "镇"})
    assert "城关镇" not in options.content.decode()


def test_it_404s_a_campaign_out_of_scope(world, campaign, county, town2, as_user):
    from zhengdun.campaigns.services import campaign_create_from_template

    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    response = as_user(town2).get(reverse("identification:dynamic_add", args=[own.pk]))
    assert response.status_code in (403, 404)
    assert as_user(county).get(reverse("identification:dynamic_add", args=[own.pk])).status_code == 200


def test_it_links_a_key_addition_without_a_contact_leader_to_the_support_page(world, campaign, county, as_user):
    client = as_user(county)
    url = reverse("identification:dynamic_add", args=[campaign.pk])
    data = {"organization": world.village_m.pk, "note": "新发现", "filed_on": "2026-06-01", "is_key": "on", "confirmed": "1"}
    page = client.post(url, data).content.decode()
    assert ERR_KEY_NEEDS_LEADER in page and REMEDY_KEY_NEEDS_LEADER in page
    assert reverse("support:board", args=[world.village_m.pk]) in page
    assert not Case.objects.exists()


def test_it_refuses_a_township_through_the_api_and_links_the_key_refusal(world, campaign, county, api_as):
    api = api_as(county)
    body = {"campaign_id": campaign.pk, "organization_id": world.town2_org.pk, "note": "x"}
    response = api.post("/identification/dynamic", body)
    assert response.status_code == 400
    assert response.json()["detail"] == ERR_DYNAMIC_LEVEL.format(org="河口镇", level="乡镇（街道）")
    response = api.post("/identification/dynamic", {**body, "organization_id": world.village_m.pk, "is_key": True})
    assert response.status_code == 400
    assert response.json()["detail"] == ERR_KEY_NEEDS_LEADER
    assert response.json()["remedy_url"] == reverse("support:board", args=[world.village_m.pk])
    assert not Case.objects.exists()


def test_it_links_the_queues_in_place_identification_to_the_support_page(world, campaign, town1, county, as_user, api_as):
    from zhengdun.cases import services

    case = services.case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = services.case_transition(case=case, action="propose", actor=town1)
    queue = reverse("identification:queue") + f"?campaign={campaign.pk}"
    response = as_user(county).post(
        reverse("cases:transition", args=[case.pk, "identify"]),
        {"version": case.version, "filed_on": "2026-03-20", "is_key": "on", "next": queue},
    )
    page = response.content.decode()
    assert response.status_code == 400 and ERR_KEY_NEEDS_LEADER in page
    assert f'href="{reverse("support:board", args=[world.village_e.pk])}"' in page and REMEDY_KEY_NEEDS_LEADER in page
    response = api_as(county).post(
        f"/cases/{case.pk}/transitions", {"action": "identify", "version": case.version, "is_key": True}
    )
    assert response.status_code == 400
    assert response.json()["remedy_url"] == reverse("support:board", args=[world.village_e.pk])
    case.refresh_from_db()
    assert case.state == "proposed"
