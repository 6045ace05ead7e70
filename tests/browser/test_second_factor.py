"""An administrator enrols an authenticator on first sign-in and signs in with its code
afterwards, in the browser: the test reads the secret off the page as a phone would."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import login
from zhengdun.accounts.second_factor.services import ERR_WRONG_CODE
from zhengdun.audit.models import Action, AuditEvent

pytestmark = pytest.mark.browser


def _code(secret: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_an_administrator_enrols_on_first_sign_in_and_then_signs_in_with_the_code(page, world, county):
    TOTPDevice.objects.filter(user=county).delete()
    login(page, "county")
    assert "/accounts/second-factor/enrol/" in page.url
    assert page.get_by_test_id("enrol-required").is_visible()
    assert page.locator("[data-testid=totp-qr] svg").is_visible()
    assert not page.get_by_test_id("whoami").count()
    secret = page.get_by_test_id("totp-secret").get_attribute("data-secret")
    assert secret.replace(" ", "") == page.get_by_test_id("totp-secret").inner_text().replace(" ", "")

    page.fill("#id_code", "000000")
    page.click("[data-testid=enrol-form] button[type=submit]")
    assert ERR_WRONG_CODE in page.get_by_test_id("code-error").inner_text()
    # django-otp makes the next try wait a second after a wrong code.
    page.wait_for_timeout(1100)
    page.fill("#id_code", _code(secret))
    page.click("[data-testid=enrol-form] button[type=submit]")
    codes = page.locator("[data-testid=recovery-codes] li")
    assert codes.count() == 10
    page.get_by_test_id("codes-done").click()
    page.wait_for_url(lambda url: "/accounts/second-factor/" not in url)
    assert "county" in page.get_by_test_id("whoami").inner_text()

    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/cases/")
    page.fill("#id_username", "county")
    page.fill("#id_password", "Zhengdun@2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/verify/**")
    assert not page.get_by_test_id("whoami").count()
    # The code just used for enrolment is spent; the phone's next one is taken.
    page.fill("#id_code", _code(secret, steps_ahead=1))
    page.click("[data-testid=verify-form] button[type=submit]")
    page.wait_for_url("**/cases/")
    assert "county" in page.get_by_test_id("whoami").inner_text()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, actor=county).count() == 1
