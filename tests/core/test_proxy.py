"""Behind a reverse proxy: the client's address and the scheme count only when a trusted proxy sent them."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.notices.notice_support import approved_plan, token_of
from zhengdun.audit.models import AuditEvent
from zhengdun.core.middleware import client_ip
from zhengdun.notices import services as public
from zhengdun.notices.models import PublicComment

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings: Any) -> Any:
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/24"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def _ip(peer: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=peer, **extra))


def test_it_takes_the_client_from_the_trusted_proxy(behind_proxy: Any) -> None:
    assert _ip(PROXY, "192.0.2.10") == "192.0.2.10"


def test_it_ignores_forwarded_for_from_anyone_else(behind_proxy: Any) -> None:
    assert _ip("203.0.113.9", "192.0.2.10") == "203.0.113.9"


def test_it_ignores_forwarded_for_without_trusted_proxies(settings: Any) -> None:
    assert settings.TRUSTED_PROXIES == []
    assert _ip("127.0.0.1", "192.0.2.10") == "127.0.0.1"


def test_it_takes_the_rightmost_untrusted_hop_not_a_forged_one(behind_proxy: Any) -> None:
    # The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended what it saw.
    assert _ip(PROXY, "6.6.6.6, 192.0.2.10") == "192.0.2.10"


def test_it_walks_back_through_a_chain_of_trusted_proxies(behind_proxy: Any) -> None:
    assert _ip(PROXY, "6.6.6.6, 192.0.2.10, 10.1.0.7") == "192.0.2.10"


def test_it_stops_at_a_hop_that_is_no_address(behind_proxy: Any) -> None:
    assert _ip(PROXY, "192.0.2.10, not-an-address") == PROXY
    assert _ip(PROXY, "") == PROXY


def test_trust_x_forwarded_for_alone_means_a_proxy_on_this_machine() -> None:
    env = {**os.environ, "TRUST_X_FORWARDED_FOR": "1", "TRUSTED_PROXIES": ""}
    code = (
        "import django; django.setup(); from django.conf import settings;"
        " print(settings.TRUSTED_PROXIES, settings.SECURE_PROXY_SSL_HEADER)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "zhengdun.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "['127.0.0.1', '::1'] ('HTTP_X_FORWARDED_PROTO', 'https')"
    bad = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "TRUSTED_PROXIES": "10.0.0.300", "DJANGO_SETTINGS_MODULE": "zhengdun.settings"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "TRUSTED_PROXIES: '10.0.0.300' is neither an address nor a network" in bad.stderr


def test_https_through_the_trusted_proxy_does_not_redirect(behind_proxy: Any, db: None) -> None:
    behind_proxy.SECURE_SSL_REDIRECT = True
    client = Client(REMOTE_ADDR=PROXY)
    assert client.get("/healthz", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    plain = client.get("/healthz")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/healthz"


def test_a_client_claiming_https_itself_is_redirected(behind_proxy: Any, db: None) -> None:
    behind_proxy.SECURE_SSL_REDIRECT = True
    response = Client(REMOTE_ADDR="203.0.113.9").get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301 and response["Location"] == "https://testserver/healthz"


def test_the_audit_trail_and_the_lockout_record_the_client_behind_the_proxy(behind_proxy: Any, county: Any) -> None:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.10")
    client.post(reverse("login"), {"username": "county", "password": "wrong-Pass1!"})
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"
    assert client.post(reverse("login"), {"username": "county", "password": "Zhengdun@2026"}).status_code == 302
    assert AuditEvent.objects.get(action="login").client_ip == "192.0.2.10"


def test_the_comment_limit_counts_villagers_not_the_proxy(behind_proxy: Any, world: Any, campaign: Any) -> None:
    page = reverse("public:plan", args=[token_of(approved_plan(campaign, world.village_e, published=True))])
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.10")
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.11")
    for _ in range(public.BURST_LIMIT):
        first.post(page, {"body": "建议多开会议。"})
    assert public.ERR_TOO_FAST in first.post(page, {"body": "建议多开会议。"}).content.decode()
    # A forged hop on the left does not make the same villager someone new.
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.10")
    assert public.ERR_TOO_FAST in forged.post(page, {"body": "建议多开会议。"}).content.decode()
    assert public.ERR_TOO_FAST not in second.post(page, {"body": "建议多开会议。"}).content.decode()
    assert PublicComment.objects.count() == public.BURST_LIMIT + 1
