from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.ledger.conftest import data_rows, listed_case
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.organizations.models import Organization


def test_it_returns_the_rows_as_json(api_as, world, campaign, county, cases):
    response = api_as(county).get("/ledger", campaign=campaign.pk, org=world.town1_org.pk)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["campaign"] == {"id": campaign.pk, "name": campaign.name}
    assert body["unit"] == {"id": world.town1_org.pk, "name": "城关镇"}
    assert body["phones_unmasked"] is True
    first = body["rows"][0]
    assert [r["organization_name"] for r in body["rows"]] == ["东关村党支部", "南关社区党支部"]
    assert first["secretary_phone"] == "13812345678"
    assert first["contact_leaders"] == "钱主（B岗：赵副）"
    assert first["main_problems"] == "班子不团结，内耗严重"
    assert AuditEvent.objects.get(action=Action.EXPORT).after["format"] == "json"


def test_it_masks_phones_and_defaults_to_the_callers_unit(api_as, world, campaign, branch1, cases):
    body = api_as(branch1).get("/ledger", campaign=campaign.pk).json()
    assert body["unit"]["name"] == "东关村党支部"
    assert body["phones_unmasked"] is False
    assert [(r["organization_name"], r["secretary_phone"]) for r in body["rows"]] == [("东关村党支部", "138****5678")]


def test_it_includes_the_delisted_on_request(api_as, world, campaign, county, cases):
    body = api_as(county).get("/ledger", campaign=campaign.pk, org=world.town2_org.pk, listing="all").json()
    assert [r["state"] for r in body["rows"]] == ["identified", "delisted"]


def test_it_returns_the_workbook(api_as, world, campaign, town1, cases):
    response = api_as(town1).get("/ledger.xlsx", campaign=campaign.pk)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert [row[1] for row in data_rows(b"".join(response.streaming_content))] == ["东关村党支部", "南关社区党支部"]
    assert AuditEvent.objects.get(action=Action.EXPORT).actor == town1


def test_it_answers_404_out_of_scope(api_as, world, campaign, county, town2, cases):
    from zhengdun.campaigns.services import campaign_create_from_template

    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    api = api_as(town2)
    for path in ("/ledger", "/ledger.xlsx"):
        for params in ({"campaign": campaign.pk, "org": world.town1_org.pk}, {"campaign": own.pk}, {"campaign": 999999}):
            response = api.get(path, **params)
            assert response.status_code == 404, (path, params, response.content)
            assert response.json()["detail"] == "不存在或无权访问"
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_it_answers_400_for_a_subtree_outside_the_campaign(api_as, world, county, cases):
    from zhengdun.campaigns.services import campaign_create_from_template

    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    response = api_as(county).get("/ledger", campaign=own.pk, org=world.town2_org.pk)
    assert response.status_code == 400
    assert response.json()["detail"] == f"组织“河口镇”不在整顿工作“{own.name}”的范围内"


def test_it_keeps_api_queries_flat_as_rows_grow(api_as, world, campaign, county, cases):
    api = api_as(county)
    api.get("/ledger.xlsx", campaign=campaign.pk)
    with CaptureQueriesContext(connection) as before:
        assert api.get("/ledger.xlsx", campaign=campaign.pk).status_code == 200
    for i in range(4):
        parent = Organization.objects.get(pk=world.town1_org.pk)
        org = Organization.objects.add_child(parent, instance=Organization(code=f"A{i}", name=f"增村{i}", parent=world.town1_org))
        listed_case(campaign, org, county, main_problems="问题")
    with CaptureQueriesContext(connection) as after:
        assert api.get("/ledger.xlsx", campaign=campaign.pk).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)
