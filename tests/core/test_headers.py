"""The headers every page carries: CSP, Permissions-Policy, Referrer-Policy, and
no cache keeping pages or files with personal information."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.notices.notice_support import approved_plan, token_of
from tests.rectification.support import make_task, png_bytes, upload
from zhengdun.rectification import services as tasks

NO_STORE = "private, no-store"
TEMPLATES = Path(__file__).resolve().parents[2] / "zhengdun"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _policy(response: Any) -> dict[str, str]:
    return {
        name: value.strip()
        for name, _, value in (d.strip().partition(" ") for d in response["Content-Security-Policy"].split(";"))
    }


def test_a_page_carries_a_policy_without_inline_script(as_user: Any, town1: Any) -> None:
    policy = _policy(as_user(town1).get("/"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'" and policy["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


def test_a_page_carries_permissions_and_referrer_policies(client: Client, db: None) -> None:
    response = client.get(reverse("login"))
    permissions = response["Permissions-Policy"].split(", ")
    assert "camera=(self)" in permissions and "geolocation=()" in permissions and "microphone=()" in permissions
    assert response["Referrer-Policy"] == "same-origin"


def test_a_signed_in_page_is_never_stored(as_user: Any, town1: Any) -> None:
    assert as_user(town1).get("/")["Cache-Control"] == NO_STORE


def test_the_login_page_with_its_csrf_token_is_never_stored(client: Client, db: None) -> None:
    # LoginView is @never_cache, which says no-store too.
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]


def test_a_view_that_sets_its_own_cache_control_keeps_it(as_user: Any, town1: Any) -> None:
    # accounts.views.tokens is @never_cache: Django's own header stays.
    assert as_user(town1).get(reverse("accounts:tokens"))["Cache-Control"].startswith("max-age=0")


def test_exports_and_downloads_are_never_stored(as_user: Any, world: Any, campaign: Any, town1: Any) -> None:
    client = as_user(town1)
    sheet = client.get(reverse("ledger:download"), {"campaign": campaign.pk, "org": world.town1_org.pk})
    assert sheet.status_code == 200 and sheet["Cache-Control"] == NO_STORE
    template = client.get(reverse("roster:template"))
    assert template.status_code == 200 and template["Cache-Control"] == NO_STORE


def test_evidence_is_served_by_the_scoped_view_and_never_stored(
    world: Any, campaign: Any, as_user: Any, branch1: Any, town2: Any
) -> None:
    task = make_task(approved_plan(campaign, world.village_e))
    evidence = tasks.evidence_add(task=task, actor=branch1, uploaded_file=upload("合影.png", png_bytes()), note="")
    response = as_user(branch1).get(reverse("rectification:evidence", args=[evidence.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == NO_STORE
    assert as_user(town2).get(reverse("rectification:evidence", args=[evidence.pk])).status_code == 404
    # The stored file has no public address of its own.
    for prefix in ("/media/", "/"):
        assert as_user(branch1).get(prefix + evidence.file.name).status_code == 404


def test_the_public_page_with_its_comment_form_is_never_stored_but_its_qr_code_may_be(
    client: Client, world: Any, campaign: Any
) -> None:
    token = token_of(approved_plan(campaign, world.village_e, published=True))
    assert client.get(reverse("public:plan", args=[token]))["Cache-Control"] == NO_STORE
    assert client.get(reverse("public:qr", args=[token]))["Cache-Control"] == "public, max-age=300"


def test_static_files_keep_their_own_cache_lifetime(client: Client) -> None:
    response = client.get("/static/zhengdun/site.js")
    assert response.status_code == 200 and "no-store" not in response["Cache-Control"]


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+=['\"]|\sstyle=['\"]|javascript:|\shx-on|\shx-vals=['\"]js:", re.I
)


def test_no_template_has_inline_script_style_or_handlers() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("templates/**/*.html")
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []
