"""Passkeys (通行密钥) as a second factor, against a software authenticator that builds
real WebAuthn registrations and assertions (tests/passkeys.py): adding one, signing in
with one, and every refusal changing nothing but the audit trail and the throttle."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import client_for
from tests.passkeys import SoftwareAuthenticator, b64url
from tests.personas import passkey_device, second_factor_device, totp_code
from zhengdun.accounts.second_factor import passkey_views, passkeys, policy, services
from zhengdun.accounts.second_factor.models import Passkey
from zhengdun.audit.models import Action, AuditEvent

VERIFY = "/accounts/second-factor/verify/"
ENROL = "/accounts/second-factor/enrol/"
REGISTER_OPTIONS = reverse("second_factor:passkey_register_options")
REGISTER = reverse("second_factor:passkey_register")
LOGIN_OPTIONS = reverse("second_factor:passkey_login_options")
LOGIN = reverse("second_factor:passkey_login")


def _failures(user) -> list[str]:
    return list(AuditEvent.objects.filter(action=Action.LOGIN_FAILED, actor=user).values_list("note", flat=True))


def _messages(response) -> list[str]:
    """The messages this response's request added (earlier ones wait in the session)."""
    return [str(m) for m in response.wsgi_request._messages._queued_messages]


def _passkey_only(user) -> tuple[Passkey, SoftwareAuthenticator]:
    TOTPDevice.objects.filter(user=user).delete()
    return passkey_device(user)


def _unverified(user):
    """The password step passed, the second factor not yet (client_for would pass it with a TOTP device)."""
    return client_for(user, second_factor=False)


def _sign_in(client, authenticator: SoftwareAuthenticator, **answer):
    options = client.post(LOGIN_OPTIONS).json()
    return client.post(LOGIN, {"credential": authenticator.assertion(options, **answer), "next": "/cases/"})


# Adding a passkey


def test_an_administrator_enrols_with_a_passkey_on_first_sign_in(county):
    TOTPDevice.objects.filter(user=county).delete()
    client = _unverified(county)
    assert client.get("/cases/")["Location"].startswith(ENROL)
    page = client.get(ENROL).content.decode()
    assert 'data-testid="passkey-enrol"' in page and "添加通行密钥并启用" in page

    response = client.post(REGISTER_OPTIONS)
    assert response.status_code == 200
    options = response.json()
    assert options["rp"]["id"] == "testserver" and options["excludeCredentials"] == []
    authenticator = SoftwareAuthenticator()
    response = client.post(REGISTER, {"name": "办公室电脑", "credential": authenticator.register(options), "next": "/cases/"})
    assert response.status_code == 200
    assert "已添加通行密钥" in response.content.decode()
    assert response.content.decode().count("data-code=") == services.RECOVERY_CODE_COUNT

    passkey = Passkey.objects.get(user=county)
    assert passkey.name == "办公室电脑" and bytes(passkey.credential_id) == authenticator.credential_id
    assert passkey.sign_count == 0 and passkey.transports == ["internal"]
    assert policy.is_enrolled(county)
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(county.pk))
    assert event.note == "添加通行密钥“办公室电脑”" and event.after["recovery_codes"] == 10
    # The session passed with the passkey just made.
    assert client.get("/cases/").status_code == 200


def test_an_enrolled_account_adds_a_second_passkey_after_passing_and_keeps_its_recovery_codes(county):
    codes = services.recovery_codes_regenerate(user=county)
    client = client_for(county)
    first, _ = passkey_device(county)
    options = client.post(REGISTER_OPTIONS).json()
    assert [c["id"] for c in options["excludeCredentials"]] == [b64url(bytes(first.credential_id))]
    response = client.post(REGISTER, {"name": " 家里的 安全密钥 ", "credential": SoftwareAuthenticator().register(options)})
    assert response["Location"] == reverse("second_factor:overview")
    assert list(Passkey.objects.filter(user=county).values_list("name", flat=True)) == ["办公室电脑", "家里的 安全密钥"]
    assert sorted(services.recovery_codes_of(county)) == sorted(codes)
    page = client.get(reverse("second_factor:overview")).content.decode()
    assert page.count('data-testid="passkey-row"') == 2 and "尚未使用" in page


