"""Separation of duties on the list: whoever asked for a case's removal does not approve it."""

import pytest
from django.contrib.auth.models import Group

from tests.personas import PASSWORD
from zhengdun.accounts.models import User
from zhengdun.accounts.roles import Role
from zhengdun.cases.services import case_transition
from zhengdun.cases.states import CaseState
from zhengdun.cases.transitions import CASE_WORKFLOW, ERR_APPROVE_OWN_REMOVAL
from zhengdun.core.errors import NotPermitted
from zhengdun.identification.services import case_add_dynamic


@pytest.fixture
def county_colleague(world):
    """A second county administrator: another person of the same department."""
    user = User.objects.create_user(username="county2", password=PASSWORD, organization=world.county_org)
    user.groups.add(Group.objects.get(name=Role.COUNTY_ADMIN))
    return user


def test_the_requester_of_a_removal_cannot_approve_it(world, campaign, county, county_colleague):
    case = case_add_dynamic(campaign=campaign, organization=world.village_e, actor=county, note="新发现")
    case = case_transition(case=case, action="request_removal", actor=county, note="核实后不属于软弱涣散")
    offers = {o.action: o for o in CASE_WORKFLOW.offers(case, county)}
    assert offers["approve_removal"].blocked == ERR_APPROVE_OWN_REMOVAL
    assert offers["reject_removal"].allowed
    with pytest.raises(NotPermitted, match=ERR_APPROVE_OWN_REMOVAL):
        case_transition(case=case, action="approve_removal", actor=county, note="同意")
    case.refresh_from_db()
    assert case.state == CaseState.REMOVAL_REQUESTED
    case = case_transition(case=case, action="approve_removal", actor=county_colleague, note="同意移出")
    assert case.state == CaseState.REMOVED


def test_the_case_page_shows_the_reason(world, campaign, county, as_user):
    from django.urls import reverse

    case = case_add_dynamic(campaign=campaign, organization=world.village_e, actor=county, note="新发现")
    case = case_transition(case=case, action="request_removal", actor=county, note="核实后不属于软弱涣散")
    page = as_user(county).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert ERR_APPROVE_OWN_REMOVAL in page
