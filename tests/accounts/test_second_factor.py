"""The second factor (双因素认证): administrators cannot reach anything without it,
enrolment, codes, recovery codes, opting in, and the deployment-wide switch."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import client_for
from tests.personas import second_factor_device, totp_code
from zhengdun.accounts.second_factor import policy, services
from zhengdun.accounts.second_factor.middleware import ERR_API, OPEN_VIEWS
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.organizations.models import Organization

VERIFY = "/accounts/second-factor/verify/"
ENROL = "/accounts/second-factor/enrol/"


def _pages_without_arguments() -> list[str]:
    def walk(patterns: list, prefix: str = "") -> list[str]:
        names: list[str] = []
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("api/"):
                    continue
                names += walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters:
                names.append(prefix + p.name)
        return names

    return [reverse(name) for name in walk(get_resolver().url_patterns) if name not in OPEN_VIEWS]


def _failures(user) -> list[str]:
    return list(AuditEvent.objects.filter(action=Action.LOGIN_FAILED, actor=user).values_list("note", flat=True))


def _enrol_secret(client) -> tuple[str, str]:
    page = client.get(ENROL).content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    return page, secret


def _code_for(secret: str) -> str:
    return f"{TOTP(b32decode(secret)).token():06d}"


def test_every_administrative_role_must_use_a_second_factor(county, sysadmin, secadmin, auditor, town1, branch1, inspector1):
    assert all(policy.required_by_policy(u) for u in (county, sysadmin, secadmin, auditor))
    assert not any(policy.required_by_policy(u) for u in (town1, branch1, inspector1))


def test_an_administrator_reaches_no_page_before_the_second_factor(county):
    client = client_for(county, second_factor=False)
    pages = _pages_without_arguments()
    assert "/" in pages and "/accounts/users/" in pages and "/audit/" in pages
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    page = client.get("/orgs/", follow=True).content.decode()
    assert "双因素认证" in page
    assert "某县" not in page and "城关镇" not in page and "审计日志" not in page


def test_a_form_posted_before_the_second_factor_changes_nothing(county, world):
    from zhengdun.campaigns.models import Campaign

    client = client_for(county, second_factor=False)
    response = client.post(
        reverse("campaigns:create"), {"template_key": "county_two_year_2018", "scope": world.county_org.pk, "start_year": 2026}
    )
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not Campaign.objects.exists()


def test_the_session_api_answers_403_before_the_second_factor(county, world):
    client = client_for(county, second_factor=False)
    response = client.get("/api/v1/organizations")
    assert response.status_code == 403
    assert response.json() == {"detail": ERR_API}
    assert "某县" not in response.content.decode()
    before = Organization.objects.count()
    posted = client.post(
        f"/api/v1/organizations/{world.county_org.pk}/children",
        {"code": "T09", "name": "新镇", "level": "township", "kind": "committee", "domain": "rural"},
        content_type="application/json",
    )
    assert posted.status_code == 403
    assert Organization.objects.count() == before


def test_a_bad_token_does_not_fall_back_to_the_unverified_session(county):
    client = client_for(county, second_factor=False)
    response = client.get("/api/v1/organizations", headers={"Authorization": "Bearer zd_wrong"})
    assert response.status_code == 401


def test_after_the_code_the_administrator_reaches_pages_and_the_session_api(county):
    client = client_for(county, second_factor=False)
    device = second_factor_device(county)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert client.get("/api/v1/organizations").json()["count"] == 9


def test_a_wrong_code_is_refused_in_chinese_audited_and_throttled(county):
    client = client_for(county, second_factor=False)
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 200
    assert services.ERR_WRONG_CODE in response.content.decode()
    assert client.get("/").status_code == 302
    assert _failures(county) == [f"双因素认证失败：{services.ERR_WRONG_CODE}"]
    # The right code at once is refused too: the device waits after a failure.
    response = client.post(VERIFY, {"code": totp_code(second_factor_device(county))})
    assert "验证码错误次数过多，请 1 秒后再试" in response.content.decode()
    assert client.get("/").status_code == 302
    assert len(_failures(county)) == 2


def test_an_empty_code_is_refused(county):
    response = client_for(county, second_factor=False).post(VERIFY, {"code": "  "})
    assert "请输入验证码" in response.content.decode()


def test_a_used_code_is_not_taken_twice(county):
    device = second_factor_device(county)
    code = totp_code(device)
    assert client_for(county, second_factor=False).post(VERIFY, {"code": code}).status_code == 302
    second = client_for(county, second_factor=False)
    assert services.ERR_WRONG_CODE in second.post(VERIFY, {"code": code}).content.decode()


def test_a_recovery_code_works_once_only(county):
    client = client_for(county)
    codes = services.recovery_codes_regenerate(user=county)
    fresh = client_for(county, second_factor=False)
    response = fresh.post(VERIFY, {"code": codes[0].upper()[:4] + "-" + codes[0][4:]})
    assert response.status_code == 302
    assert fresh.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=county).count() == 9
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=county, note="使用恢复码通过双因素认证").count() == 1
    again = client_for(county, second_factor=False)
    assert services.ERR_WRONG_RECOVERY in again.post(VERIFY, {"code": codes[0]}).content.decode()
    assert again.get("/").status_code == 302
    assert client.get("/").status_code == 200


def test_the_next_address_stays_on_this_site(county):
    client = client_for(county, second_factor=False)
    response = client.post(VERIFY, {"code": totp_code(second_factor_device(county)), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_administrator_without_an_authenticator_enrols_on_first_sign_in(county):
    TOTPDevice.objects.filter(user=county).delete()
    client = client_for(county, second_factor=False)
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    assert client.get(VERIFY)["Location"] == reverse("second_factor:enrol")
    page, secret = _enrol_secret(client)
    assert "<svg" in page and "必须使用双因素认证" in page
    assert len(secret) == 32

    response = client.post(ENROL, {"code": "123456"})
    assert services.ERR_WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.filter(user=county, confirmed=True).exists()
    assert _failures(county) == ["启用双因素认证时验证码错误"]
    # The same secret is shown again: the phone already holds it.
    assert _enrol_secret(client)[1] == secret

    TOTPDevice.objects.filter(user=county).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(ENROL, {"code": _code_for(secret), "next": "/cases/"})
    assert response.status_code == 200
    codes = re.findall(r'data-code="([a-z2-7]+)"', response.content.decode())
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=county).values_list("token", flat=True))
    assert TOTPDevice.objects.get(user=county).confirmed
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(county.pk), note="启用双因素认证（身份验证器）").exists()
    assert client.get("/cases/").status_code == 200
    # Shown once: the security page gives only their number.
    overview = client.get(reverse("second_factor:overview")).content.decode()
    assert "剩余恢复码 <strong>10</strong> 个" in overview and codes[0] not in overview


def test_regenerating_recovery_codes_voids_the_old_ones(county):
    client = client_for(county)
    old = services.recovery_codes_regenerate(user=county)
    response = client.post(reverse("second_factor:recovery_codes"))
    new = re.findall(r'data-code="([a-z2-7]+)"', response.content.decode())
    assert len(new) == 10 and not set(old) & set(new)
    fresh = client_for(county, second_factor=False)
    assert services.ERR_WRONG_RECOVERY in fresh.post(VERIFY, {"code": old[1]}).content.decode()
    notes = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(county.pk)).values_list("note", flat=True)
    assert list(notes) == ["重新生成恢复码（原恢复码作废）"] * 2


def test_an_administrator_who_removes_the_authenticator_must_enrol_again(county):
    client = client_for(county)
    response = client.post(reverse("second_factor:remove"))
    assert response["Location"] == reverse("second_factor:enrol")
    assert not TOTPDevice.objects.filter(user=county).exists()
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(action=Action.DELETE, object_id=str(county.pk))
    assert event.note == "移除身份验证器及恢复码"


def test_other_roles_need_no_second_factor_but_may_opt_in(town1):
    client = client_for(town1)
    assert client.get("/").status_code == 200
    assert "未启用" in client.get(reverse("second_factor:overview")).content.decode()
    _page, secret = _enrol_secret(client)
    response = client.post(ENROL, {"code": _code_for(secret)})
    assert response.status_code == 200 and "恢复码" in response.content.decode()
    assert policy.must_verify(town1) and not policy.required_by_policy(town1)
    later = client_for(town1, second_factor=False)
    assert later.get("/")["Location"].startswith(VERIFY)
    # Opted in, so it may opt out again.
    assert client.post(reverse("second_factor:remove"))["Location"] == reverse("second_factor:overview")
    assert client_for(town1, second_factor=False).get("/").status_code == 200


def test_the_deployment_may_require_it_of_everyone(town1, branch1, settings):
    settings.SECOND_FACTOR_FOR_ALL = True
    for user in (town1, branch1):
        client = client_for(user, second_factor=False)
        assert client.get("/")["Location"].startswith(ENROL)
        assert client.get("/api/v1/organizations").status_code == 403


def test_a_higher_layer_may_register_its_own_requirement(town1):
    def rule(user):
        return user.username == "town1"

    policy.register_requirement(rule)
    try:
        assert client_for(town1, second_factor=False).get("/")["Location"].startswith(ENROL)
    finally:
        policy.unregister_requirement(rule)
    assert client_for(town1, second_factor=False).get("/").status_code == 200


def test_an_account_manager_resets_a_lost_authenticator(county, town1, sysadmin):
    second_factor_device(town1)
    response = client_for(sysadmin).post(reverse("accounts:second_factor_reset", args=[town1.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=town1).exists()
    event = AuditEvent.objects.get(action=Action.DELETE, object_id=str(town1.pk))
    assert event.actor == sysadmin and event.note == "重置账号 town1 的双因素认证"


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_reset_is_post_only_scoped_and_for_account_managers(world, county, town1, town2, method):
    from django.contrib.auth.models import Group

    from zhengdun.accounts.models import User

    manager = User.objects.create_user(username="t2admin", password="x", organization=world.town2_org)
    manager.groups.add(Group.objects.get(name="system_admin"))
    url = reverse("accounts:second_factor_reset", args=[town1.pk])
    second_factor_device(town1)
    response = getattr(client_for(manager), method)(url)
    assert response.status_code == (405 if method == "get" else 404)
    assert getattr(client_for(town2), method)(url).status_code == 403
    assert TOTPDevice.objects.filter(user=town1).exists()


def test_the_accounts_page_offers_the_reset(sysadmin, town1):
    page = client_for(sysadmin).get(reverse("accounts:list")).content.decode()
    assert reverse("accounts:second_factor_reset", args=[town1.pk]) in page


def test_resetting_an_account_without_a_second_factor_says_so(sysadmin, town1):
    response = client_for(sysadmin).post(reverse("accounts:second_factor_reset", args=[town1.pk]), follow=True)
    assert services.ERR_NOT_ENROLLED in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.DELETE).exists()


def test_a_reset_ends_the_second_factor_of_the_accounts_other_sessions_within_a_minute(county, sysadmin, monkeypatch):
    from zhengdun.accounts.second_factor import middleware

    elsewhere = client_for(county)
    assert elsewhere.get("/").status_code == 200
    client_for(sysadmin).post(reverse("accounts:second_factor_reset", args=[county.pk]))
    now = middleware.time.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now + middleware.RECHECK_SECONDS + 1)
    response = elsewhere.get("/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_a_verified_session_reads_its_device_once_a_minute(county, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhengdun.accounts.second_factor import middleware

    def device_reads() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return sum("otp_totp_totpdevice" in q["sql"] for q in ctx.captured_queries)

    client = client_for(county)
    assert device_reads() == 0
    now = middleware.time.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now + middleware.RECHECK_SECONDS + 1)
    assert device_reads() == 1
    assert device_reads() == 0
