"""三员分立: the system, security and audit administrators each reach their own work and
nothing else, no account combines their roles, and the county administrator no longer
manages accounts nor reads the audit trail (issue 8 §2)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.http import Http404
from django.urls import get_resolver, reverse

from tests.api.conftest import ApiClient
from tests.web.test_scoping_every_url import PUBLIC, _kwargs_for, _names, town1_objects  # noqa: F401 - a fixture
from zhengdun.accounts.models import ApiToken, User
from zhengdun.accounts.roles import ADMIN_MARKS, ROLE_PERMISSIONS, Role, sync_roles
from zhengdun.accounts.separation import refusal
from zhengdun.accounts.services import (
    ERR_ADMIN_ACCOUNT,
    ERR_ADMIN_WITH_BUSINESS,
    ERR_ADMINS_COMBINED,
    user_create,
    user_update,
)
from zhengdun.api.urls import api
from zhengdun.audit.models import AuditEvent
from zhengdun.cases.models import Case
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import get_object_or_404, restrict
from zhengdun.organizations.models import Organization, Person

STRONG = "Strong#Pass9"
ADMINS = ("sysadmin", "secadmin", "auditor")
# The pages each administrator's own work is on; the other pages of these apps check the right.
OWN_PAGES = {
    "sysadmin": {"accounts:list", "accounts:add", "accounts:edit", "accounts:unlock", "accounts:second_factor_reset"},
    "secadmin": {"accounts:security_policy"},
}
OWN_PAGES["auditor"] = {"audit:list", "audit:export"}
# Every account's own pages: its tokens, password, sessions and second factor.
OPEN_TO_ALL = {
    "home",
    "healthz",
    "login",
    "logout",
    "accounts:tokens",
    "accounts:token_revoke",
    "accounts:password_change",
    "accounts:sessions",
    "accounts:session_end",
} | {
    f"second_factor:{name}"
    for name in ("overview", "verify", "enrol", "recovery_codes", "remove")
    + ("passkey_register_options", "passkey_register", "passkey_login_options", "passkey_login", "passkey_remove")
}


@pytest.fixture
def superuser(world):
    return User.objects.create_superuser(username="root", password=STRONG, organization=world.county_org)


def _pages(objects: dict[str, Any], campaign: Any) -> list[tuple[str, str]]:
    pages = []
    for name, converters in _names(get_resolver().url_patterns):
        if name in PUBLIC or name in OPEN_TO_ALL:
            continue
        pages.append((name, reverse(name, kwargs=_kwargs_for(name, converters, objects, campaign))))
    return pages


@pytest.mark.parametrize("username", ADMINS)
def test_each_administrator_is_refused_every_page_outside_its_role(world, campaign, request, as_user, username):
    objects = request.getfixturevalue("town1_objects")  # every page's objects, from the scoping test
    client = as_user(world.users[username])
    checked = 0
    for name, url in _pages(objects, campaign):
        if name in OWN_PAGES[username]:
            continue
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in (403, 404, 405), f"{username}: {method.upper()} {name} -> {status}"
            checked += status != 405
    assert checked >= 40
    assert client.get(reverse("home")).status_code == 200


def test_the_public_pages_stay_open_to_an_administrator(world, as_user, auditor, client):
    url = reverse("public:plan", args=["x" * 16])
    assert as_user(auditor).get(url).status_code == client.get(url).status_code == 404  # an unknown token, for anyone


@pytest.mark.parametrize("username", ADMINS)
def test_a_business_page_says_why_in_chinese(world, as_user, username):
    user = world.users[username]
    response = as_user(user).get(reverse("cases:list"))
    assert response.status_code == 403
    assert refusal(user.role_codes[0]) in response.content.decode()


@pytest.mark.parametrize("username", ADMINS)
def test_each_administrator_is_refused_the_api(world, username):
    _token, raw = ApiToken.issue(world.users[username], name="测试")
    token = ApiClient(raw)
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path.startswith("/api/v1/public/"):
            continue
        url = re.sub(r"{\w+}", "1", path).removeprefix("/api/v1")
        for method in operations:
            response = token._call(method, url)
            assert response.status_code == 403, f"{username}: {method.upper()} {path} -> {response.status_code}"
    assert token.get("/organizations").json()["detail"] == refusal(world.users[username].role_codes[0])


def test_the_api_refuses_an_administrators_browser_session_too(world, as_user, auditor):
    response = as_user(auditor).get("/api/v1/organizations")
    assert response.status_code == 403 and response.json()["detail"] == refusal(Role.AUDIT_ADMIN)


def test_the_audit_administrator_reads_the_trail_and_no_case_or_person(world, campaign, auditor, county):
    from zhengdun.cases.services import case_open

    case = case_open(campaign=campaign, organization=world.village_e, actor=county)
    assert restrict(AuditEvent.objects.all(), auditor).exists()
    assert not restrict(Case.objects.all(), auditor).exists()
    assert not restrict(Person.objects.all(), auditor).exists()
    with pytest.raises(Http404):
        get_object_or_404(Case.objects.all(), auditor, pk=case.pk)
    assert restrict(Case.objects.all(), county).filter(pk=case.pk).exists()


def test_the_system_administrator_reads_accounts_and_the_tree_only(world, sysadmin):
    assert restrict(User.objects.all(), sysadmin).filter(username="town1").exists()
    assert restrict(Organization.objects.all(), sysadmin).filter(code="V0101").exists()
    assert not restrict(Person.objects.all(), sysadmin).exists()
    assert not restrict(AuditEvent.objects.all(), sysadmin).exists()


def test_the_county_administrator_no_longer_manages_accounts_nor_reads_the_trail(world, as_user, county, inspector1):
    assert not county.has_perm("accounts.manage_users") and not county.has_perm("audit.view_auditevent")
    client = as_user(county)
    assert client.get(reverse("accounts:list")).status_code == 403
    assert client.get(reverse("audit:list")).status_code == 403
    # The inspector keeps its read of its scope's trail (README: inspector, read-only, audit trail).
    assert as_user(inspector1).get(reverse("audit:list")).status_code == 200
    with pytest.raises(NotPermitted):
        user_create(
            actor=county,
            username="n1",
            display_name="新",
            organization=world.town1_org,
            roles=[Role.READONLY],
            password=STRONG,
        )


def test_the_system_administrator_creates_business_accounts(world, sysadmin):
    user = user_create(
        actor=sysadmin,
        username="ops1",
        display_name="新操作员",
        organization=world.town1_org,
        roles=[Role.TOWNSHIP_OPERATOR],
        password=STRONG,
    )
    assert user.role_codes == [Role.TOWNSHIP_OPERATOR]


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ([Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN], ERR_ADMINS_COMBINED),
        ([Role.SECURITY_ADMIN, Role.AUDIT_ADMIN], ERR_ADMINS_COMBINED),
        ([Role.AUDIT_ADMIN, Role.COUNTY_ADMIN], ERR_ADMIN_WITH_BUSINESS),
        ([Role.SYSTEM_ADMIN, Role.READONLY], ERR_ADMIN_WITH_BUSINESS),
    ],
)
def test_combining_an_administrators_role_is_refused_even_to_the_superuser(world, superuser, roles, message):
    with pytest.raises(ServiceError, match=message):
        user_create(
            actor=superuser, username="x1", display_name="兼任", organization=world.county_org, roles=roles, password=STRONG
        )
    assert not User.objects.filter(username="x1").exists()


def test_giving_an_administrator_a_second_role_is_refused(world, superuser, auditor):
    with pytest.raises(ServiceError, match=ERR_ADMIN_WITH_BUSINESS):
        user_update(
            actor=superuser,
            user=auditor,
            display_name="auditor",
            organization=world.county_org,
            roles=[Role.AUDIT_ADMIN, Role.INSPECTOR],
        )
    assert User.objects.get(pk=auditor.pk).role_codes == [Role.AUDIT_ADMIN]


def test_the_superuser_sets_the_administrators_accounts(world, superuser):
    user = user_create(
        actor=superuser,
        username="audit2",
        display_name="审计员",
        organization=world.county_org,
        roles=[Role.AUDIT_ADMIN],
        password=STRONG,
    )
    assert user.role_codes == [Role.AUDIT_ADMIN]


def test_the_system_administrator_cannot_make_or_take_over_another_administrator(world, sysadmin, auditor):
    with pytest.raises(NotPermitted, match=ERR_ADMIN_ACCOUNT):
        user_create(
            actor=sysadmin,
            username="audit2",
            display_name="审计员",
            organization=world.county_org,
            roles=[Role.AUDIT_ADMIN],
            password=STRONG,
        )
    # Resetting the audit administrator's password would make the system administrator it.
    with pytest.raises(NotPermitted, match=ERR_ADMIN_ACCOUNT):
        user_update(
            actor=sysadmin,
            user=auditor,
            display_name="auditor",
            organization=world.county_org,
            roles=[Role.READONLY],
            password=STRONG,
        )
    with pytest.raises(NotPermitted, match=ERR_ADMIN_ACCOUNT):
        user_update(
            actor=sysadmin, user=sysadmin, display_name="sysadmin", organization=world.county_org, roles=[Role.COUNTY_ADMIN]
        )
    auditor.refresh_from_db()
    assert auditor.check_password("Zhengdun@2026") and auditor.role_codes == [Role.AUDIT_ADMIN]
    assert not User.objects.filter(username="audit2").exists()


def test_the_account_form_refuses_combined_roles_in_chinese(world, as_user, sysadmin):
    response = as_user(sysadmin).post(
        reverse("accounts:add"),
        {
            "username": "x2",
            "display_name": "兼任",
            "org_code": "C01",
            "roles": [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN],
            "is_active": "on",
            "password": STRONG,
        },
    )
    assert response.status_code == 200 and ERR_ADMINS_COMBINED in response.content.decode()
    response = as_user(sysadmin).post(
        reverse("accounts:add"),
        {
            "username": "x2",
            "display_name": "审计",
            "org_code": "C01",
            "roles": [Role.AUDIT_ADMIN],
            "is_active": "on",
            "password": STRONG,
        },
    )
    assert response.status_code == 200 and ERR_ADMIN_ACCOUNT in response.content.decode()
    assert not User.objects.filter(username="x2").exists()


def test_the_navigation_shows_each_administrator_its_own_pages(world, as_user, sysadmin, auditor, secadmin, county):
    nav = {u.username: as_user(u).get(reverse("home")).content.decode() for u in (sysadmin, auditor, secadmin, county)}
    assert reverse("accounts:list") in nav["sysadmin"] and reverse("audit:list") not in nav["sysadmin"]
    assert reverse("audit:list") in nav["auditor"] and reverse("accounts:list") not in nav["auditor"]
    for username in ADMINS:
        assert reverse("cases:list") not in nav[username] and reverse("organizations:people") not in nav[username]
    assert reverse("cases:list") in nav["county"] and reverse("accounts:list") not in nav["county"]
    assert reverse("audit:list") not in nav["county"]


def test_each_mark_belongs_to_one_role_only():
    for role, mark in ADMIN_MARKS.items():
        assert [r for r, perms in ROLE_PERMISSIONS.items() if mark in perms] == [role]


def test_sync_roles_takes_rights_away_from_an_existing_install(world):
    county = Group.objects.get(name=Role.COUNTY_ADMIN)
    old = Permission.objects.filter(codename__in=["manage_users", "view_auditevent"])
    county.permissions.add(*old)  # the permission set of the release before
    sync_roles()
    assert not county.permissions.filter(codename__in=["manage_users", "view_auditevent"]).exists()
    assert Group.objects.get(name=Role.SYSTEM_ADMIN).permissions.filter(codename="manage_users").exists()


def test_a_county_wide_role_is_granted_only_at_county_level(world, sysadmin):
    from zhengdun.accounts.services import ERR_ROLE_LEVEL, user_create

    with pytest.raises(ServiceError) as exc:
        user_create(
            actor=sysadmin,
            username="fake_county",
            display_name="假县管",
            organization=world.town1_org,
            roles=[Role.COUNTY_ADMIN],
            password="Strong#Pass9x",
        )
    assert exc.value.message == ERR_ROLE_LEVEL.format(role="县级管理员", levels="省、市、县（区）组织")
    assert not User.objects.filter(username="fake_county").exists()
