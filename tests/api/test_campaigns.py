from zhengdun.audit.models import AuditEvent
from zhengdun.campaigns.models import Campaign, Criterion
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


# Issue 7: criterion ids, status steps, editing, duplicates, UTF-8 and Chinese 422s.


def test_an_api_client_records_a_screening_with_the_criterion_ids_of_the_campaign_detail(world, campaign, api_as, town1):
    api = api_as(town1)
    detail = api.get(f"/campaigns/{campaign.pk}").json()
    vacant = next(c for c in detail["criteria"] if c["code"] == "1.2")
    rnd = api.post("/screening/rounds", {"campaign_id": campaign.pk, "jurisdiction_id": world.town1_org.pk})
    assert rnd.status_code == 201, rnd.content
    record = {
        "method": "field_check",
        "conclusion": "weak",
        "screened_on": "2026-09-10",
        "findings": [{"criterion_id": vacant["id"], "evidence": "书记 3 月辞职，至今未选出"}],
    }
    saved = api.put(f"/screening/rounds/{rnd.json()['id']}/records/{world.village_w.pk}", record)
    assert saved.status_code == 200, saved.content
    assert saved.json()["findings"] == [
        {"criterion_id": vacant["id"], "code": "1.2", "item": vacant["item"], "evidence": "书记 3 月辞职，至今未选出"}
    ]
    proposed = api.post(f"/screening/records/{saved.json()['id']}/propose")
    assert proposed.status_code == 200 and proposed.json()["case"]["state"] == "proposed"


def test_json_bodies_are_utf8_text(world, campaign, api_as, town1):
    response = api_as(town1).get(f"/campaigns/{campaign.pk}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "某县".encode() in response.content and b"\\u" not in response.content


def test_validation_errors_are_chinese(world, api_as, county):
    response = api_as(county).post("/campaigns", {"template_key": "county_backward_2014", "start_year": "明年"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求数据不完整或格式不正确"
    assert set(body["errors"]) == {"scope_id: 必须填写", "start_year: 应为整数"}
    response = api_as(county).post("/campaigns", {"template_key": "x", "scope_id": world.county_org.pk, "start_year": 1990})
    assert response.json()["errors"] == ["start_year: 不能小于 2000"]


def test_it_creates_a_draft_and_steps_it_through_the_api(world, api_as, county, town1):
    api = api_as(county)
    body = api.post(
        "/campaigns", {"template_key": "subdistrict_2018", "scope_id": world.county_org.pk, "start_year": 2027, "draft": True}
    ).json()
    assert body["status"] == "draft" and [t["action"] for t in body["transitions"]] == ["activate"]
    url = f"/campaigns/{body['id']}/transitions"
    body = api.post(url, {"action": "activate", "version": body["version"]}).json()
    body = api.post(url, {"action": "close", "version": body["version"]}).json()
    assert body["status"] == "closed" and [t["action"] for t in body["transitions"]] == ["reopen"]
    assert body["transitions"][0]["note_required"] is True
    response = api.post(url, {"action": "reopen", "version": body["version"]})
    assert response.status_code == 400 and response.json()["detail"] == "请填写意见或说明"
    response = api.post(url, {"action": "reopen", "version": body["version"] - 1, "note": "延长"})
    assert response.status_code == 409
    response = api.post(url, {"action": "reopen", "version": body["version"], "note": "延长"})
    assert response.status_code == 200 and response.json()["status"] == "active"
    events = api.get(f"/campaigns/{body['id']}/events").json()["items"]
    assert [e["action"] for e in events] == ["reopen", "close", "activate", "create"]
    assert events[0]["note"] == "延长" and events[0]["to_label"] == "进行中"
    # A township reads the county's campaign but is offered no step and cannot take one.
    seen = api_as(town1).get(f"/campaigns/{body['id']}").json()
    assert seen["transitions"] == [] and seen["blocked_transitions"] == []
    assert api_as(town1).post(url, {"action": "close", "version": seen["version"]}).status_code == 404


def test_it_warns_on_a_duplicate_and_creates_it_when_confirmed(world, campaign, api_as, county):
    payload = {"template_key": "county_two_year_2018", "scope_id": world.county_org.pk, "start_year": 2026}
    response = api_as(county).post("/campaigns", payload)
    assert response.status_code == 400
    assert response.json()["detail"] == f"某县已有2026年按同一模板创建的整顿工作“{campaign.name}”，确认要再创建一个吗？"
    assert Campaign.objects.count() == 1
    assert api_as(county).post("/campaigns", {**payload, "confirm": True}).status_code == 201
    assert Campaign.objects.count() == 2


def test_it_edits_thresholds_stages_and_criteria_through_the_api(world, campaign, api_as, county):
    api = api_as(county)
    body = api.patch(f"/campaigns/{campaign.pk}", {"warn_min_star": 2, "warn_petitions": None, "plan_notice_days": 10}).json()
    assert body["thresholds"]["warn_min_star"] == 2 and body["thresholds"]["warn_petitions"] is None
    assert body["thresholds"]["plan_notice_days"] == 10
    response = api.patch(f"/campaigns/{campaign.pk}", {"warn_min_star": 4, "version": body["version"] - 1})
    assert response.status_code == 409

    stage = body["stages"][0]
    stages = {"version": body["version"], "stages": [{**stage, "ends_on": "2026-08-01"}]}
    response = api.put(f"/campaigns/{campaign.pk}/stages", stages)
    assert response.status_code == 400 and response.json()["detail"] == f"工作阶段“{stage['name']}”的截止日期不能早于开始日期"
    stages["stages"][0]["ends_on"] = "2026-11-30"
    body = api.put(f"/campaigns/{campaign.pk}/stages", stages).json()
    assert body["stages"][0]["ends_on"] == "2026-11-30"

    criteria = [{k: c[k] for k in ("id", "code", "category", "item")} for c in body["criteria"][1:]]
    criteria.append({"code": "9.1", "category": "其他", "item": "县委认定的其他情形"})
    body = api.put(f"/campaigns/{campaign.pk}/criteria", {"version": body["version"], "criteria": criteria}).json()
    assert [c["code"] for c in body["criteria"]][-1] == "9.1" and len(body["criteria"]) == len(criteria)
    assert Criterion.objects.filter(campaign=campaign).count() == len(criteria)


def test_it_refuses_an_unknown_reporting_period_and_a_zero_cycle(world, campaign, api_as, county):
    from zhengdun.campaigns.services import ERR_CYCLE, ERR_PERIOD

    response = api_as(county).patch(f"/campaigns/{campaign.pk}", {"reporting_period": "weekly"})
    assert response.status_code == 400 and response.json()["detail"] == ERR_PERIOD
    response = api_as(county).patch(f"/campaigns/{campaign.pk}", {"cycle_years": 0})
    assert response.status_code == 400 and response.json()["detail"] == ERR_CYCLE
    campaign.refresh_from_db()
    assert (campaign.reporting_period, campaign.cycle_years) == ("half_month", 3)
