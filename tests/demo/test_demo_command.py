"""`manage.py demo`: the demo county, its accounts, and running it twice."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from zhengdun.accounts.models import User
from zhengdun.accounts.roles import Role
from zhengdun.audit.models import AuditEvent
from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.core.scoping import scope_for
from zhengdun.demo.plan import make_plan
from zhengdun.organizations.choices import Level, PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post
from zhengdun.plans.models import Plan, PlanStatus, Task

PASSWORD = "Zhengdun@2026"
SMALL = {"townships": 3, "villages_per_township": 4}
USERS = {
    "county": Role.COUNTY_ADMIN,
    "town1": Role.TOWNSHIP_OPERATOR,
    "town2": Role.TOWNSHIP_OPERATOR,
    "branch1": Role.BRANCH_OPERATOR,
    "leader1": Role.CONTACT_LEADER,
    "inspector1": Role.INSPECTOR,
}
MODELS = (Organization, Person, Post, EconomyRecord, User, Campaign, Case, CaseEvent, Plan, Task)


def demo(**options: Any) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **{"seed": 1, **options})
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def login(username: str, password: str = PASSWORD) -> User | None:
    # django-axes wants the request it guards.
    return authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password)


def user(username: str) -> User:
    return User.objects.select_related("organization", "person").get(username=username)


@pytest.fixture
def small(db: None) -> str:
    return demo(**SMALL)


def test_it_makes_every_account_with_its_role_and_the_password(small: str) -> None:
    for username, role in USERS.items():
        account = user(username)
        assert account.role_codes == [role]
        assert account.display_name and account.display_name != username
        assert login(username) == account
    assert "Zhengdun@2026" in small


def test_it_places_the_accounts_where_their_work_is(small: str) -> None:
    county, town1, town2, branch1 = (user(n) for n in ("county", "town1", "town2", "branch1"))
    assert county.organization.level == Level.COUNTY and county.organization.code == "371525"
    assert user("inspector1").organization == county.organization
    assert town1.organization.level == town2.organization.level == Level.TOWNSHIP
    assert town1.organization != town2.organization
    assert branch1.organization.level == Level.VILLAGE
    assert branch1.organization.path.startswith(town1.organization.path)
    # branch1 is the secretary of its village.
    secretary = Post.objects.active().filter(person=branch1.person, organization=branch1.organization, role=PostRole.SECRETARY)
    assert secretary.exists()


def test_leader1_reaches_its_linked_township_but_not_town1s(small: str) -> None:
    leader1, town1 = user("leader1"), user("town1")
    links = Post.objects.filter(person=leader1.person, role=PostRole.CONTACT_LEADER).select_related("organization")
    linked = {post.organization.level: post.organization for post in links}
    township, village = linked[Level.TOWNSHIP], linked[Level.VILLAGE]
    assert village.path.startswith(township.path)
    assert township not in (town1.organization, user("town2").organization)
    assert leader1.organization.name == "县人大机关党支部"
    scope = scope_for(leader1)
    assert scope.covers_path(township.path) and scope.covers_path(village.path)
    assert not scope.covers_path(town1.organization.path)
    # The B岗 deputy holds the same two links.
    deputies = Post.objects.filter(role=PostRole.CONTACT_LEADER_DEPUTY, organization__in=[township, village])
    assert deputies.count() == 2 and deputies.values("person").distinct().count() == 1


def test_it_gives_villages_figures_secretaries_and_three_years_of_income(small: str) -> None:
    villages = Organization.objects.filter(level=Level.VILLAGE)
    assert villages.count() >= 3 * 2
    assert not villages.filter(member_count__isnull=True).exists()
    year = datetime.date.today().year
    rural = villages.filter(domain="rural").first()
    years = sorted(EconomyRecord.objects.filter(organization=rural).values_list("year", flat=True))
    assert years == [year - 3, year - 2, year - 1]
    staffed = villages.filter(posts__role=PostRole.SECRETARY, posts__ended_on__isnull=True).distinct().count()
    assert 0 < staffed <= villages.count()
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_it_walks_the_cases_through_the_services_as_the_demo_accounts(small: str) -> None:
    campaign = Campaign.objects.get()
    assert campaign.template_key == "county_two_year_2018"
    assert campaign.scope.code == "371525" and campaign.start_year == datetime.date.today().year
    cases = Case.objects.filter(campaign=campaign)
    assert cases.count() >= 6
    assert {CaseState.SCREENED, CaseState.PROPOSED, CaseState.RECTIFYING, CaseState.ACCEPTANCE_REQUESTED} <= set(
        cases.values_list("state", flat=True)
    )
    branch1 = user("branch1")
    mine = cases.get(organization=branch1.organization)
    assert mine.state == CaseState.RECTIFYING and mine.is_key and mine.main_problems and mine.measures
    actors = list(mine.events.values_list("action", "actor__username"))
    assert actors == [
        ("open", "town1"),
        ("propose", "town1"),
        ("identify", "county"),
        ("approve_plan", "county"),
        ("start", "town1"),
    ]
    assert AuditEvent.objects.filter(object_type="cases.case", action="transition", actor_name="town2").exists()


def test_every_case_past_identification_has_its_plan_approved_by_the_county(small: str) -> None:
    past = Case.objects.exclude(state__in=[CaseState.SCREENED, CaseState.PROPOSED, CaseState.IDENTIFIED])
    assert past.exists()
    for case in past.select_related("plan__approved_version"):
        plan = case.plan
        assert plan.status == PlanStatus.APPROVED and plan.approved_version is not None
        assert plan.notice.published_at is not None and plan.notice.ends_on >= plan.notice.starts_on
        assert 2 <= plan.tasks.count() <= 4
        campaign = case.campaign
        assert not plan.tasks.filter(deadline__year__lt=campaign.start_year).exists()
        assert not plan.tasks.filter(deadline__year__gt=campaign.end_year).exists()
        levels = list(plan.reviews.values_list("level", "reviewer__username"))
        assert levels[-1] == ("county", "county") and levels[0][0] == "township"
    assert not Plan.objects.filter(case__state__in=[CaseState.SCREENED, CaseState.PROPOSED]).exists()


def test_running_twice_creates_nothing_more(small: str) -> None:
    before = counts()
    again = demo(**SMALL)
    assert "演示数据已存在，未重复创建" in again
    assert counts() == before


def test_reset_passwords_restores_a_changed_password(small: str) -> None:
    town1 = user("town1")
    town1.set_password("something-else-42")
    town1.save()
    demo(**SMALL)
    assert login("town1") is None
    demo(reset_passwords=True, **SMALL)
    assert login("town1") is not None


def test_the_same_seed_draws_the_same_county_and_another_seed_another() -> None:
    today = datetime.date(2026, 11, 22)
    first, again = make_plan(seed=5, today=today), make_plan(seed=5, today=today)
    assert first == again
    assert make_plan(seed=6, today=today).orgs != first.orgs


def test_it_refuses_a_county_too_small_for_the_accounts(db: None) -> None:
    with pytest.raises(CommandError):
        demo(townships=1)
    assert Organization.objects.count() == 0


def test_the_default_run_builds_the_whole_county(db: None) -> None:
    out = demo()
    county = Organization.objects.get(code="371525")
    subtree = Organization.objects.filter(path__startswith=county.path)
    towns = subtree.filter(level=Level.TOWNSHIP)
    assert towns.count() == 14
    assert towns.filter(kind="working_committee").count() == 4
    assert 200 <= subtree.filter(level=Level.VILLAGE).count() <= 240
    assert subtree.filter(level=Level.VILLAGE, domain="community").count() >= 30
    assert Case.objects.count() == 12
    states = set(Case.objects.values_list("state", flat=True))
    assert states >= {CaseState.DELISTED, CaseState.PLAN_APPROVED, CaseState.IDENTIFIED}
    # Some villages look weak in the figures the system can check.
    year = datetime.date.today().year
    assert EconomyRecord.objects.filter(year=year - 1, income_wan__lt=5).count() >= 10
    vacant = subtree.filter(level=Level.VILLAGE).exclude(
        pk__in=Post.objects.active().filter(role=PostRole.SECRETARY).values("organization")
    )
    assert 3 <= vacant.count() <= 25
    assert "乡镇（街道）14 个" in out


def test_it_refuses_and_writes_nothing_when_the_accounts_belong_to_another_county(world: Any) -> None:
    before = counts()
    with pytest.raises(CommandError, match="county"):
        demo(**SMALL)
    assert counts() == before


def test_it_makes_the_three_separated_administrators(small: str) -> None:
    county = user("county").organization
    for username, role in (("sysadmin", Role.SYSTEM_ADMIN), ("secadmin", Role.SECURITY_ADMIN), ("auditor", Role.AUDIT_ADMIN)):
        account = user(username)
        assert account.role_codes == [role] and account.organization == county
        assert login(username) == account
    assert not user("county").has_perm("accounts.manage_users") and not user("county").has_perm("audit.view_auditevent")
    people = {user(name).person_id for name in ("sysadmin", "secadmin", "auditor", "county")}
    assert len(people) == 4  # four different people
