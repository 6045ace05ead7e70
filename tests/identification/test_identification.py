import pytest
from django.urls import reverse

from zhengdun.cases import services
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.identification.honesty import MSG_GOOD_FOR_BAD, honesty_report
from zhengdun.identification.services import case_add_dynamic
from zhengdun.organizations.models import EconomyRecord, Post
from zhengdun.support.guards import ERR_KEY_NEEDS_LEADER


def proposed(campaign, org, town1):
    case = services.case_open(campaign=campaign, organization=org, actor=town1)
    return services.case_transition(case=case, action="propose", actor=town1)


def test_it_refuses_a_key_case_without_a_contact_leader(world, campaign, town1, county):
    case = proposed(campaign, world.village_e, town1)
    with pytest.raises(ServiceError) as exc:
        services.case_transition(case=case, action="identify", actor=county, filed_on="2026-03-01", is_key=True)
    assert exc.value.message == ERR_KEY_NEEDS_LEADER
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSED and not case.is_key


def test_it_identifies_a_key_case_that_has_a_contact_leader(world, campaign, town1, county):
    Post.objects.create(person=world.leader_person, organization=world.village_e, role="contact_leader")
    case = proposed(campaign, world.village_e, town1)
    case = services.case_transition(case=case, action="identify", actor=county, filed_on="2026-03-01", is_key=True)
    assert case.state == CaseState.IDENTIFIED and case.is_key and str(case.filed_on) == "2026-03-01"


def test_it_lets_the_campaign_drop_the_contact_leader_rule(world, campaign, town1, county):
    campaign.key_requires_contact_leader = False
    campaign.save()
    case = proposed(campaign, world.village_e, town1)
    assert services.case_transition(case=case, action="identify", actor=county, is_key=True).is_key


def test_it_adds_an_organization_found_weak_later_in_one_step(world, campaign, county):
    case = case_add_dynamic(
        campaign=campaign, organization=world.village_m, actor=county, note="信访核查发现", filed_on="2026-06-01"
    )
    assert case.state == CaseState.IDENTIFIED and str(case.filed_on) == "2026-06-01"
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == ["open", "propose", "identify"]
    assert all("动态增补" in n for n in CaseEvent.objects.filter(case=case).values_list("note", flat=True))


def test_it_refuses_dynamic_addition_by_a_township_or_twice(world, campaign, county, town1):
    with pytest.raises(NotPermitted):
        case_add_dynamic(campaign=campaign, organization=world.village_e, actor=town1, note="x")
    case_add_dynamic(campaign=campaign, organization=world.village_e, actor=county, note="新发现")
    with pytest.raises(ServiceError) as exc:
        case_add_dynamic(campaign=campaign, organization=world.village_e, actor=county, note="再次")
    assert exc.value.message == "该组织在本次整顿工作中的状态为“已认定备案”，不能动态增补"
    assert Case.objects.filter(organization=world.village_e).count() == 1


def test_it_removes_a_listed_organization_only_with_a_reason_and_county_approval(world, campaign, county, town1):
    case = case_add_dynamic(campaign=campaign, organization=world.village_e, actor=county, note="新发现")
    with pytest.raises(ServiceError):
        services.case_transition(case=case, action="request_removal", actor=town1, note="")
    case = services.case_transition(case=case, action="request_removal", actor=town1, note="核实后不属于软弱涣散")
    with pytest.raises(NotPermitted):
        services.case_transition(case=case, action="approve_removal", actor=town1, note="同意")
    case = services.case_transition(case=case, action="reject_removal", actor=county, note="证据不足")
    assert case.state == CaseState.IDENTIFIED
    case = services.case_transition(case=case, action="request_removal", actor=town1, note="补充材料后再次申请")
    case = services.case_transition(case=case, action="approve_removal", actor=county, note="同意移出")
    assert case.state == CaseState.REMOVED


def test_it_warns_when_a_better_organization_is_listed_instead_of_a_worse_one(world, campaign, town1, county):
    for year, income in ((2023, "9"), (2024, "6"), (2025, "3")):
        EconomyRecord.objects.update_or_create(organization=world.village_w, year=year, defaults={"income_wan": income})
    Post.objects.filter(organization=world.village_e).delete()  # village_e keeps no sign once given a secretary below
    Post.objects.create(person=world.secretary_e, organization=world.village_e, role="secretary")
    proposed(campaign, world.community_s, town1)
    report = honesty_report(campaign, world.county_org)
    town1_row = next(r for r in report.rows if r.unit == world.town1_org)
    assert town1_row.total == 3 and town1_row.listed == 1
    expected = MSG_GOOD_FOR_BAD.format(listed="南关社区党支部", n=1, unit="乡镇（街道）", unlisted="西关村党支部", m=3)
    assert expected in town1_row.warnings


def test_it_warns_of_a_weak_organization_left_off_the_list(world, campaign, town1):
    for year, income in ((2023, "9"), (2024, "6"), (2025, "3")):
        EconomyRecord.objects.update_or_create(organization=world.village_w, year=year, defaults={"income_wan": income})
    report = honesty_report(campaign, world.town1_org)
    assert any("“西关村党支部”有 3 项预警信号" in w and "应列入" in w for r in report.rows for w in r.warnings)


def test_it_warns_of_a_quota_split_evenly(world, campaign, county):
    from zhengdun.organizations.services import org_create

    campaign.quota_share = "0.5"
    campaign.save()
    campaign.refresh_from_db()
    town3 = org_create(
        parent=world.county_org, actor=county, code="T03", name="三河镇", level="township", kind="committee", domain="rural"
    )
    for i in range(2):
        org_create(
            parent=town3, actor=county, code=f"V030{i}", name=f"三河{i}村党支部", level="village", kind="branch", domain="rural"
        )
    for org in (world.village_e, world.village_n, town3.children.first()):
        case_add_dynamic(campaign=campaign, organization=org, actor=county, note="排查")
    report = honesty_report(campaign, world.county_org)
    assert "各乡镇（街道）拟定数量均恰为其组织数的 50%，疑似按比例平均分配名额，请核实是否“应定尽定”" in report.warnings


def test_it_shows_the_identification_queue_and_confirms_in_place(world, campaign, as_user, town1, county):
    case = proposed(campaign, world.village_w, town1)
    client = as_user(county)
    url = reverse("identification:queue") + f"?campaign={campaign.pk}"
    assert "西关村党支部" in client.get(url).content.decode()
    response = client.post(
        reverse("cases:transition", args=[case.pk, "identify"]), {"version": case.version, "filed_on": "2026-03-20", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED


def test_it_shows_the_honesty_page_to_the_county_and_404s_other_subtrees(world, campaign, as_user, county, town2):
    page = as_user(county).get(reverse("identification:honesty"), {"campaign": campaign.pk}).content.decode()
    assert "城关镇" in page and "河口镇" in page
    assert (
        as_user(town2).get(reverse("identification:honesty"), {"campaign": campaign.pk, "org": world.town1_org.pk}).status_code
        == 404
    )
