"""Access tokens (issue 8 §1 "API tokens"): expiry by default, read-only tokens, revoked with
the password or a disabled account, bad tokens audited and throttled per address."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import BASE, ApiClient
from zhengdun.accounts.models import ApiToken
from zhengdun.accounts.security.services import NOTE_TOKENS_DISABLED, password_change
from zhengdun.accounts.security.token_guard import ERR_READ_ONLY, NOTE_BAD_TOKEN
from zhengdun.accounts.services import token_create, user_update
from zhengdun.audit.models import AuditEvent
from zhengdun.organizations.models import Organization

STRONG = "Tq7#mZ9!pL"


def test_a_token_made_without_a_lifetime_expires_after_the_default(world, town1, settings):
    token, _raw = token_create(user=town1, actor=town1)
    assert (token.expires_at - timezone.now()).days in (179, 180)
    settings.API_TOKEN_MAX_AGE_DAYS = 30
    assert (ApiToken.issue(town1)[0].expires_at - timezone.now()).days in (29, 30)


def test_a_token_is_read_only_unless_asked(world, town1):
    assert token_create(user=town1, actor=town1)[0].access == "read"
    assert token_create(user=town1, actor=town1, access="read_write")[0].access == "read_write"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/organizations"),
        ("patch", "/organizations/{org}"),
        ("put", "/campaigns/1/stages"),
        ("delete", "/plans/1/measures/1"),
    ],
)
def test_a_read_only_token_may_not_write(world, county, method, path):
    _token, raw = token_create(user=county, actor=county)
    api = ApiClient(raw)
    assert api.get("/organizations").status_code == 200
    before = Organization.objects.count()
    response = getattr(api, method)(path.format(org=world.town1_org.pk), {"name": "改名", "code": "X1"})
    assert response.status_code == 403
    assert response.json()["detail"] == ERR_READ_ONLY
    assert response["Content-Type"].startswith("application/json")
    assert Organization.objects.count() == before
    world.town1_org.refresh_from_db()
    assert world.town1_org.name == "城关镇"


def test_a_read_write_token_writes(world, county):
    _token, raw = token_create(user=county, actor=county, access="read_write")
    response = ApiClient(raw).patch(f"/organizations/{world.town1_org.pk}", {"name": "城关镇党委"})
    assert response.status_code == 200 and response.json()["name"] == "城关镇党委"


def test_the_token_page_makes_read_only_or_read_write_tokens(as_user, town1):
    client = as_user(town1)
    assert re.search(r'value="read"[^>]*checked', client.get("/accounts/tokens/").content.decode())
    client.post("/accounts/tokens/", {"name": "大屏", "access": "read_write"})
    client.post("/accounts/tokens/", {"name": "脚本"})
    assert dict(ApiToken.objects.filter(user=town1).values_list("name", "access")) == {"大屏": "read_write", "脚本": "read"}
    refused = client.post("/accounts/tokens/", {"name": "坏", "access": "admin"})
    assert "选择一个有效的选项" in refused.content.decode()
    assert not ApiToken.objects.filter(name="坏").exists()


def test_changing_the_password_revokes_the_tokens(world, town1):
    _token, raw = ApiToken.issue(town1)
    password_change(user=town1, old_password="Zhengdun@2026", new_password=STRONG, keep_session_key=None)
    assert ApiClient(raw).get("/organizations").status_code == 401


def test_disabling_an_account_revokes_its_tokens_and_enabling_it_does_not_revive_them(world, sysadmin, town1):
    token, raw = ApiToken.issue(town1)

    def save(active: bool) -> None:
        roles = ["township_operator"]
        user_update(actor=sysadmin, user=town1, display_name="town1", organization=world.town1_org, roles=roles, is_active=active)

    save(False)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk), note=NOTE_TOKENS_DISABLED).exists()
    save(True)
    assert ApiClient(raw).get("/organizations").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def _bearer(raw: str, address: str) -> int:
    return Client(REMOTE_ADDR=address).get(f"{BASE}/organizations", headers={"Authorization": f"Bearer {raw}"}).status_code


def test_bad_tokens_are_audited_and_throttled_per_address(world, town1, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    _token, good = ApiToken.issue(town1)
    assert [_bearer(f"zd_guess{n}", "203.0.113.7") for n in range(3)] == [401, 401, 401]
    failures = AuditEvent.objects.filter(action="login_failed", note=NOTE_BAD_TOKEN)
    assert failures.count() == 3 and set(failures.values_list("client_ip", flat=True)) == {"203.0.113.7"}
    assert not any(f"zd_guess{n}" in e.object_repr for e in failures for n in range(3))
    response = Client(REMOTE_ADDR="203.0.113.7").get(f"{BASE}/organizations", headers={"Authorization": f"Bearer {good}"})
    assert response.status_code == 429 and "该地址访问令牌验证失败次数过多，请 15 分钟后再试" == response.json()["detail"]
    assert _bearer(good, "10.1.2.3") == 200
    assert failures.count() == 3  # a refused address is not counted again


def test_an_expired_token_counts_as_a_bad_one(world, town1):
    _token, raw = ApiToken.issue(town1, expires_at=timezone.now() - datetime.timedelta(days=1))
    assert _bearer(raw, "10.1.2.3") == 401
    assert AuditEvent.objects.filter(action="login_failed", note=NOTE_BAD_TOKEN, client_ip="10.1.2.3").count() == 1
