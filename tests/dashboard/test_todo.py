"""The to-do list of each persona: what waits for them, and nothing out of their reach."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.dashboard.todo_support import PLAN_RETURN_NOTE, RETURN_NOTE, Busy, proposed
from tests.personas import add_village
from tests.plans import plan_support
from zhengdun.campaigns.models import Criterion
from zhengdun.cases.services import case_transition
from zhengdun.dashboard.todo import LIMIT, TodoGroup, todo_for
from zhengdun.organizations.models import Person
from zhengdun.screening.models import ScreeningRound
from zhengdun.screening.services import record_propose, record_save


def by_kind(user: Any) -> dict[str, TodoGroup]:
    return {group.key: group for group in todo_for(user)}


def organizations(user: Any) -> set[str]:
    return {item.organization for group in todo_for(user) for item in group.items}


def waiting(user: Any) -> dict[str, int]:
    return {key: group.total for key, group in by_kind(user).items() if group.total}


def test_it_gives_the_county_proposals_and_county_approvals(busy: Busy, county: Any) -> None:
    # Extension requests follow their own rule (plans: any level above the one that asked decides).
    assert waiting(county) == {"proposals": 1, "county_approvals": 1, "extensions": 1}
    groups = by_kind(county)
    [proposal] = groups["proposals"].items
    assert proposal.organization == "西关村党支部"
    assert proposal.url == reverse("cases:detail", args=[busy.proposal.pk])
    [approval] = groups["county_approvals"].items
    assert approval.organization == "新庄村党支部"
    assert approval.url == reverse("plans:review", args=[busy.county_approval.pk, "county"])


def test_it_never_gives_the_county_what_it_returned_itself(busy: Busy, county: Any) -> None:
    groups = by_kind(county)
    assert groups["returned_plans"].total == 0
    assert groups["returned_screenings"].total == 0


def test_it_gives_town1_reviews_returns_comments_and_extensions(busy: Busy, town1: Any) -> None:
    assert waiting(town1) == {
        "township_reviews": 1,
        "returned_plans": 1,
        "returned_screenings": 1,
        "extensions": 1,
        "comments": 1,
    }
    groups = by_kind(town1)
    [review] = groups["township_reviews"].items
    assert review.organization == "北关村党支部"
    assert review.url == reverse("plans:review", args=[busy.township_review.pk, "township"])
    [plan] = groups["returned_plans"].items
    assert (plan.organization, plan.detail) == ("柳林村党支部", PLAN_RETURN_NOTE)
    assert plan.url == reverse("plans:edit", args=[busy.returned_plan.pk])
    [screening] = groups["returned_screenings"].items
    assert (screening.organization, screening.detail) == ("南关社区党支部", RETURN_NOTE)
    [extension] = groups["extensions"].items
    assert extension.organization == "东关村党支部"
    assert "规范三会一课" in extension.title
    [comment] = groups["comments"].items
    assert comment.organization == "杨庄村党支部"
    assert comment.url.endswith(f"#comment-{busy.comment.pk}")


def test_a_returned_screening_links_to_its_screening_record(
    busy: Busy, town1: Any, county: Any, world: Any, campaign: Any
) -> None:
    org = add_village(world.town1_org, "V0108", "后营村党支部")
    rnd = ScreeningRound.objects.get(campaign=campaign, jurisdiction=world.town1_org, status="open")
    vacant = Criterion.objects.get(campaign=campaign, code=plan_support.VACANT)
    findings = {vacant.pk: plan_support.VACANT_EVIDENCE}
    record = record_save(
        round=rnd,
        organization=org,
        method="field_check",
        conclusion="weak",
        findings=findings,
        screened_on=timezone.localdate(),
        actor=town1,
    )
    case_transition(case=record_propose(record=record, actor=town1), action="return", actor=county, note=RETURN_NOTE)
    urls = {item.organization: item.url for item in by_kind(town1)["returned_screenings"].items}
    assert urls == {
        "后营村党支部": reverse("screening:record", args=[rnd.pk, org.pk]),
        "南关社区党支部": reverse("cases:detail", args=[busy.returned_case.pk]),
    }
    record.refresh_from_db()
    record_save(
        round=rnd,
        organization=org,
        method="field_check",
        conclusion="not_weak",
        findings={},
        screened_on=timezone.localdate(),
        actor=town1,
        expected_version=record.version,
    )
    organizations = [item.organization for item in by_kind(town1)["returned_screenings"].items]
    assert organizations == ["南关社区党支部"], "screened again and found not weak: nothing waits any more"


def test_it_gives_branch1_its_own_organization_tasks_most_urgent_first(busy: Busy, branch1: Any) -> None:
    assert waiting(branch1) == {"tasks": 2}
    items = by_kind(branch1)["tasks"].items
    assert [item.url for item in items] == [
        reverse("rectification:task_detail", args=[busy.overdue_task.pk]),
        reverse("rectification:task_detail", args=[busy.due_task.pk]),
    ]
    assert items[0].urgent and "已逾期 4 天" in items[0].title
    assert not items[1].urgent and "到期" in items[1].title


def test_it_gives_leader1_the_tasks_of_its_linked_organization(busy: Busy, leader1: Any) -> None:
    assert waiting(leader1) == {"tasks": 1}
    [task] = by_kind(leader1)["tasks"].items
    assert (task.organization, task.url) == ("北河村党支部", reverse("rectification:task_detail", args=[busy.leader_task.pk]))


def test_it_gives_a_task_to_its_owner_below_its_own_organization(busy: Busy, town1: Any, world: Any) -> None:
    town1.person = Person.objects.create(name="赵包村", phone="13700002222", organization=world.town1_org)
    town1.save()
    for task in (busy.due_task, busy.later_task):
        task.owner = town1.person
        task.save()
    [task] = by_kind(town1)["tasks"].items
    assert task.url == reverse("rectification:task_detail", args=[busy.due_task.pk]), "a task due in a month is not due yet"


def test_an_owner_never_gets_a_task_out_of_its_reach(busy: Busy, leader1: Any, world: Any) -> None:
    busy.due_task.owner = world.leader_person
    busy.due_task.save()
    assert [item.organization for item in by_kind(leader1)["tasks"].items] == ["北河村党支部"]


def test_the_inspector_has_nothing_waiting(busy: Busy, inspector1: Any) -> None:
    assert waiting(inspector1) == {}


def test_town2_never_sees_town1s_items(busy: Busy, town2: Any) -> None:
    assert waiting(town2) == {"township_reviews": 1}
    assert organizations(town2) == {"中河村党支部"}


def test_town1_never_sees_town2s_review(busy: Busy, town1: Any) -> None:
    assert "中河村党支部" not in organizations(town1)
    assert "北河村党支部" not in organizations(town1)


def test_a_source_shows_at_most_the_limit_newest_first_and_counts_the_rest(
    busy: Busy, town1: Any, county: Any, world: Any, campaign: Any
) -> None:
    for n in range(6):
        newest = proposed(campaign, add_village(world.town1_org, f"V09{n:02d}", f"新村{n}党支部"), town1)
    group = by_kind(county)["proposals"]
    assert (len(group.items), group.total, group.rest) == (LIMIT, 7, 7 - LIMIT)
    assert group.items[0].url == reverse("cases:detail", args=[newest.pk])
    assert group.more_url == reverse("identification:queue")


def test_a_plan_drafted_and_submitted_by_town1_waits_on_the_other_township_operator(
    world: Any, campaign: Any, town1: Any, county: Any
) -> None:
    from zhengdun.plans import services as plan_services

    clerk1 = world.users["clerk1"]
    case = plan_support.screened_and_identified(campaign, world.village_e, town1, county)
    plan = plan_support.ready_plan(case, town1)
    plan_services.plan_submit(plan=plan, actor=town1, expected_version=plan.version)
    # Separation of duties: town1 may not pass its own plan, so it is not town1's to do.
    assert "township_reviews" not in waiting(town1)
    [review] = by_kind(clerk1)["township_reviews"].items
    assert review.url == reverse("plans:review", args=[plan.pk, "township"])