def test_a_passkey_is_not_added_before_the_second_factor_is_passed(county):
    client = _unverified(county)
    response = client.post(REGISTER_OPTIONS)
    assert response.status_code == 403
    assert response.json() == {"detail": passkey_views.ERR_PENDING}
    options = client_for(county).post(REGISTER_OPTIONS).json()
    response = client.post(REGISTER, {"name": "小偷的钥匙", "credential": SoftwareAuthenticator().register(options)})
    assert response["Location"].startswith(VERIFY)
    assert not Passkey.objects.exists()


def test_a_registration_with_a_wrong_challenge_or_origin_is_refused_and_changes_nothing(town1):
    client = client_for(town1)
    for answer in ({"challenge": b64url(b"x" * 32)}, {"origin": "http://evil.example"}):
        options = client.post(REGISTER_OPTIONS).json()
        response = client.post(REGISTER, {"name": "电脑", "credential": SoftwareAuthenticator().register(options, **answer)})
        assert response["Location"].startswith(ENROL)
        assert _messages(response) == [passkeys.ERR_REGISTER_FAILED]
    assert not Passkey.objects.exists() and not StaticDevice.objects.filter(user=town1).exists()
    assert len(_failures(town1)) == 2 and all(n.startswith("添加通行密钥未通过验证") for n in _failures(town1))


@pytest.mark.parametrize(
    ("name", "credential", "message"),
    [
        ("", "{}", passkeys.ERR_NAME),
        ("名" * 65, "{}", passkeys.ERR_NAME),
        ("电脑\x07", "{}", passkeys.ERR_NAME),
        ("电脑", "不是 JSON", passkeys.ERR_REGISTER_FAILED),
        ("电脑", '{"id": "x"}', passkeys.ERR_REGISTER_FAILED),
    ],
)
def test_bad_registration_input_is_refused_in_chinese(town1, name, credential, message):
    client = client_for(town1)
    client.post(REGISTER_OPTIONS)
    response = client.post(REGISTER, {"name": name, "credential": credential})
    assert _messages(response) == [message]
    assert not Passkey.objects.exists()


def test_a_registration_answer_is_taken_once(town1):
    client = client_for(town1)
    options = client.post(REGISTER_OPTIONS).json()
    answer = SoftwareAuthenticator().register(options)
    client.post(REGISTER, {"name": "电脑", "credential": answer})
    Passkey.objects.all().delete()
    response = client.post(REGISTER, {"name": "电脑", "credential": answer})
    assert _messages(response) == [passkeys.ERR_CHALLENGE]
    assert not Passkey.objects.exists()


# Signing in with a passkey


def test_an_administrator_signs_in_with_a_passkey_instead_of_a_code(county):
    passkey, authenticator = _passkey_only(county)
    client = _unverified(county)
    page = client.get(VERIFY).content.decode()
    assert 'data-testid="passkey-login-form"' in page and "使用通行密钥验证" in page
    options = client.post(LOGIN_OPTIONS).json()
    assert options["rpId"] == "testserver"
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(authenticator.credential_id)]
    response = client.post(LOGIN, {"credential": authenticator.assertion(options), "next": "/cases/"})
    assert response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    passkey.refresh_from_db()
    assert passkey.sign_count == 1 and passkey.last_used_at is not None
    assert client.session["otp_device_id"] == passkey.persistent_id
    assert not _failures(county)


def test_a_wrong_challenge_is_refused_and_changes_nothing(county):
    passkey, authenticator = _passkey_only(county)
    client = _unverified(county)
    response = _sign_in(client, authenticator, challenge=b64url(b"y" * 64))
    assert response["Location"].startswith(VERIFY)
    assert _messages(response) == [passkeys.ERR_ASSERTION_FAILED]
    assert client.get("/cases/").status_code == 302
    passkey.refresh_from_db()
    assert passkey.sign_count == 0 and passkey.last_used_at is None
    assert _failures(county) == [f"双因素认证失败：{passkeys.ERR_ASSERTION_FAILED}"]


