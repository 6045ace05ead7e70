from django.conf import settings
from django.urls import reverse

from zhengdun.accounts.security import gate
from zhengdun.audit.models import AuditEvent


def test_it_shows_a_chinese_login_page(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "用户名" in page and "密码" in page and 'name="username"' in page


def test_it_records_login_and_failed_login(client, county):
    assert client.post(reverse("login"), {"username": "county", "password": "wrong-Pass1!"}).status_code == 200
    assert AuditEvent.objects.filter(action="login_failed", object_repr="county").count() == 1
    assert client.post(reverse("login"), {"username": "county", "password": "Zhengdun@2026"}).status_code == 302
    event = AuditEvent.objects.get(action="login")
    assert event.actor_name == "county" and event.client_ip == "127.0.0.1" and event.request_id


def test_it_locks_an_account_after_repeated_failures(client, county):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "county", "password": "wrong-Pass1!"})
    response = client.post(reverse("login"), {"username": "county", "password": "Zhengdun@2026"})
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()


def test_it_ends_sessions_after_30_idle_minutes():
    # The expiry moves forward when the gate saves the session, once a minute (issue 9 §3 cause 7),
    # not on every request; tests/accounts/test_sessions.py shows both.
    assert settings.SESSION_COOKIE_AGE == 1800 and not settings.SESSION_SAVE_EVERY_REQUEST
    assert gate.TOUCH_SECONDS == 60


def test_it_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("organizations:tree"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_filters_the_audit_list_for_administrators(world, as_user, county, auditor, town1, branch1):
    as_user(county).post(
        reverse("organizations:edit", args=[world.village_e.pk]),
        {"code": "V0101", "name": "东关村党支部", "level": "village", "kind": "branch", "domain": "rural", "member_count": 33},
    )
    page = as_user(auditor).get(reverse("audit:list"), {"action": "update"}).content.decode()
    assert "东关村党支部" in page and "member_count" in page
    assert as_user(branch1).get(reverse("audit:list")).status_code == 403


def test_it_keeps_one_township_out_of_anothers_audit_rows(world, as_user, county, town2, inspector1):
    as_user(county).post(
        reverse("organizations:edit", args=[world.village_e.pk]),
        {"code": "V0101", "name": "东关村党支部", "level": "village", "kind": "branch", "domain": "rural", "member_count": 33},
    )
    assert "东关村党支部" in as_user(inspector1).get(reverse("audit:list")).content.decode()


def test_it_applies_the_password_policy(world, as_user, sysadmin):
    from zhengdun.accounts.models import User

    response = as_user(sysadmin).post(
        reverse("accounts:add"),
        {
            "username": "weak",
            "display_name": "弱密码",
            "org_code": "T01",
            "roles": ["readonly"],
            "is_active": "on",
            "password": "abcdefgh1",
        },
    )
    assert "密码须同时包含字母、数字和特殊字符" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()
    response = as_user(sysadmin).post(
        reverse("accounts:add"),
        {
            "username": "ok1",
            "display_name": "新账号",
            "org_code": "T01",
            "roles": ["township_operator"],
            "is_active": "on",
            "password": "Strong#Pass9",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="ok1").has_role("township_operator")


def test_it_refuses_a_township_granting_county_rights(world, as_user, town1):
    # A township operator may not manage accounts at all.
    assert as_user(town1).get(reverse("accounts:add")).status_code == 403
