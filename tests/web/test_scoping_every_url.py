"""Every page that takes an object id answers 404 to a user outside its subtree.

The list of URL patterns is read from the resolver, so a page added later
without an entry in OWNED_BY_TOWN1 fails here until someone decides what it shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.copycheck import copycheck_support
from tests.notices import notice_support
from tests.personas import passkey_device
from tests.plans import plan_support
from tests.rectification.support import web_scoping_objects
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.cases.services import case_open
from zhengdun.core.jobs.models import Job
from zhengdun.organizations.models import Post
from zhengdun.screening.services import round_open

# Patterns without object ids: lists and forms that show only what is in scope.
NO_OBJECT = {
    "home",
    "healthz",
    "login",
    "logout",
    "organizations:tree",
    "organizations:people",
    "organizations:search",
    "organizations:people_search",
    "support:overview",
    "campaigns:list",
    "campaigns:create",
    "cases:list",
    "audit:list",
    "accounts:list",
    "accounts:add",
}

# Public by design: reached by anyone holding the link (a plan's public token),
# no account, no scope. Their own 404 rules are tested in tests/notices/test_notice_pages.py.
PUBLIC = {"public:plan", "public:qr"}


def _names(patterns: list[Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every named page outside the API, with its path converters by argument name."""
    found: list[tuple[str, dict[str, Any]]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace == "api" or str(p.pattern).startswith("api/"):
                continue
            found.extend(_names(p.url_patterns, ns))
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{prefix}{p.name}", dict(p.pattern.converters)))
    return found


def _export_job(owner: Any, unit: Any) -> Job:
    return Job.objects.create(kind="ledger_export", key=f"unit={unit.pk}", label="导出台账", owner=owner, org_path=unit.path)


@pytest.fixture
def town1_objects(world: Any, campaign: Any, town1: Any, county: Any) -> dict[str, Any]:
    case = case_open(campaign=campaign, organization=world.village_e, actor=town1)
    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    screening = round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    post = Post.objects.get(organization=world.village_e)
    return {
        "organizations": world.village_e.pk,
        "support": world.village_e.pk,
        "organizations:person": world.secretary_e.pk,
        "organizations:person_edit": world.secretary_e.pk,
        "organizations:post_end": post.pk,
        "cases": case.pk,
        "accounts": world.users["town1"].pk,
        "second_factor": passkey_device(world.users["town1"])[0].pk,
        "campaigns": own.pk,
        "campaign_pk": own.pk,
        "screening": screening.pk,
        "org_pk": world.village_e.pk,
        "jobs": _export_job(world.users["town1"], world.town1_org).pk,
        **web_scoping_objects(campaign, world.community_s),
        **copycheck_support.web_scoping_objects(campaign, world.town1_org),
        **notice_support.scoping_ids(campaign, world.town1_org),
        **plan_support.web_scoping_objects(campaign, world.town1_org),
    }


def _kwargs_for(name: str, converters: dict[str, Any], objects: dict[str, Any], campaign: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for key in converters:
        if key == "campaign_pk":
            kwargs[key] = objects["campaign_pk"]
        elif key == "action":
            kwargs[key] = "propose"
        elif key == "pk":
            kwargs[key] = objects.get(name, objects.get(name.split(":")[0]))
        elif key == "token":
            kwargs[key] = "x" * 16
        else:
            kwargs[key] = objects.get(key, 1)
    return kwargs


@pytest.fixture
def town2_objects(world: Any, campaign: Any, county: Any) -> dict[str, Any]:
    from zhengdun.organizations.services import person_create, post_assign

    case = case_open(campaign=campaign, organization=world.village_n, actor=county)
    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town2_org, start_year=2026, actor=county)
    screening = round_open(campaign=campaign, jurisdiction=world.town2_org, actor=county)
    person = person_create(organization=world.village_n, actor=county, name="赵书记", phone="13700000000")
    post = post_assign(person=person, organization=world.village_n, role="secretary", actor=county)
    return {
        "organizations": world.village_n.pk,
        "support": world.village_n.pk,
        "organizations:person": person.pk,
        "organizations:person_edit": person.pk,
        "organizations:post_end": post.pk,
        "cases": case.pk,
        "accounts": world.users["town2"].pk,
        "campaigns": own.pk,
        "campaign_pk": own.pk,
        "screening": screening.pk,
        "org_pk": world.village_n.pk,
        "jobs": _export_job(world.users["town2"], world.town2_org).pk,
        **web_scoping_objects(campaign, world.village_m),
        **copycheck_support.web_scoping_objects(campaign, world.town2_org),
        **notice_support.scoping_ids(campaign, world.town2_org),
        **plan_support.web_scoping_objects(campaign, world.town2_org),
    }


def test_it_answers_404_to_town2_on_every_page_of_town1s_objects(town1_objects, town2_objects, campaign, as_user, town2):
    client = as_user(town2)
    checked = 0
    for name, converters in _names(get_resolver().url_patterns):
        if (
            name in NO_OBJECT
            or name in PUBLIC
            or not converters
            or name.startswith("roster:")
            or name.startswith("accounts:token")
        ):
            continue
        url = reverse(name, kwargs=_kwargs_for(name, converters, town1_objects, campaign))
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status == 405:
                continue  # The other method is checked; a 405 says nothing about the object.
            if status == 403:
                # A page the persona may not use at all says so for any id,
                # its own included, so the answer reveals nothing about town1.
                own = reverse(name, kwargs=_kwargs_for(name, converters, town2_objects, campaign))
                assert getattr(client, method)(own).status_code == 403, f"{name}: 403 only for others' objects"
            else:
                assert status == 404, f"{method.upper()} {name} {url} -> {status}"
            checked += 1
    assert checked >= 20


def test_it_lists_only_the_subtree(town1_objects, as_user, town2, town1):
    page = as_user(town2).get(reverse("organizations:tree"), {"q": "村"}).content.decode()
    assert "北河村党支部" in page and "东关村党支部" not in page
    page = as_user(town2).get(reverse("cases:list")).content.decode()
    assert "东关村党支部" not in page
    page = as_user(town1).get(reverse("cases:list")).content.decode()
    assert "东关村党支部" in page
    page = as_user(town2).get(reverse("organizations:people")).content.decode()
    assert "王建国" not in page


def test_it_lets_a_contact_leader_read_linked_organizations_only(world, as_user, leader1):
    client = as_user(leader1)
    assert client.get(reverse("organizations:detail", args=[world.village_n.pk])).status_code == 200
    assert client.get(reverse("organizations:detail", args=[world.village_e.pk])).status_code == 404
    assert client.get(reverse("organizations:detail", args=[world.town2_org.pk])).status_code == 404
