import pytest

from tests.plans_support import approved_plan
from zhengdun.audit.models import AuditEvent
from zhengdun.cases import services
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.plans.guards import ERR_PLAN_NOT_APPROVED


@pytest.fixture
def case_e(world, campaign, town1):
    return services.case_open(campaign=campaign, organization=world.village_e, actor=town1)


def test_it_lists_cases_in_scope_with_filters(world, campaign, case_e, api_as, county, town1):
    services.case_open(campaign=campaign, organization=world.village_n, actor=county)
    api = api_as(town1)
    body = api.get("/cases").json()
    assert [c["organization"]["name"] for c in body["items"]] == ["东关村党支部"]
    assert body["items"][0]["state_label"] == "已排查"
    assert body["items"][0]["organization"]["parent_name"] == "城关镇"
    county_api = api_as(county)
    assert county_api.get("/cases").json()["count"] == 2
    assert county_api.get("/cases", q="北河").json()["count"] == 1
    assert county_api.get("/cases", state="proposed").json()["count"] == 0
    assert county_api.get("/cases", campaign=campaign.pk + 1).json()["count"] == 0


def test_it_shows_the_detail_with_the_callers_transitions(world, case_e, api_as, town1, county):
    body = api_as(town1).get(f"/cases/{case_e.pk}").json()
    assert body["version"] == 1 and body["state"] == "screened" and body["state_label"] == "已排查"
    assert body["transitions"] == [
        {
            "action": "propose",
            "label": "提出拟定",
            "target": "proposed",
            "target_label": "拟定待认定",
            "note_required": False,
            "requires": [],
        }
    ]
    services.case_transition(case=case_e, action="propose", actor=town1)
    # The township proposes; only the county identifies or returns.
    assert api_as(town1).get(f"/cases/{case_e.pk}").json()["transitions"] == []
    actions = api_as(county).get(f"/cases/{case_e.pk}").json()["transitions"]
    assert [(t["action"], t["requires"], t["note_required"]) for t in actions] == [
        ("identify", ["filed_on"], False),
        ("return", [], True),
    ]


def test_it_hides_a_case_of_another_township(world, case_e, api_as, town2):
    api = api_as(town2)
    assert api.get(f"/cases/{case_e.pk}").status_code == 404
    assert api.get(f"/cases/{case_e.pk}/events").status_code == 404
    assert api.post(f"/cases/{case_e.pk}/transitions", {"action": "propose", "version": 1}).status_code == 404
    assert api.patch(f"/cases/{case_e.pk}", {"version": 1, "main_problems": "x"}).status_code == 404
    case_e.refresh_from_db()
    assert case_e.state == CaseState.SCREENED and case_e.version == 1 and case_e.main_problems == ""


def test_it_lets_a_contact_leader_read_cases_of_the_linked_village_only(world, campaign, case_e, api_as, county, leader1):
    case_n = services.case_open(campaign=campaign, organization=world.village_n, actor=county)
    api = api_as(leader1)
    assert api.get(f"/cases/{case_n.pk}").status_code == 200
    assert api.get(f"/cases/{case_e.pk}").status_code == 404
    assert [c["id"] for c in api.get("/cases").json()["items"]] == [case_n.pk]


def test_it_opens_a_case(world, campaign, api_as, town1):
    response = api_as(town1).post(
        "/cases", {"campaign_id": campaign.pk, "organization_id": world.village_w.pk, "note": "排查发现"}
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.organization == world.village_w and case.created_by.username == "town1"
    assert CaseEvent.objects.get(case=case).note == "排查发现"


def test_it_refuses_opening_twice_in_chinese(world, campaign, case_e, api_as, town1):
    response = api_as(town1).post("/cases", {"campaign_id": campaign.pk, "organization_id": world.village_e.pk})
    assert response.status_code == 400
    assert response.json()["detail"] == "该组织在本次整顿工作中已有记录，不能重复列入"


def test_it_refuses_opening_a_case_on_another_township(world, campaign, api_as, town2):
    response = api_as(town2).post("/cases", {"campaign_id": campaign.pk, "organization_id": world.village_e.pk})
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_it_refuses_a_branch_operator_opening_with_403(world, campaign, api_as, branch1):
    response = api_as(branch1).post("/cases", {"campaign_id": campaign.pk, "organization_id": world.village_e.pk})
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有列入整顿对象的权限"


def test_it_walks_a_case_through_transitions(world, case_e, api_as, town1, county):
    township, department = api_as(town1), api_as(county)
    body = township.post(f"/cases/{case_e.pk}/transitions", {"action": "propose", "version": 1}).json()
    assert body["state"] == "proposed" and body["version"] == 2
    response = department.post(f"/cases/{case_e.pk}/transitions", {"action": "identify", "version": 2, "filed_on": "2026-03-16"})
    assert response.status_code == 200
    assert response.json()["filed_on"] == "2026-03-16" and response.json()["state_label"] == "已认定备案"
    events = township.get(f"/cases/{case_e.pk}/events").json()
    assert [(e["action"], e["actor"], e["to_label"]) for e in events["items"]] == [
        ("open", "town1", "已排查"),
        ("propose", "town1", "拟定待认定"),
        ("identify", "county", "已认定备案"),
    ]
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case_e.pk), action="transition").count() == 2