def test_an_assertion_made_for_another_site_is_refused(county):
    passkey, authenticator = _passkey_only(county)
    client = _unverified(county)
    response = _sign_in(client, authenticator, origin="https://phish.example")
    assert _messages(response) == [passkeys.ERR_ASSERTION_FAILED]
    assert client.get("/cases/").status_code == 302
    passkey.refresh_from_db()
    assert passkey.sign_count == 0


def test_a_replayed_sign_counter_is_refused(county):
    passkey, authenticator = _passkey_only(county)
    Passkey.objects.filter(pk=passkey.pk).update(sign_count=7)
    client = _unverified(county)
    # A cloned authenticator: a valid signature, a counter that did not grow.
    response = _sign_in(client, authenticator, count=7)
    assert _messages(response) == [passkeys.ERR_ASSERTION_FAILED]
    assert client.get("/cases/").status_code == 302
    passkey.refresh_from_db()
    assert passkey.sign_count == 7 and passkey.last_used_at is None


def test_another_accounts_passkey_is_refused(county, town1):
    _passkey_only(county)
    _other, town1_authenticator = passkey_device(town1)
    client = _unverified(county)
    response = _sign_in(client, town1_authenticator)
    assert _messages(response) == [passkeys.ERR_NOT_YOURS]
    assert client.get("/cases/").status_code == 302
    assert Passkey.objects.get(user=town1).sign_count == 0
    assert _failures(county) == [f"双因素认证失败：{passkeys.ERR_NOT_YOURS}"]


def test_an_assertion_is_taken_once(county):
    _passkey, authenticator = _passkey_only(county)
    client = _unverified(county)
    options = client.post(LOGIN_OPTIONS).json()
    answer = authenticator.assertion(options)
    assert client.post(LOGIN, {"credential": answer})["Location"] == "/"
    other = _unverified(county)
    other.post(LOGIN_OPTIONS)
    response = other.post(LOGIN, {"credential": answer})
    assert _messages(response) == [passkeys.ERR_ASSERTION_FAILED]
    Passkey.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    again = other.post(LOGIN, {"credential": answer})
    assert _messages(again) == [passkeys.ERR_CHALLENGE]
    assert other.get("/").status_code == 302


def test_a_failed_assertion_counts_toward_the_same_throttle_as_codes(county):
    device = second_factor_device(county)
    _passkey, authenticator = passkey_device(county)
    client = _unverified(county)
    _sign_in(client, authenticator, origin="https://phish.example")
    # The authenticator's right code at once is refused: the account waits after a failure.
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert "验证码错误次数过多，请 1 秒后再试" in response.content.decode()
    # And so is the passkey's right answer.
    response = _sign_in(client, authenticator)
    assert _messages(response) == ["验证码错误次数过多，请 1 秒后再试"]
    assert client.get("/").status_code == 302
    assert len(_failures(county)) == 3


def test_the_sign_in_options_need_a_passkey_and_bad_answers_are_refused(county, town1):
    assert _unverified(county).post(LOGIN_OPTIONS).json() == {"detail": passkey_views.ERR_NO_PASSKEYS}
    passkey_device(county)
    client = _unverified(county)
    for answer in ("", "不是 JSON", json.dumps({"id": "abc"})):
        client.post(LOGIN_OPTIONS)
        assert _messages(client.post(LOGIN, {"credential": answer})) == [passkeys.ERR_BAD_RESPONSE]
    assert client.get("/").status_code == 302
    assert client.get(LOGIN).status_code == 405


# Relying party


