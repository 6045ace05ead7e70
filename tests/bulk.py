"""Many rows at once, for the tests that guard page sizes and query counts.

A page must hold the same number of queries with 5 rows as with 60, and never
render more than its page size however many rows there are (e.g. 120).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import add_village
from zhengdun.accounts.models import User
from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post


def add_villages(parent: Organization, count: int, *, prefix: str = "B", staffed: bool = True) -> list[Organization]:
    """`count` villages under `parent` named 批量村NNN; staffed ones have a secretary and an income figure
    (what the organization list annotates per row)."""
    start = Organization.objects.filter(code__startswith=prefix).count()
    made = []
    for i in range(start, start + count):
        org = add_village(parent, f"{prefix}{i:04}", f"批量村{i:03}党支部")
        if staffed:
            person = Person.objects.create(name=f"书记{i}", phone="13800000000", organization=org)
            Post.objects.create(person=person, organization=org, role=PostRole.SECRETARY)
            Post.objects.create(person=person, organization=org, role=PostRole.CONTACT_LEADER)
            EconomyRecord.objects.create(organization=org, year=2025, income_wan=Decimal(1))
        made.append(org)
    return made


def add_cases(campaign: Campaign, orgs: list[Organization], *, state: str, actor: User) -> list[Case]:
    """Cases written straight in the given state: what a page shows, not how they got there."""
    return Case.objects.bulk_create(
        Case(campaign=campaign, organization=org, state=state, created_by=actor, main_problems="问题") for org in orgs
    )


def queries_for(client: Client, url: str, params: dict[str, object] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def table_rows(html: str, testid: str) -> int:
    """The number of body rows of the table marked data-testid=`testid`."""
    match = re.search(rf'data-testid="{testid}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert match, f"no table {testid}"
    return match.group(1).count("<tr")
