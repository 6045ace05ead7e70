import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import ApiClient
from zhengdun.accounts.models import ApiToken


def test_it_answers_a_valid_token_and_notes_its_use(world, county):
    token, raw = ApiToken.issue(county, name="报表脚本")
    response = ApiClient(raw).get("/organizations")
    assert response.status_code == 200
    assert response.json()["count"] == 9
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_a_request_without_credentials(anonymous_api):
    response = anonymous_api.get("/organizations")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或访问令牌无效"}


def test_it_refuses_an_unknown_token(world):
    response = ApiClient("zd_not-a-real-token").get("/organizations")
    assert response.status_code == 401


def test_it_refuses_a_revoked_token(world, county):
    token, raw = ApiToken.issue(county)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert ApiClient(raw).get("/organizations").status_code == 401


def test_it_refuses_an_expired_token(world, county):
    _token, raw = ApiToken.issue(county, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert ApiClient(raw).get("/organizations").status_code == 401


def test_it_refuses_the_token_of_a_deactivated_account(world, town1):
    _token, raw = ApiToken.issue(town1)
    town1.is_active = False
    town1.save()
    assert ApiClient(raw).get("/organizations").status_code == 401


def test_it_accepts_the_signed_in_browser_session(as_user, town1):
    response = as_user(town1).get("/api/v1/organizations")
    assert response.status_code == 200
    assert {o["name"] for o in response.json()["items"]} == {"城关镇", "东关村党支部", "西关村党支部", "南关社区党支部"}


def test_it_serves_the_openapi_document_with_every_resource(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/organizations",
        "/api/v1/organizations/{org_id}",
        "/api/v1/organizations/{org_id}/children",
        "/api/v1/organizations/{org_id}/move",
        "/api/v1/organizations/{org_id}/posts",
        "/api/v1/posts/{post_id}/end",
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/campaigns",
        "/api/v1/campaigns/templates",
        "/api/v1/campaigns/{campaign_id}",
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/transitions",
        "/api/v1/cases/{case_id}/events",
    ):
        assert path in paths, path
    assert set(response.json()["components"]["securitySchemes"]) == {"TokenAuth", "BrowserSession"}


def test_it_serves_the_docs_page_from_local_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_it_answers_the_health_check_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def _token_writes(ctx: CaptureQueriesContext) -> list[str]:
    updates = (q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE"))
    return [sql for sql in updates if "accounts_apitoken" in sql]


def test_calls_within_five_minutes_write_the_token_once(world, county):
    # Issue 9 §3 cause 7: every call updated its token's last use.
    token, raw = ApiToken.issue(county, name="报表脚本")
    api = ApiClient(raw)
    assert api.get("/organizations").status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    with CaptureQueriesContext(connection) as ctx:
        assert api.get("/organizations").status_code == 200
        assert api.get("/cases").status_code == 200
    assert _token_writes(ctx) == []
    token.refresh_from_db()
    assert token.last_used_at == first_use


def test_a_call_after_five_minutes_notes_the_use_again(world, county):
    token, raw = ApiToken.issue(county, name="报表脚本")
    earlier = timezone.now() - datetime.timedelta(minutes=6)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    with CaptureQueriesContext(connection) as ctx:
        assert ApiClient(raw).get("/organizations").status_code == 200
    assert len(_token_writes(ctx)) == 1
    token.refresh_from_db()
    assert token.last_used_at > earlier + datetime.timedelta(minutes=5)
