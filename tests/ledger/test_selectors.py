from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengdun.cases.services import case_transition
from zhengdun.core.errors import ServiceError
from zhengdun.ledger.selectors import Listing, default_unit, ledger_for, ledger_rows, unit_choices


def names(rows):
    return [row.organization_name for row in rows]


def test_it_lists_only_identified_cases_in_tree_order(world, campaign, county, cases):
    rows = ledger_rows(county, campaign, under=world.county_org)
    assert names(rows) == ["东关村党支部", "南关社区党支部", "北河村党支部"]
    assert [row.number for row in rows] == [1, 2, 3]
    assert [row.parent_name for row in rows] == ["城关镇", "城关镇", "河口镇"]


def test_it_adds_the_delisted_on_the_all_listing(world, campaign, county, cases):
    rows = ledger_rows(county, campaign, under=world.county_org, listing=Listing.ALL)
    assert names(rows) == ["东关村党支部", "南关社区党支部", "北河村党支部", "中河村党支部"]
    assert rows[-1].state_label == "已销号"


def test_it_keeps_a_case_sent_back_for_rectification(world, campaign, county, cases):
    case = cases["community_s"]
    case = case_transition(case=case, action="request_acceptance", actor=county, note="已完成")
    case_transition(case=case, action="fail", actor=county, note="满意度不足")
    assert "南关社区党支部" in names(ledger_rows(county, campaign, under=world.town1_org))


def test_it_limits_rows_to_the_subtree(world, campaign, county, cases):
    assert names(ledger_rows(county, campaign, under=world.town1_org)) == ["东关村党支部", "南关社区党支部"]


def test_it_shows_secretary_and_contact_leaders_with_the_b_post(world, campaign, county, cases):
    rows = {row.organization_name: row for row in ledger_rows(county, campaign, under=world.county_org)}
    assert rows["东关村党支部"].secretary_name == "王建国"
    assert rows["东关村党支部"].secretary_phone == "13812345678"
    assert rows["东关村党支部"].contact_leaders == "钱主（B岗：赵副）"
    assert rows["北河村党支部"].contact_leaders == "李联系"
    assert rows["南关社区党支部"].secretary_name == ""


def test_it_masks_phones_for_a_branch_operator(world, campaign, branch1, cases):
    rows = ledger_rows(branch1, campaign, under=world.village_e)
    assert [(row.organization_name, row.secretary_phone) for row in rows] == [("东关村党支部", "138****5678")]


def test_it_refuses_a_subtree_outside_the_campaign(world, county, cases):
    from zhengdun.campaigns.services import campaign_create_from_template

    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    try:
        ledger_for(county, own, under=world.town2_org)
    except ServiceError as exc:
        assert exc.message == "组织“河口镇”不在整顿工作“" + own.name + "”的范围内"
    else:
        raise AssertionError("expected a refusal")


def test_it_offers_units_and_picks_the_users_own(world, campaign, county, town1, leader1):
    assert default_unit(county, campaign, unit_choices(county, campaign)) == world.county_org
    assert default_unit(town1, campaign, unit_choices(town1, campaign)) == world.town1_org
    choices = unit_choices(leader1, campaign)
    assert world.village_n in choices and world.town1_org not in choices
    assert default_unit(leader1, campaign, choices) == world.village_n


def test_it_reads_the_ledger_in_a_fixed_number_of_queries(world, campaign, county, cases):
    from tests.ledger.conftest import listed_case
    from zhengdun.organizations.models import Organization, Person, Post

    ledger_rows(county, campaign, under=world.county_org)
    with CaptureQueriesContext(connection) as before:
        small = ledger_rows(county, campaign, under=world.county_org)
    for i in range(5):
        parent = Organization.objects.get(pk=world.town1_org.pk)
        org = Organization.objects.add_child(parent, instance=Organization(code=f"N{i}", name=f"新村{i}", parent=world.town1_org))
        person = Person.objects.create(name=f"书记{i}", organization=org)
        Post.objects.create(person=person, organization=org, role="secretary")
        Post.objects.create(person=person, organization=org, role="contact_leader")
        listed_case(campaign, org, county, main_problems="问题")
    with CaptureQueriesContext(connection) as after:
        large = ledger_rows(county, campaign, under=world.county_org)
    assert len(large) == len(small) + 5
    assert len(after.captured_queries) == len(before.captured_queries) <= 3
