from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.screening.conftest import VACANT, criterion, save
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_open
from zhengdun.cases.states import CaseState
from zhengdun.organizations.models import Organization
from zhengdun.screening import services
from zhengdun.screening.models import Finding, ScreeningRecord, ScreeningRound
from zhengdun.screening.transitions import ERR_UNSCREENED


def _record_url(rnd, org):
    return reverse("screening:record", args=[rnd.pk, org.pk])


def _weak_form(campaign, evidence="书记 3 月辞职，至今未补选", **extra):
    vacant = criterion(campaign, VACANT)
    data = {"version": 0, "method": "field_check", "screened_on": "2026-09-10", "conclusion": "weak", "note": ""}
    data.update({f"c{vacant.pk}": "on", f"e{vacant.pk}": evidence}, **extra)
    return data


def test_it_walks_a_township_from_opening_to_proposing(world, campaign, as_user, town1):
    client = as_user(town1)
    page = client.get(reverse("screening:list")).content.decode()
    assert "发起排查" in page and campaign.name in page
    assert f'<option value="{world.town1_org.pk}" selected>城关镇</option>' in page
    response = client.post(reverse("screening:open"), {"campaign": campaign.pk, "jurisdiction": world.town1_org.pk})
    rnd = ScreeningRound.objects.get()
    assert response.url == reverse("screening:detail", args=[rnd.pk])
    page = client.get(response.url).content.decode()
    assert "东关村党支部" in page and "西关村党支部" in page and "南关社区党支部" in page and "北河村党支部" not in page
    assert 'title="书记岗位空缺，无在任书记记录"' in page
    assert 'title="2025 年集体经济收入 4.90 万元，低于 5.00 万元"' in page
    for org in (world.village_e, world.village_w, world.community_s):
        response = client.post(_record_url(rnd, org), _weak_form(campaign))
        assert response.status_code == 302, response.content.decode()
        response = client.post(reverse("screening:propose", args=[rnd.pk, org.pk]), follow=True)
        assert f"已将“{org.name}”提出拟定" in response.content.decode()
    assert set(Case.objects.values_list("state", flat=True)) == {CaseState.PROPOSED}
    assert Case.objects.count() == 3
    page = client.get(reverse("screening:detail", args=[rnd.pk])).content.decode()
    assert page.count("拟定待认定") == 3 and "提出拟定</button>" not in page


def test_it_shows_the_criteria_by_category_and_the_signs_as_suggestions(world, campaign, as_user, town1, round1):
    page = as_user(town1).get(_record_url(round1, world.village_w)).content.decode()
    assert "党组织凝聚力战斗力不强" in page and "干部作风不实" in page
    assert "系统预警信号（仅作排查线索，不作为认定依据）" in page and "书记空缺：书记岗位空缺，无在任书记记录" in page
    for value, label in (("self_check", "组织自查"), ("member_review", "党员群众评查"), ("petition_check", "信访核查")):
        assert f'<option value="{value}">{label}</option>' in page


def test_it_shows_a_missing_evidence_and_writes_nothing(world, campaign, as_user, town1, round1):
    response = as_user(town1).post(_record_url(round1, world.village_w), _weak_form(campaign, evidence="  "))
    assert response.status_code == 400
    assert "请填写认定标准 1.2 的事实依据" in response.content.decode()
    assert not ScreeningRecord.objects.exists()


def test_it_refuses_evidence_for_an_unchecked_criterion(world, campaign, as_user, town1, round1):
    data = _weak_form(campaign)
    data.pop(f"c{criterion(campaign, VACANT).pk}")
    response = as_user(town1).post(_record_url(round1, world.village_w), data)
    assert response.status_code == 400
    assert "填写了事实依据，但没有勾选这一项认定标准" in response.content.decode()
    assert not ScreeningRecord.objects.exists()


def test_it_tells_the_slower_of_two_editors(world, campaign, as_user, town1, county, round1):
    save(round1, world.village_w, town1, conclusion="pending")
    save(round1, world.village_w, county, conclusion="not_weak", expected_version=1)
    response = as_user(town1).post(_record_url(round1, world.village_w), _weak_form(campaign, version=1))
    assert response.status_code == 409
    assert "该排查记录已被他人修改" in response.content.decode()
    assert ScreeningRecord.objects.get().conclusion == "not_weak" and not Finding.objects.exists()


def test_it_edits_a_record_with_its_saved_findings_shown(world, campaign, as_user, town1, round1):
    save(round1, world.village_w, town1)
    page = as_user(town1).get(_record_url(round1, world.village_w)).content.decode()
    assert "书记于 2026 年 3 月辞职，至今未选出</textarea>" in page and 'name="version" value="1"' in page
    assert 'type="date" name="screened_on" value="2026-09-10"' in page


def test_it_refuses_a_second_open_round_on_the_page(world, campaign, as_user, town1, round1):
    response = as_user(town1).post(reverse("screening:open"), {"campaign": campaign.pk, "jurisdiction": world.town1_org.pk})
    assert response.status_code == 400
    assert "“城关镇”在本次整顿工作中已有进行中的排查" in response.content.decode()
    assert ScreeningRound.objects.count() == 1


