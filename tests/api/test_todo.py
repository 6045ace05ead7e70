"""GET /api/v1/todo: the caller's to-do list, the same as its home page."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.conftest import BASE
from tests.dashboard.todo_support import PLAN_RETURN_NOTE, build_busy, proposed
from tests.personas import add_village


def test_it_answers_401_without_credentials(client: Any, world: Any) -> None:
    assert client.get(f"{BASE}/todo").status_code == 401


def test_it_gives_town1_its_own_list(world: Any, campaign: Any, town1: Any, api_as: Any) -> None:
    busy = build_busy(world, campaign)
    response = api_as(town1).get("/todo")
    assert response.status_code == 200
    groups = {g["key"]: g for g in response.json() if g["total"]}
    assert set(groups) == {"township_reviews", "returned_plans", "returned_screenings", "extensions", "comments"}
    [returned] = groups["returned_plans"]["items"]
    assert returned["detail"] == PLAN_RETURN_NOTE
    assert returned["url"] == reverse("plans:edit", args=[busy.returned_plan.pk])
    assert returned["urgent"] is True


def test_town2_never_gets_town1s_items(world: Any, campaign: Any, town2: Any, api_as: Any) -> None:
    build_busy(world, campaign)
    items = [i for g in api_as(town2).get("/todo").json() for i in g["items"]]
    assert [i["organization"] for i in items] == ["中河村党支部"]


def test_the_inspector_gets_an_empty_list(world: Any, campaign: Any, inspector1: Any, api_as: Any) -> None:
    build_busy(world, campaign)
    groups = api_as(inspector1).get("/todo").json()
    assert [(g["key"], g["total"], g["items"]) for g in groups] == [("tasks", 0, [])]


def test_it_runs_a_fixed_number_of_queries(world: Any, campaign: Any, county: Any, town1: Any, api_as: Any) -> None:
    build_busy(world, campaign)
    client = api_as(county)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/todo").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for n in range(7):
        proposed(campaign, add_village(world.town1_org, f"V09{n:02d}", f"新村{n}党支部"), town1)
    assert count() == before
    [proposals] = [g for g in client.get("/todo").json() if g["key"] == "proposals"]
    assert (len(proposals["items"]), proposals["total"], proposals["rest"]) == (5, 8, 3)