def test_the_rp_id_is_the_request_host_unless_set(settings):
    settings.PUBLIC_BASE_URL = ""
    request = RequestFactory().get("/", HTTP_HOST="localhost:8000")
    assert passkeys.relying_party(request).id == "localhost"
    assert passkeys.relying_party(request).origins == ("http://localhost:8000",)
    settings.ALLOWED_HOSTS = ["zd.example.cn", "proxy.internal"]
    settings.WEBAUTHN_RP_ID = "example.cn"
    settings.PUBLIC_BASE_URL = "https://zd.example.cn/zhengdun"
    rp = passkeys.relying_party(RequestFactory().get("/", HTTP_HOST="zd.example.cn", secure=True))
    assert rp.id == "example.cn" and rp.origins == ("https://zd.example.cn",)
    # Reached under a name outside the RP ID: only PUBLIC_BASE_URL's origin is accepted.
    rp = passkeys.relying_party(RequestFactory().get("/", HTTP_HOST="proxy.internal"))
    assert rp.origins == ("https://zd.example.cn",)


def test_an_assertion_for_another_rp_id_is_refused(county, settings):
    settings.WEBAUTHN_RP_ID = "testserver"
    passkey, authenticator = _passkey_only(county)
    client = _unverified(county)
    options = client.post(LOGIN_OPTIONS).json()
    response = client.post(LOGIN, {"credential": authenticator.assertion({**options, "rpId": "evil.example"})})
    assert _messages(response) == [passkeys.ERR_ASSERTION_FAILED]
    passkey.refresh_from_db()
    assert passkey.sign_count == 0


# Removing


def test_an_account_removes_its_own_passkey(town1):
    passkey, _ = passkey_device(town1)
    kept, _ = passkey_device(town1)
    client = client_for(town1)
    response = client.post(reverse("second_factor:passkey_remove", args=[passkey.pk]))
    assert response["Location"] == reverse("second_factor:overview")
    assert list(Passkey.objects.all()) == [kept]
    event = AuditEvent.objects.get(action=Action.DELETE, object_id=str(town1.pk))
    assert event.note == "移除通行密钥“办公室电脑”" and event.actor == town1


def test_another_accounts_passkey_cannot_be_removed(town1, county):
    passkey, _ = passkey_device(county)
    client = client_for(town1)
    assert client.post(reverse("second_factor:passkey_remove", args=[passkey.pk])).status_code == 404
    assert client.get(reverse("second_factor:passkey_remove", args=[passkey.pk])).status_code == 405
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.DELETE).exists()


def test_an_administrator_removing_its_last_passkey_must_enrol_again(county):
    passkey, authenticator = _passkey_only(county)
    services.recovery_codes_issue_first(user=county)
    client = _unverified(county)
    _sign_in(client, authenticator)
    response = client.post(reverse("second_factor:passkey_remove", args=[passkey.pk]))
    assert response["Location"] == reverse("second_factor:enrol")
    assert not StaticDevice.objects.filter(user=county).exists()
    assert client.get("/cases/")["Location"].startswith(ENROL)


def test_an_account_manager_reset_clears_the_passkeys_too(sysadmin, town1):
    passkey_device(town1)
    client_for(sysadmin).post(reverse("accounts:second_factor_reset", args=[town1.pk]))
    assert not Passkey.objects.filter(user=town1).exists()
    event = AuditEvent.objects.get(action=Action.DELETE, object_id=str(town1.pk))
    assert event.before == {"authenticators": 0, "passkeys": 1}


def test_removing_the_authenticator_keeps_the_passkeys_and_recovery_codes(county):
    passkey_device(county)
    codes = services.recovery_codes_regenerate(user=county)
    client = client_for(county)
    response = client.post(reverse("second_factor:remove"))
    assert response["Location"] == reverse("second_factor:overview")
    assert not TOTPDevice.objects.filter(user=county).exists()
    assert sorted(services.recovery_codes_of(county)) == sorted(codes)
    assert policy.is_enrolled(county)


def test_a_removed_passkey_ends_the_sessions_that_passed_with_it_within_a_minute(county, monkeypatch):
    from zhengdun.accounts.second_factor import middleware

    passkey, authenticator = _passkey_only(county)
    elsewhere = _unverified(county)
    _sign_in(elsewhere, authenticator)
    assert elsewhere.get("/").status_code == 200
    here = _unverified(county)
    _sign_in(here, authenticator)
    here.post(reverse("second_factor:passkey_remove", args=[passkey.pk]))
    now = middleware.time.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now + middleware.RECHECK_SECONDS + 1)
    response = elsewhere.get("/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
