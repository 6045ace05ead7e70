"""Passkeys in the browser, with Chromium's virtual authenticator (DevTools WebAuthn
domain, a platform authenticator that verifies the user): an administrator adds a passkey
on its security page, signs out, and signs in again with password and passkey."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from zhengdun.accounts.second_factor import services
from zhengdun.accounts.second_factor.models import Passkey

pytestmark = pytest.mark.browser


def _virtual_authenticator(page) -> tuple[object, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_an_administrator_adds_a_passkey_and_signs_in_with_it(page, world, county):
    services.recovery_codes_regenerate(user=county)  # enrolled with its authenticator app, as it was
    cdp, authenticator = _virtual_authenticator(page)
    login(page, "county")
    page.goto("/accounts/second-factor/")
    assert page.get_by_test_id("no-passkeys").is_visible()
    form = page.get_by_test_id("passkey-register-form")
    form.locator("input[name=name]").fill("办公室电脑")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=passkey-row]")
    assert "办公室电脑" in page.get_by_test_id("passkey-row").inner_text()
    assert "已添加通行密钥“办公室电脑”" in page.content()
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    passkey = Passkey.objects.get(user=county)

    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/cases/")
    page.fill("#id_username", "county")
    page.fill("#id_password", "Zhengdun@2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/verify/**")
    assert not page.get_by_test_id("whoami").count()
    page.get_by_test_id("passkey-login-form").locator("button[type=submit]").click()
    page.wait_for_url("**/cases/")
    assert "county" in page.get_by_test_id("whoami").inner_text()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None and passkey.sign_count >= 1


def test_the_passkey_buttons_are_hidden_without_webauthn(page, world, county):
    from tests.personas import passkey_device

    passkey_device(county)
    page.add_init_script("delete window.PublicKeyCredential;")
    page.goto("/accounts/login/")
    page.fill("#id_username", "county")
    page.fill("#id_password", "Zhengdun@2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/verify/**")
    assert not page.get_by_test_id("passkey-login-form").is_visible()
    assert page.locator("#id_code").is_visible()


def test_an_administrator_enrols_with_a_passkey_on_first_sign_in(page, world, county):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=county).delete()
    _virtual_authenticator(page)
    login(page, "county")
    assert "/accounts/second-factor/enrol/" in page.url
    enrol = page.get_by_test_id("passkey-enrol")
    assert enrol.is_visible()
    enrol.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=recovery-codes]")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    page.get_by_test_id("codes-done").click()
    page.wait_for_url(lambda url: "/accounts/second-factor/" not in url)
    assert "county" in page.get_by_test_id("whoami").inner_text()
    assert Passkey.objects.get(user=county).name == "通行密钥"
