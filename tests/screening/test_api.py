from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.screening.conftest import VACANT, criterion, save
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_open
from zhengdun.cases.states import CaseState
from zhengdun.organizations.models import Organization
from zhengdun.screening import services
from zhengdun.screening.models import ScreeningRecord, ScreeningRound
from zhengdun.screening.transitions import ERR_UNSCREENED


def _record(campaign, *, version=None, conclusion="weak", evidence="书记 3 月辞职"):
    findings = [{"criterion_id": criterion(campaign, VACANT).pk, "evidence": evidence}] if evidence is not None else []
    return {
        "method": "member_review",
        "conclusion": conclusion,
        "screened_on": "2026-09-10",
        "note": "",
        "findings": findings,
        "version": version,
    }


def test_it_walks_a_township_through_the_api(world, campaign, town1, api_as):
    api = api_as(town1)
    response = api.post("/screening/rounds", {"campaign_id": campaign.pk, "jurisdiction_id": world.town1_org.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    round_id = body["id"]
    assert (body["status"], body["status_label"], body["jurisdiction"]["name"]) == ("open", "排查中", "城关镇")
    rows = {row["organization"]["name"]: row for row in body["rows"]}
    assert set(rows) == {"东关村党支部", "西关村党支部", "南关社区党支部"}
    assert {"code": "secretary_vacant", "label": "书记空缺", "detail": "书记岗位空缺，无在任书记记录"} in rows["西关村党支部"][
        "signs"
    ]
    assert rows["西关村党支部"]["record"] is None and rows["西关村党支部"]["case"] is None

    url = f"/screening/rounds/{round_id}/records/{world.village_w.pk}"
    response = api.put(url, _record(campaign, conclusion="pending", evidence=None))
    assert response.status_code == 200, response.content
    assert (response.json()["version"], response.json()["method_label"]) == (1, "党员群众评查")
    response = api.put(url, _record(campaign, version=1))
    record = response.json()
    assert (
        record["version"] == 2
        and record["findings"][0]["code"] == VACANT
        and record["findings"][0]["evidence"] == "书记 3 月辞职"
    )

    response = api.post(f"/screening/records/{record['id']}/propose")
    assert response.status_code == 200, response.content
    assert response.json()["case"]["state"] == "proposed" and response.json()["case"]["state_label"] == "拟定待认定"
    response = api.post(f"/screening/records/{record['id']}/propose")
    assert response.status_code == 400
    assert response.json()["detail"] == "该组织在本次整顿工作中已被拟定或认定（当前状态：拟定待认定），不能重复提出"
    assert Case.objects.get().state == CaseState.PROPOSED

    detail = api.get(f"/screening/rounds/{round_id}").json()
    row = next(r for r in detail["rows"] if r["organization"]["id"] == world.village_w.pk)
    assert row["case"]["state_label"] == "拟定待认定" and row["record"]["findings_count"] == 1 and row["can_propose"] is False
    assert detail["counts"]["weak"] == 1 and detail["counts"]["unscreened"] == 2

    listing = api.get("/screening/rounds").json()
    assert listing["count"] == 1 and listing["items"][0]["org_count"] == 3 and listing["items"][0]["weak"] == 1

    response = api.post(f"/screening/rounds/{round_id}/close")
    assert response.status_code == 400
    assert response.json()["detail"] == ERR_UNSCREENED.format(count=2)
    response = api.post(f"/screening/rounds/{round_id}/close", {"confirm": True})
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_it_answers_409_to_a_stale_version(world, campaign, town1, county, api_as, round1):
    save(round1, world.village_w, county, conclusion="pending")
    save(round1, world.village_w, county, conclusion="not_weak", expected_version=1)
    response = api_as(town1).put(f"/screening/rounds/{round1.pk}/records/{world.village_w.pk}", _record(campaign, version=1))
    assert response.status_code == 409
    assert response.json()["detail"] == "该排查记录已被他人修改，您的内容未保存，请刷新后在最新记录上修改"
    assert ScreeningRecord.objects.get().conclusion == "not_weak"


def test_it_answers_400_with_the_reason(world, campaign, town1, api_as, round1):
    url = f"/screening/rounds/{round1.pk}/records/{world.village_w.pk}"
    response = api_as(town1).put(url, _record(campaign, evidence=" "))
    assert response.status_code == 400 and response.json()["detail"] == "请填写认定标准 1.2 的事实依据"
    response = api_as(town1).post("/screening/rounds", {"campaign_id": campaign.pk, "jurisdiction_id": world.town1_org.pk})
    assert response.status_code == 400 and "已有进行中的排查" in response.json()["detail"]
    save(round1, world.village_w, town1, conclusion="pending")
    response = api_as(town1).post(f"/screening/rounds/{round1.pk}/close")
    assert response.status_code == 400 and response.json()["errors"] == ["西关村党支部"]
    assert ScreeningRound.objects.get().status == "open"


def test_it_answers_404_to_another_township(world, campaign, town1, town2, api_as, round1):
    record = save(round1, world.village_w, town1)
    api = api_as(town2)
    assert api.get(f"/screening/rounds/{round1.pk}").status_code == 404
    assert api.put(f"/screening/rounds/{round1.pk}/records/{world.village_w.pk}", _record(campaign, version=1)).status_code == 404
    assert api.post(f"/screening/records/{record.pk}/propose").status_code == 404
    assert api.post(f"/screening/rounds/{round1.pk}/close").status_code == 404
    response = api.post("/screening/rounds", {"campaign_id": campaign.pk, "jurisdiction_id": world.town1_org.pk})
    assert response.status_code == 404 and response.json()["detail"] == "不存在或无权访问"
    assert api.get("/screening/rounds").json()["count"] == 0
    assert not Case.objects.exists() and ScreeningRound.objects.count() == 1


def test_it_answers_404_for_an_organization_outside_the_round(world, campaign, county, api_as):
    rnd = services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=county)
    response = api_as(county).put(f"/screening/rounds/{rnd.pk}/records/{world.village_n.pk}", _record(campaign))
    assert response.status_code == 404


def _queries(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_it_answers_rounds_in_a_fixed_number_of_queries(world, campaign, county, api_as):
    rnd = services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=county)
    api = api_as(county)
    api.get(f"/screening/rounds/{rnd.pk}")  # warms per-process caches (content types)
    before = (_queries(api, f"/screening/rounds/{rnd.pk}"), _queries(api, "/screening/rounds"))
    town = world.town1_org
    for i in range(12):
        org = Organization.objects.add_child(
            Organization.objects.get(pk=town.pk), instance=Organization(code=f"A{i:03}", name=f"新村{i}", parent=town)
        )
        save(rnd, org, county)
        case_open(campaign=campaign, organization=org, actor=county)
    for jurisdiction in (world.town2_org, world.village_m):
        services.round_open(campaign=campaign, jurisdiction=jurisdiction, actor=county)
    after = (_queries(api, f"/screening/rounds/{rnd.pk}"), _queries(api, "/screening/rounds"))
    assert after == before
    assert len(api.get(f"/screening/rounds/{rnd.pk}").json()["rows"]) == 15
