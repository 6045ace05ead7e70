import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengdun.cases.models import Case
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import AnnualFigures, EconomyRecord, Organization, Person, Post
from zhengdun.screening.signs import compute_signs

TODAY = datetime.date(2026, 11, 22)


def signs_of(campaign, org, under=None):
    found = compute_signs(campaign, under or org.parent, today=TODAY)
    return {s.code: s.detail for s in found[org.pk]}


def turn_off(campaign, **settings):
    for name, value in settings.items():
        setattr(campaign, name, value)
    campaign.save()


def test_it_flags_a_secretary_post_never_filled(world, campaign):
    assert signs_of(campaign, world.village_w)["secretary_vacant"] == "书记岗位空缺，无在任书记记录"
    assert "secretary_vacant" not in signs_of(campaign, world.village_e)


def test_it_counts_the_days_since_the_last_secretary_left(world, campaign):
    person = Person.objects.create(name="刘前任", organization=world.village_w)
    Post.objects.create(person=person, organization=world.village_w, role=PostRole.SECRETARY, ended_on=datetime.date(2026, 10, 1))
    assert signs_of(campaign, world.village_w)["secretary_vacant"] == "书记岗位自 2026-10-01 起空缺 52 天"
    turn_off(campaign, warn_secretary_vacant_days=60)
    assert "secretary_vacant" not in signs_of(campaign, world.village_w)
    turn_off(campaign, warn_secretary_vacant_days=None)
    assert "secretary_vacant" not in signs_of(campaign, world.community_s)


def test_it_flags_income_below_the_floor(world, campaign):
    assert signs_of(campaign, world.village_e)["low_income"] == "2025 年集体经济收入 4.90 万元，低于 5.00 万元"
    turn_off(campaign, warn_income_floor_wan=None)
    assert "low_income" not in signs_of(campaign, world.village_e)


def test_it_flags_income_falling_three_years_running(world, campaign):
    for year, income in ((2023, "8"), (2024, "7"), (2025, "6")):
        EconomyRecord.objects.create(organization=world.village_w, year=year, income_wan=Decimal(income))
    signs = signs_of(campaign, world.village_w)
    assert signs["income_falling"] == "2023 年 8.00 → 2024 年 7.00 → 2025 年 6.00 万元"
    assert "low_income" not in signs
    turn_off(campaign, warn_income_falling=False)
    assert "income_falling" not in signs_of(campaign, world.village_w)


def test_it_ignores_a_fall_across_a_missing_year(world, campaign):
    for year, income in ((2022, "8"), (2024, "7"), (2025, "6")):
        EconomyRecord.objects.create(organization=world.village_w, year=year, income_wan=Decimal(income))
    assert "income_falling" not in signs_of(campaign, world.village_w)


def test_it_flags_two_years_without_a_new_member(world, campaign):
    AnnualFigures.objects.create(organization=world.village_w, year=2024, new_members=0)
    AnnualFigures.objects.create(organization=world.village_w, year=2025, new_members=0)
    AnnualFigures.objects.create(organization=world.community_s, year=2024, new_members=0)
    AnnualFigures.objects.create(organization=world.community_s, year=2025, new_members=1)
    assert signs_of(campaign, world.village_w)["no_new_members"] == "2024—2025 年连续 2 年未发展党员"
    assert "no_new_members" not in signs_of(campaign, world.community_s)
    turn_off(campaign, warn_no_new_member_years=None)
    assert "no_new_members" not in signs_of(campaign, world.village_w)


def test_it_flags_a_star_rating_below_three(world, campaign):
    AnnualFigures.objects.create(organization=world.village_w, year=2025, star_rating=2)
    AnnualFigures.objects.create(organization=world.community_s, year=2025, star_rating=3)
    assert signs_of(campaign, world.village_w)["low_star"] == "2025 年星级评定为 2 星，低于 3 星"
    assert "low_star" not in signs_of(campaign, world.community_s)
    turn_off(campaign, warn_min_star=None)
    assert "low_star" not in signs_of(campaign, world.village_w)


def test_it_flags_many_petitions(world, campaign):
    AnnualFigures.objects.create(organization=world.village_w, year=2024, petitions=20)
    AnnualFigures.objects.create(organization=world.village_w, year=2025, petitions=8)
    assert signs_of(campaign, world.village_w)["petitions"] == "2025 年信访 8 件，超过 5 件"
    turn_off(campaign, warn_petitions=None)
    assert "petitions" not in signs_of(campaign, world.village_w)


def test_it_flags_low_satisfaction(world, campaign, county):
    Case.objects.create(campaign=campaign, organization=world.village_w, last_satisfaction=Decimal("0.600"), created_by=county)
    assert signs_of(campaign, world.village_w)["low_satisfaction"] == "最近一次群众满意度 60.0%，低于 70%"
    turn_off(campaign, satisfaction_threshold=Decimal("0.5"))
    assert "low_satisfaction" not in signs_of(campaign, world.village_w)


def test_it_looks_only_at_grassroots_organizations_of_the_subtree(world, campaign):
    found = compute_signs(campaign, world.town1_org, today=TODAY)
    assert set(found) == {world.village_e.pk, world.village_w.pk, world.community_s.pk}


def _grow(world, n):
    town = Organization.objects.get(pk=world.town1_org.pk)
    for i in range(n):
        org = Organization.objects.add_child(
            Organization.objects.get(pk=town.pk), instance=Organization(code=f"Q{i:03}", name=f"新村{i}", parent=town)
        )
        EconomyRecord.objects.create(organization=org, year=2025, income_wan=1)
        AnnualFigures.objects.create(organization=org, year=2025, new_members=0, star_rating=1, petitions=9)
        person = Person.objects.create(name=f"书记{i}", organization=org)
        Post.objects.create(person=person, organization=org, role=PostRole.SECRETARY, ended_on=datetime.date(2026, 1, 1))


def test_it_computes_signs_in_a_fixed_number_of_queries(world, campaign):
    extra = 20
    with CaptureQueriesContext(connection) as small:
        few = compute_signs(campaign, world.town1_org, today=TODAY)
    _grow(world, extra)
    with CaptureQueriesContext(connection) as large:
        many = compute_signs(campaign, world.town1_org, today=TODAY)
    assert len(many) == len(few) + extra
    assert sum(len(s) for s in many.values()) > sum(len(s) for s in few.values()) + 3 * extra
    assert len(large.captured_queries) == len(small.captured_queries) <= 8