def test_it_refuses_proposing_twice_on_the_page(world, as_user, town1, round1):
    services.record_propose(record=save(round1, world.village_w, town1), actor=town1)
    response = as_user(town1).post(reverse("screening:propose", args=[round1.pk, world.village_w.pk]), follow=True)
    assert "不能重复提出" in response.content.decode()
    assert Case.objects.count() == 1


def test_it_lists_the_pending_organizations_when_closing_is_refused(world, as_user, town1, round1):
    save(round1, world.village_w, town1, conclusion="pending")
    response = as_user(town1).post(reverse("screening:close", args=[round1.pk]), follow=True)
    assert "请研判后再结束排查：西关村党支部" in response.content.decode()
    save(round1, world.village_w, town1, conclusion="not_weak", expected_version=1)
    response = as_user(town1).post(reverse("screening:close", args=[round1.pk]), {"confirm": "1"}, follow=True)
    assert "本轮排查已结束" in response.content.decode()
    assert ScreeningRound.objects.get().status == "closed"


def test_it_filters_the_table(world, campaign, as_user, town1, round1):
    save(round1, world.village_w, town1)
    save(round1, world.community_s, town1, conclusion="not_weak")
    client = as_user(town1)
    url = reverse("screening:detail", args=[round1.pk])
    weak = client.get(url, {"only": "weak"}).content.decode()
    assert "西关村党支部" in weak and "南关社区党支部" not in weak and "东关村党支部" not in weak
    unscreened = client.get(url, {"only": "unscreened"}).content.decode()
    assert "东关村党支部" in unscreened and "西关村党支部" not in unscreened


def test_it_answers_404_to_another_township(world, campaign, as_user, town1, town2, round1):
    save(round1, world.village_w, town1)
    client = as_user(town2)
    assert client.get(reverse("screening:detail", args=[round1.pk])).status_code == 404
    assert client.get(_record_url(round1, world.village_w)).status_code == 404
    assert client.post(_record_url(round1, world.village_w), _weak_form(campaign, version=1)).status_code == 404
    assert client.post(reverse("screening:propose", args=[round1.pk, world.village_w.pk])).status_code == 404
    assert client.post(reverse("screening:close", args=[round1.pk])).status_code == 404
    assert "城关镇" not in client.get(reverse("screening:list")).content.decode()
    assert not Case.objects.exists() and ScreeningRound.objects.get().status == "open"


def test_it_answers_404_for_an_organization_outside_the_round(world, as_user, county, campaign):
    rnd = services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=county)
    assert as_user(county).get(_record_url(rnd, world.village_n)).status_code == 404


def test_it_forbids_a_branch_operator_to_record(world, as_user, branch1, round1):
    assert as_user(branch1).get(_record_url(round1, world.village_e)).status_code == 403
    assert "发起排查</button>" not in as_user(branch1).get(reverse("screening:list")).content.decode()


def _grow(world, campaign, county, rnd, n):
    town = world.town1_org
    for i in range(n):
        org = Organization.objects.add_child(
            Organization.objects.get(pk=town.pk), instance=Organization(code=f"R{i:03}", name=f"新村{i}", parent=town)
        )
        save(rnd, org, county)
        case_open(campaign=campaign, organization=org, actor=county)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_it_shows_a_round_in_a_fixed_number_of_queries(world, campaign, as_user, county, django_assert_max_num_queries):
    rnd = services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=county)
    client = as_user(county)
    url = reverse("screening:detail", args=[rnd.pk])
    client.get(url)
    before, _ = _count(client, url)
    _grow(world, campaign, county, rnd, 15)
    with django_assert_max_num_queries(before):
        after, page = _count(client, url)
    assert page.count("新村") == 15 and after == before


def test_it_lists_rounds_in_a_fixed_number_of_queries(world, campaign, as_user, county, django_assert_max_num_queries):
    services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=county)
    client = as_user(county)
    url = reverse("screening:list")
    client.get(url)
    before, _ = _count(client, url)
    pairs = ((world.town2_org, world.village_n), (world.county_org, world.village_e), (world.village_m, world.village_m))
    for jurisdiction, org in pairs:
        save(services.round_open(campaign=campaign, jurisdiction=jurisdiction, actor=county), org, county)
    with django_assert_max_num_queries(before):
        after, page = _count(client, url)
    assert page.count("已排查 1 / ") == 3 and after == before


def test_it_links_the_page_from_the_navigation(as_user, town1):
    assert f'href="{reverse("screening:list")}">排查</a>' in as_user(town1).get(reverse("home")).content.decode()


def test_closing_with_unscreened_organizations_shows_the_count_and_a_confirm_button(world, as_user, town1, round1):
    save(round1, world.village_w, town1, conclusion="not_weak")
    client = as_user(town1)
    url = reverse("screening:close", args=[round1.pk])
    page = client.post(url).content.decode()
    assert ERR_UNSCREENED.format(count=2) in page and 'name="confirm" value="1"' in page and "确认结束排查" in page
    assert ScreeningRound.objects.get().status == "open"
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "本轮排查已结束" in response.content.decode()
    assert ScreeningRound.objects.get().status == "closed"


def test_the_round_page_shows_why_it_cannot_be_closed_yet(world, as_user, town1, round1):
    save(round1, world.village_w, town1, conclusion="pending")
    page = as_user(town1).get(reverse("screening:detail", args=[round1.pk])).content.decode()
    assert "结束排查：以下组织的研判结论仍为“待研判”，请研判后再结束排查：西关村党支部" in page
