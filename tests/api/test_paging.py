"""API lists page with a bounded offset; deep pages annotate only their own rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bulk import add_villages
from zhengdun.core.api import MAX_OFFSET
from zhengdun.organizations.models import Organization


def test_it_refuses_an_offset_beyond_its_bound(world, api_as, county):
    api = api_as(county)
    response = api.get("/organizations", offset=MAX_OFFSET + 1)
    assert response.status_code == 422 and response.json()["detail"] == "请求数据不完整或格式不正确"
    assert api.get("/organizations", offset=MAX_OFFSET).json()["items"] == []


def test_a_deep_page_of_organizations_annotates_only_its_rows(world, api_as, county):
    add_villages(world.town1_org, 30)
    api = api_as(county)
    first = api.get("/organizations", limit=10).json()["items"]
    with CaptureQueriesContext(connection) as ctx:
        deep = api.get("/organizations", limit=10, offset=20).json()
    assert [o["name"] for o in deep["items"]] != [o["name"] for o in first] and len(deep["items"]) == 10
    assert deep["count"] == Organization.objects.count()
    skipping = [q["sql"] for q in ctx.captured_queries if "OFFSET" in q["sql"] or "LIMIT" in q["sql"]]
    # The query that skips rows reads ids only; the secretary subqueries run on the page's ten rows.
    assert skipping and all("person" not in sql.lower() for sql in skipping if "OFFSET" in sql)
