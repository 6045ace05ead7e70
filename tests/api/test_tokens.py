import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.api.conftest import ApiClient
from zhengdun.accounts.models import ApiToken
from zhengdun.audit.models import AuditEvent


def _create_token(*args: str) -> str:
    out = io.StringIO()
    call_command("create_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_it_prints_a_usable_token(world, town1):
    raw = _create_token("town1", "--name", "报表脚本")
    assert raw.startswith("zd_")
    response = ApiClient(raw).get("/organizations")
    assert response.status_code == 200
    assert response.json()["count"] == 4
    token = ApiToken.objects.get(user=town1)
    # Issue 8: a token made without a lifetime expires after API_TOKEN_MAX_AGE_DAYS (it used to last forever).
    assert token.name == "报表脚本" and (token.expires_at - timezone.now()).days in (179, 180) and raw.endswith(token.hint)
    assert raw not in str(list(ApiToken.objects.values()))  # only the hash is kept
    event = AuditEvent.objects.get(object_type="accounts.apitoken", action="create")
    assert event.actor is None and event.after["user"] == "town1" and "key_hash" not in event.after


def test_it_sets_an_expiry_in_days(world, town1):
    _create_token("town1", "--days", "30")
    token = ApiToken.objects.get(user=town1)
    assert 29 <= (token.expires_at - timezone.now()).days <= 30


def test_it_refuses_an_unknown_user_in_chinese(world):
    with pytest.raises(CommandError, match="账号“nobody”不存在"):
        _create_token("nobody")


def test_it_refuses_a_nonsense_lifetime(world):
    with pytest.raises(CommandError, match="有效天数应为 1 到 3650 之间的整数"):
        _create_token("town1", "--days", "0")
    assert not ApiToken.objects.exists()


def test_it_lists_only_my_own_tokens(world, as_user, town1, town2):
    ApiToken.issue(town1, name="我的脚本")
    ApiToken.issue(town2, name="别人的脚本")
    response = as_user(town1).get("/accounts/tokens/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的脚本" in html and "别人的脚本" not in html


def test_it_creates_a_token_and_shows_it_once(world, as_user, town1):
    client = as_user(town1)
    response = client.post("/accounts/tokens/", {"name": "数据大屏", "days": "90"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw.startswith("zd_") and raw in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert ApiClient(raw).get("/cases").status_code == 200
    assert raw not in client.get("/accounts/tokens/").content.decode()
    token = ApiToken.objects.get(user=town1)
    assert token.name == "数据大屏" and token.expires_at is not None
    assert AuditEvent.objects.filter(
        object_type="accounts.apitoken", object_id=str(token.pk), action="create", actor=town1
    ).exists()


def test_it_revokes_my_token_and_the_api_refuses_it(world, as_user, town1):
    token, raw = ApiToken.issue(town1, name="旧脚本")
    response = as_user(town1).post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert response.status_code == 200
    assert f"已吊销尾号为 {token.hint} 的令牌" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(raw).get("/organizations").status_code == 401
    event = AuditEvent.objects.get(object_type="accounts.apitoken", object_id=str(token.pk), action="update")
    assert event.actor == town1 and event.note == "吊销访问令牌"


def test_it_cannot_revoke_another_accounts_token(world, as_user, town1, town2):
    token, _raw = ApiToken.issue(town2)
    response = as_user(town1).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
