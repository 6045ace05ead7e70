"""Every list answers in a fixed number of queries, however many rows it pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengdun.campaigns.models import Campaign
from zhengdun.cases import services
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post

# auth (token, permissions, scope; a token used within minutes is not written again) plus count and page.
MAX_QUERIES = 7
# A people list is a bulk read of personal information, so it writes its audit row:
# lock the chain head, insert, move the head (zhengdun/audit/services.record).
AUDIT_ROW_QUERIES = 3
AUDITED_READS = {"/people"}
ROWS = 12


def _grow(world, county, campaign, case) -> None:
    for i in range(ROWS):
        parent = Organization.objects.get(pk=world.town1_org.pk)
        org = Organization.objects.add_child(
            parent, instance=Organization(code=f"N{i:03}", name=f"新村{i}", parent=world.town1_org)
        )
        person = Person.objects.create(name=f"书记{i}", phone="13800000000", organization=org)
        Post.objects.create(person=person, organization=org, role=PostRole.SECRETARY)
        Post.objects.create(person=person, organization=world.village_e, role=PostRole.WORK_TEAM)
        Post.objects.create(person=world.secretary_e, organization=org, role=PostRole.INSTRUCTOR)
        EconomyRecord.objects.create(organization=org, year=2025, income_wan=1)
        Case.objects.create(campaign=campaign, organization=org, created_by=county)
        CaseEvent.objects.create(case=case, to_state="screened", action="open", actor=county)
        Campaign.objects.create(name=f"整顿{i}", scope=org, start_year=2026, end_year=2026, reporting_period="month")


def _count(api, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    rows = len(body["items"]) if "items" in body else len(body.get("posts", []))
    return len(ctx.captured_queries), rows


@pytest.mark.parametrize(
    "path",
    [
        "/organizations",
        "/organizations/{town1}/children",
        "/organizations/{village_e}/posts",
        "/people",
        "/people/{secretary}",
        "/campaigns",
        "/cases",
        "/cases/{case}/events",
    ],
)
def test_it_keeps_queries_flat_as_rows_grow(world, campaign, county, api_as, django_assert_max_num_queries, path):
    case = services.case_open(campaign=campaign, organization=world.village_e, actor=county)
    url = path.format(town1=world.town1_org.pk, village_e=world.village_e.pk, secretary=world.secretary_e.pk, case=case.pk)
    api = api_as(county)
    api.get(url)  # first call warms per-process caches (content types)
    before, rows_before = _count(api, url)
    _grow(world, county, campaign, case)
    with django_assert_max_num_queries(MAX_QUERIES + (AUDIT_ROW_QUERIES if path in AUDITED_READS else 0)):
        after, rows_after = _count(api, url)
    assert rows_after > rows_before
    assert after == before, (after, before)
