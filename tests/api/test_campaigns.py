from zhengdun.audit.models import AuditEvent
from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.services import campaign_create_from_template


def test_it_lets_a_township_read_the_county_campaign(world, campaign, api_as, town1):
    body = api_as(town1).get("/campaigns").json()
    assert [c["id"] for c in body["items"]] == [campaign.pk]
    assert body["items"][0]["scope"]["name"] == "某县"
    assert body["items"][0]["reporting_period_label"] == "每半月"


def test_it_hides_a_township_campaign_from_the_other_township(world, api_as, county, town2):
    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    api = api_as(town2)
    assert api.get("/campaigns").json()["count"] == 0
    assert api.get(f"/campaigns/{own.pk}").status_code == 404


def test_it_shows_stages_and_criteria(world, campaign, api_as, town1):
    body = api_as(town1).get(f"/campaigns/{campaign.pk}").json()
    assert body["end_year"] == 2028 and body["quota_share"] is None
    assert [s["name"] for s in body["stages"]][:2] == ["精准识别，准确认定", "制定并上报整顿方案"]
    assert body["stages"][0]["starts_on"] == "2026-09-01"
    assert len(body["criteria"]) == campaign.criteria.count() > 0
    assert body["criteria"][0]["code"] == "1.1"


def test_it_lists_the_templates(world, api_as, town1):
    body = api_as(town1).get("/campaigns/templates").json()
    assert [t["key"] for t in body] == ["county_backward_2014", "county_two_year_2018", "subdistrict_2018"]
    first = body[0]
    assert first["title"] == "整顿后进基层党组织（县级年度整顿）"
    assert first["rules"]["quota_share"] == "0.05"
    assert first["rules"]["stages"][0] == {"name": "开展排查，明确对象", "starts": "第1年3月1日", "ends": "第1年3月16日"}


def test_it_creates_a_campaign_from_a_template(world, api_as, county):
    response = api_as(county).post(
        "/campaigns", {"template_key": "county_backward_2014", "scope_id": world.county_org.pk, "start_year": 2027}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "某县2027年整顿后进基层党组织（县级年度整顿）"
    assert len(body["stages"]) == 4 and body["satisfaction_threshold"] == "0.700"
    assert AuditEvent.objects.filter(object_type="campaigns.campaign", object_id=str(body["id"]), action="create").exists()


def test_it_refuses_an_unknown_template(world, api_as, county):
    response = api_as(county).post("/campaigns", {"template_key": "nope", "scope_id": world.county_org.pk, "start_year": 2027})
    assert response.status_code == 400
    assert response.json()["detail"] == "未知的整顿工作模板"


def test_it_refuses_a_township_creating_a_campaign(world, api_as, town1):
    response = api_as(town1).post(
        "/campaigns", {"template_key": "subdistrict_2018", "scope_id": world.town1_org.pk, "start_year": 2027}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有创建整顿工作的权限"
    assert not Campaign.objects.exists()


def test_it_updates_a_campaign_and_clears_the_quota_with_null(world, api_as, county):
    campaign = campaign_create_from_template(
        template_key="county_backward_2014", scope=world.county_org, start_year=2026, actor=county
    )
    response = api_as(county).patch(
        f"/campaigns/{campaign.pk}", {"quota_share": None, "satisfaction_threshold": "0.8", "name": None}
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.quota_share is None and str(campaign.satisfaction_threshold) == "0.800"
    assert campaign.name.startswith("某县2026年")


def test_it_refuses_bad_years_in_chinese(world, campaign, api_as, county):
    response = api_as(county).patch(f"/campaigns/{campaign.pk}", {"end_year": 2020})
    assert response.status_code == 400
    assert response.json()["detail"] == "结束年度不能早于起始年度"


def test_it_refuses_a_township_changing_the_county_campaign(world, campaign, api_as, town1):
    # Readable from below, but only changeable by those whose scope holds it.
    response = api_as(town1).patch(f"/campaigns/{campaign.pk}", {"name": "改名"})
    assert response.status_code == 404
    campaign.refresh_from_db()
    assert campaign.name != "改名"
