"""`manage.py demo` enrols its administrators and prints what a tester without a phone
needs to pass the second factor."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP

from tests.demo.test_demo_command import PASSWORD, SMALL, demo, user
from zhengdun.accounts.second_factor import policy, services

VERIFY = "/accounts/second-factor/verify/"


@pytest.fixture
def small(db: None) -> str:
    return demo(**SMALL)


def _printed(out: str, username: str) -> tuple[str, list[str]]:
    secret = re.search(rf"{username}\s+密钥 ([A-Z2-7]+)", out).group(1)
    codes = re.search(r"恢复码 ([a-z2-7 ]+)", out.split(f"{username}", 1)[1]).group(1).split()
    return secret, codes


def _sign_in(username: str, code: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code})
    return client


def test_the_demo_prints_each_administrators_secret_and_recovery_codes(small: str) -> None:
    county = user("county")
    assert policy.is_enrolled(county)
    secret, codes = _printed(small, "county")
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert _sign_in("county", f"{TOTP(b32decode(secret)).token():06d}").get("/").status_code == 200
    assert _sign_in("county", codes[0]).get("/").status_code == 200
    assert "town1      密钥" not in small


def test_a_second_run_prints_the_same_secret_and_the_codes_left(small: str) -> None:
    secret, codes = _printed(small, "county")
    _sign_in("county", codes[0])
    again = demo(**SMALL)
    assert _printed(again, "county") == (secret, codes[1:])