def test_it_refuses_an_illegal_transition_with_400(world, case_e, api_as, county):
    response = api_as(county).post(
        f"/cases/{case_e.pk}/transitions", {"action": "pass", "version": 1, "note": "x", "satisfaction": "90"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "当前状态为“已排查”，不能执行“验收通过并销号”"
    case_e.refresh_from_db()
    assert case_e.state == CaseState.SCREENED and case_e.version == 1


def test_it_refuses_an_unknown_action_with_400(world, case_e, api_as, county):
    response = api_as(county).post(f"/cases/{case_e.pk}/transitions", {"action": "teleport", "version": 1})
    assert response.status_code == 400
    assert response.json()["detail"] == "未知的操作"


def test_it_refuses_a_stale_version_with_409(world, case_e, api_as, town1):
    services.case_transition(case=case_e, action="propose", actor=town1)
    # Someone else proposed it first; this form still shows version 1.
    response = api_as(town1).post(f"/cases/{case_e.pk}/transitions", {"action": "propose", "version": 1})
    assert response.status_code == 409
    assert response.json()["detail"] == "该记录已被他人处理（当前状态：拟定待认定），您的操作未生效，请刷新后重试"
    assert CaseEvent.objects.filter(case=case_e, action="propose").count() == 1


def test_it_refuses_a_transition_without_permission_with_403(world, case_e, api_as, town1):
    services.case_transition(case=case_e, action="propose", actor=town1)
    response = api_as(town1).post(f"/cases/{case_e.pk}/transitions", {"action": "identify", "version": 2})
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有执行“认定备案”的权限"
    case_e.refresh_from_db()
    assert case_e.state == CaseState.PROPOSED


def test_it_requires_a_note_where_the_step_does(world, case_e, api_as, town1, county):
    services.case_transition(case=case_e, action="propose", actor=town1)
    response = api_as(county).post(f"/cases/{case_e.pk}/transitions", {"action": "return", "version": 2})
    assert response.status_code == 400
    assert response.json()["detail"] == "请填写意见或说明"


def test_it_refuses_a_low_satisfaction_at_acceptance(world, case_e, api_as, town1, county):
    case = case_e
    for action, actor, extra in [
        ("propose", town1, {}),
        ("identify", county, {}),
        ("approve_plan", county, {}),
        ("start", town1, {}),
        ("request_acceptance", town1, {"note": "已完成整改"}),
    ]:
        if action == "approve_plan":
            approved_plan(case, county=county, town=town1)
        else:
            case = services.case_transition(case=case, action=action, actor=actor, **extra)
    response = api_as(county).post(
        f"/cases/{case.pk}/transitions", {"action": "pass", "version": case.version, "note": "测评", "satisfaction": "65%"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "群众满意度 65.0% 低于本次整顿工作的合格线 70%，不能验收销号，应重新整顿"
    response = api_as(county).post(
        f"/cases/{case.pk}/transitions", {"action": "pass", "version": case.version, "note": "测评", "satisfaction": 86.5}
    )
    assert response.status_code == 200
    assert response.json()["state"] == "delisted" and response.json()["last_satisfaction"] == "0.865"


def test_it_refuses_to_approve_a_case_without_an_approved_plan(world, case_e, api_as, town1, county):
    case = services.case_transition(case=case_e, action="propose", actor=town1)
    case = services.case_transition(case=case, action="identify", actor=county)
    response = api_as(county).post(f"/cases/{case.pk}/transitions", {"action": "approve_plan", "version": case.version})
    assert response.status_code == 400
    assert response.json()["detail"] == ERR_PLAN_NOT_APPROVED
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED and case.version == 3
    assert not CaseEvent.objects.filter(case=case, action="approve_plan").exists()


def test_it_updates_ledger_fields_with_the_version(world, case_e, api_as, town1):
    response = api_as(town1).patch(f"/cases/{case_e.pk}", {"version": 1, "main_problems": "班子不团结", "is_key": True})
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2 and body["main_problems"] == "班子不团结" and body["is_key"] is True and body["measures"] == ""
    stale = api_as(town1).patch(f"/cases/{case_e.pk}", {"version": 1, "measures": "调整书记"})
    assert stale.status_code == 409
    case_e.refresh_from_db()
    assert case_e.measures == "" and case_e.version == 2


def test_it_refuses_a_ledger_update_without_permission(world, case_e, api_as, branch1):
    response = api_as(branch1).patch(f"/cases/{case_e.pk}", {"version": 1, "main_problems": "x"})
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有修改整顿对象信息的权限"


def test_it_adds_a_case_dynamically_and_identifies_key_cases_over_the_api(world, campaign, county, town1, api_as):
    from zhengdun.organizations.models import Post

    client = api_as(county)
    response = client.post(
        "/identification/dynamic", {"campaign_id": campaign.pk, "organization_id": world.village_m.pk, "note": "新发现"}
    )
    assert response.status_code == 201 and response.json()["state"] == "identified"
    refused = client.post(
        "/identification/dynamic",
        {"campaign_id": campaign.pk, "organization_id": world.village_w.pk, "note": "x", "is_key": True},
    )
    assert (
        refused.status_code == 400 and refused.json()["detail"] == "重点整顿对象须先明确联系领导，请先在“帮扶力量”中安排联系领导"
    )
    Post.objects.create(person=world.leader_person, organization=world.village_w, role="contact_leader")
    ok = client.post(
        "/identification/dynamic",
        {"campaign_id": campaign.pk, "organization_id": world.village_w.pk, "note": "x", "is_key": True},
    )
    assert ok.status_code == 201 and ok.json()["is_key"] is True
    assert (
        api_as(town1)
        .post("/identification/dynamic", {"campaign_id": campaign.pk, "organization_id": world.village_e.pk, "note": "x"})
        .status_code
        == 403
    )
