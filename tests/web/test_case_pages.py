import pytest
from django.urls import reverse

from tests.plans_support import approved_plan
from zhengdun.cases.forms import TransitionForm
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.services import case_open, case_transition
from zhengdun.cases.states import CaseState
from zhengdun.cases.transitions import BY_ACTION
from zhengdun.core.errors import ServiceError
from zhengdun.plans.guards import ERR_PLAN_NOT_APPROVED


def _post(client, case, action, **data):
    case.refresh_from_db()
    payload = {"version": case.version, "note": "", **data}
    return client.post(reverse("cases:transition", args=[case.pk, action]), payload)


def test_it_walks_a_case_to_delisting_through_the_pages(world, campaign, as_user, town1, county):
    t, c = as_user(town1), as_user(county)
    response = t.post(reverse("cases:open", args=[campaign.pk]), {"organization": world.village_e.pk, "note": "排查发现"})
    case = Case.objects.get(organization=world.village_e)
    assert response.status_code == 302
    assert _post(t, case, "propose").status_code == 302
    assert _post(c, case, "identify", filed_on="2026-03-16").status_code == 302
    approved_plan(case, county=county, town=town1)
    assert _post(t, case, "start").status_code == 302
    assert _post(t, case, "request_acceptance", note="整改完成").status_code == 302
    assert _post(c, case, "pass", note="验收合格", satisfaction="88").status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.DELISTED
    page = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已销号" in page and "验收合格" in page


def _identified(world, campaign, town1, county):
    case = case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = case_transition(case=case, action="propose", actor=town1)
    return case_transition(case=case, action="identify", actor=county, filed_on="2026-03-16")


def test_it_points_to_the_plan_instead_of_approving_a_case_without_one(world, campaign, as_user, town1, county):
    case = _identified(world, campaign, town1, county)
    page = as_user(county).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:transition", args=[case.pk, "approve_plan"]) not in page
    assert "去审核整顿方案" in page and reverse("plans:for_case", args=[case.pk]) in page


def test_it_offers_approval_once_the_plan_is_approved(world, campaign, as_user, town1, county):
    case = _identified(world, campaign, town1, county)
    approved_plan(case, county=county, town=town1, move_case=False)
    page = as_user(county).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:transition", args=[case.pk, "approve_plan"]) in page
    assert "去审核整顿方案" not in page


def test_it_refuses_the_approval_page_for_a_case_without_an_approved_plan(world, campaign, as_user, town1, county):
    case = _identified(world, campaign, town1, county)
    response = _post(as_user(county), case, "approve_plan")
    assert response.status_code == 400
    assert ERR_PLAN_NOT_APPROVED in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED
    assert not CaseEvent.objects.filter(case=case, action="approve_plan").exists()


def test_the_approval_form_asks_for_no_plan_field():
    form = TransitionForm(rule=BY_ACTION["approve_plan"], initial={"version": 1})
    assert set(form.fields) == {"version", "note"}


def test_it_shows_why_a_transition_was_refused(world, campaign, as_user, town1, county):
    case = case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case_transition(case=case, action="propose", actor=town1)
    response = _post(as_user(county), case, "return", note="")
    assert response.status_code == 400
    assert "请填写意见或说明" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSED


def test_it_tells_the_slower_of_two_deciders(world, campaign, as_user, town1, county):
    case = case_open(campaign=campaign, organization=world.village_e, actor=town1)
    case = case_transition(case=case, action="propose", actor=town1)
    stale = case.version
    c = as_user(county)
    c.post(reverse("cases:transition", args=[case.pk, "identify"]), {"version": stale, "filed_on": "2026-03-10"})
    response = c.post(reverse("cases:transition", args=[case.pk, "return"]), {"version": stale, "note": "退回"}, follow=True)
    assert "已被他人处理" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED


def test_it_forbids_a_township_to_identify(world, campaign, as_user, town1):
    case = case_open(campaign=campaign, organization=world.village_e, actor=town1)
    assert as_user(town1).get(reverse("cases:transition", args=[case.pk, "identify"])).status_code == 403


def test_it_refuses_listing_an_organization_twice(world, campaign, as_user, town1):
    case_open(campaign=campaign, organization=world.village_e, actor=town1)
    response = as_user(town1).post(reverse("cases:open", args=[campaign.pk]), {"organization": world.village_e.pk})
    assert "该组织在本次整顿工作中已有记录，不能重复列入" in response.content.decode()
    assert Case.objects.filter(organization=world.village_e).count() == 1


def test_it_refuses_a_stale_ledger_edit(world, campaign, as_user, town1):
    case = case_open(campaign=campaign, organization=world.village_e, actor=town1)
    client = as_user(town1)
    client.post(reverse("cases:ledger", args=[case.pk]), {"version": 1, "main_problems": "第一次", "measures": ""})
    response = client.post(
        reverse("cases:ledger", args=[case.pk]), {"version": 1, "main_problems": "第二次", "measures": ""}, follow=True
    )
    assert "已被他人处理" in response.content.decode()
    case.refresh_from_db()
    assert case.main_problems == "第一次"


def test_it_lists_cases_in_a_fixed_number_of_queries(world, campaign, as_user, county, django_assert_max_num_queries):
    for org in (world.village_e, world.village_w, world.community_s, world.village_n, world.village_m):
        case_open(campaign=campaign, organization=org, actor=county)
    client = as_user(county)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:list"))
    assert response.content.decode().count("badge text-bg-secondary") == 5


def test_it_lists_only_a_grassroots_organization_chosen_from_the_scope(world, campaign, as_user, town1, county):
    from zhengdun.cases.forms import ERR_PICK_GRASSROOTS

    t = as_user(town1)
    # A township itself, and a village of another township, are not on offer and are refused.
    for org in (world.town1_org, world.village_m):
        response = t.post(reverse("cases:open", args=[campaign.pk]), {"organization": org.pk})
        assert response.status_code == 200
        assert ERR_PICK_GRASSROOTS in response.content.decode()
    assert not Case.objects.exists()
    page = t.get(reverse("cases:open", args=[campaign.pk])).content.decode()
    assert "东关村党支部" in page and "中河村党支部" not in page and f'value="{world.town1_org.pk}"' not in page


def test_the_service_refuses_a_township_whatever_the_page_offered(world, campaign, county):
    from zhengdun.cases.services import ERR_NOT_GRASSROOTS

    with pytest.raises(ServiceError) as exc:
        case_open(campaign=campaign, organization=world.town1_org, actor=county)
    assert exc.value.message == ERR_NOT_GRASSROOTS
    assert not Case.objects.exists()
