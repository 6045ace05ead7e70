"""Defect 7.4.4: the same person registered twice is caught, and ID numbers are checked (GB 11643)."""

import pytest
from django.urls import reverse

from zhengdun.core.errors import NeedsConfirmation, ServiceError
from zhengdun.organizations import services
from zhengdun.organizations.models import ERR_ID_NUMBER, Person, id_number_valid

VALID_ID = "11010519491231002X"


def test_it_checks_the_gb11643_check_digit():
    assert id_number_valid(VALID_ID) and id_number_valid(VALID_ID.lower())
    assert not id_number_valid("110105194912310021")  # wrong check digit
    assert not id_number_valid("11010519491331002X")  # no 13th month
    assert not id_number_valid("1101051949123100")  # too short


def test_it_refuses_a_bad_id_number(world, county):
    with pytest.raises(ServiceError) as exc:
        services.person_create(organization=world.village_e, actor=county, name="赵一", id_number="110105194912310021")
    assert exc.value.message == ERR_ID_NUMBER
    assert not Person.objects.filter(name="赵一").exists()


def test_it_warns_on_the_same_name_and_phone_and_offers_the_existing_one(world, county):
    existing = world.secretary_e
    with pytest.raises(NeedsConfirmation) as exc:
        services.person_create(organization=world.village_w, actor=county, name=existing.name, phone=existing.phone)
    assert exc.value.message == services.ERR_DUPLICATE_PERSON.format(name=existing.name, org="东关村党支部")
    assert exc.value.remedy_url == reverse("organizations:person", args=[existing.pk])
    assert Person.objects.filter(name=existing.name).count() == 1
    services.person_create(
        organization=world.village_w, actor=county, name=existing.name, phone=existing.phone, confirm_duplicate=True
    )
    assert Person.objects.filter(name=existing.name).count() == 2


def test_it_refuses_the_same_id_number_even_when_confirmed(world, county):
    Person.objects.filter(pk=world.secretary_e.pk).update(id_number=VALID_ID)
    with pytest.raises(ServiceError) as exc:
        services.person_create(
            organization=world.village_w, actor=county, name="另一人", id_number=VALID_ID.lower(), confirm_duplicate=True
        )
    assert exc.value.message == services.ERR_DUPLICATE_ID_NUMBER.format(name=world.secretary_e.name, org="东关村党支部")
    other = services.person_create(organization=world.village_w, actor=county, name="另一人")
    with pytest.raises(ServiceError):
        services.person_update(person=other, actor=county, id_number=VALID_ID)


def test_it_does_not_reveal_a_namesake_out_of_scope(world, town2):
    existing = world.secretary_e  # kept by 东关村, in town1
    person = services.person_create(organization=world.village_n, actor=town2, name=existing.name, phone=existing.phone)
    assert person.pk != existing.pk


def test_it_warns_on_the_page_with_a_link_and_registers_when_confirmed(world, county, as_user):
    client = as_user(county)
    url = reverse("organizations:person_add", args=[world.village_w.pk])
    data = {"name": world.secretary_e.name, "phone": world.secretary_e.phone}
    page = client.post(url, data).content.decode()
    assert "已登记过同名同电话的人员" in page
    assert reverse("organizations:person", args=[world.secretary_e.pk]) in page
    assert Person.objects.filter(name=world.secretary_e.name).count() == 1
    assert client.post(url, {**data, "confirm_duplicate": "on"}).status_code == 302
    assert Person.objects.filter(name=world.secretary_e.name).count() == 2
    page = client.post(url, {"name": "钱二", "id_number": "110105194912310021"}).content.decode()
    assert ERR_ID_NUMBER in page


def test_it_warns_through_the_api_and_404s_an_organization_out_of_scope(world, county, town2, api_as):
    body = {"organization_id": world.village_w.pk, "name": world.secretary_e.name, "phone": world.secretary_e.phone}
    response = api_as(county).post("/people", body)
    assert response.status_code == 400
    assert response.json()["remedy_url"] == reverse("organizations:person", args=[world.secretary_e.pk])
    assert api_as(county).post("/people", {**body, "confirm_duplicate": True}).status_code == 201
    assert api_as(town2).post("/people", body).status_code == 404
    response = api_as(county).post("/people", {**body, "name": "钱二", "id_number": "110105194912310021"})
    assert response.status_code == 400 and response.json()["detail"] == ERR_ID_NUMBER
