"""Every API route that takes an object id answers 404 to town2 for town1's
objects, whatever the method. Routes are read from the OpenAPI document, so a
route added later without an id mapping here fails until someone maps it."""

from __future__ import annotations

import datetime
import re
from typing import Any

from tests.notices.notice_support import scoping_ids as notice_scoping_ids
from tests.rectification.support import api_scoping_ids
from zhengdun.api.urls import api
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.cases.services import case_open
from zhengdun.organizations.models import Post
from zhengdun.screening.services import record_save, round_open
from zhengdun.support.models import SupportUnit

# Public by design (no credentials, no scope: the plan's public token is the
# key); their own 404 rules are tested in tests/notices/test_notice_api.py.
PUBLIC = "/api/v1/public/"

BODIES: dict[str, Any] = {
    "move": {"parent_id": 0},
    "transitions": {"action": "propose", "note": "", "version": 1},
    "end": {"ended_on": "2026-01-01"},
    "/screening/rounds/{round_id}/records/{org_id}": {"method": "field_check", "screened_on": "2026-01-01", "version": 1},
    "stages": {"version": 1, "stages": []},
    "criteria": {"version": 1, "criteria": []},
}


def test_it_answers_404_to_town2_on_every_route_with_town1s_ids(world, campaign, county, town1, town2, api_as):
    case = case_open(campaign=campaign, organization=world.village_e, actor=town1)
    screening = round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    screened = record_save(
        round=screening,
        organization=world.village_w,
        method="field_check",
        conclusion="pending",
        findings={},
        screened_on=datetime.date(2026, 1, 1),
        actor=town1,
    )
    own_campaign = campaign_create_from_template(
        template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county
    )
    ids = {
        "org_id": world.village_e.pk,
        "person_id": world.secretary_e.pk,
        "post_id": Post.objects.get(organization=world.village_e).pk,
        "campaign_id": own_campaign.pk,
        "case_id": case.pk,
        "round_id": screening.pk,
        "record_id": screened.pk,
        "unit_id": SupportUnit.objects.create(organization=world.village_e, unit_name="县农业农村局").pk,
        **api_scoping_ids(campaign, world.community_s),
        **notice_scoping_ids(campaign, world.town1_org),
        "number": 1,  # a plan version: the plan behind plan_id is what scoping refuses
    }
    BODIES["move"]["parent_id"] = world.town2_org.pk
    BODIES["posts"] = {"person_id": world.secretary_e.pk, "role": "secretary"}
    BODIES["assignments"] = {"person_id": world.secretary_e.pk, "role": "work_team"}
    BODIES["support-units"] = {"unit_name": "县农业农村局"}
    BODIES["extensions"] = {"new_deadline": "2099-01-01", "reason": "x"}
    BODIES["decision"] = {"approve": True}
    BODIES["answer"] = {"answer": "已采纳", "show_publicly": True}
    client = api_as(town2)
    checked = 0
    for path, operations in api.get_openapi_schema()["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        if not params or path.startswith(PUBLIC):
            continue
        url = path.removeprefix("/api/v1")
        for name in params:
            assert name in ids, f"no town1 object mapped for {{{name}}} in {path}"
            url = url.replace(f"{{{name}}}", str(ids[name]))
        for method in operations:
            body = BODIES.get(path.removeprefix("/api/v1"), BODIES.get(url.rsplit("/", 1)[-1], {"version": 1}))
            response = client.get(url) if method == "get" else getattr(client, method)(url, body)
            assert response.status_code == 404, f"{method.upper()} {path} -> {response.status_code} {response.content[:200]!r}"
            assert response.json()["detail"] == "不存在或无权访问"
            checked += 1
    assert checked >= 14


def test_it_answers_401_without_credentials_on_every_route(db):
    from django.test import Client

    client = Client()
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path.startswith(PUBLIC):
            continue
        url = re.sub(r"{\w+}", "1", path)
        for method in operations:
            response = getattr(client, method)(url, content_type="application/json") if method != "get" else client.get(url)
            assert response.status_code == 401, f"{method.upper()} {path} -> {response.status_code}"
