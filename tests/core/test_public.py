"""core.public: the machinery of pages reached without signing in, apart from any app."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.test import RequestFactory
from django.utils import timezone

from zhengdun.core.public import limits, qr, senders, text, tokens

PACKAGE = Path(qr.__file__).parent


def test_it_makes_unguessable_url_safe_tokens():
    made = {tokens.new_token() for _ in range(200)}
    assert len(made) == 200
    assert all(len(t) == 22 and t.replace("-", "").replace("_", "").isalnum() for t in made)
    assert len(tokens.new_token()) <= tokens.TOKEN_MAX_LENGTH


def test_it_hashes_a_sender_with_the_key_and_the_purpose(settings):
    one = senders.sender_hash("192.0.2.7", purpose="public-comment")
    assert one == senders.sender_hash("192.0.2.7", purpose="public-comment") and len(one) == senders.HASH_LENGTH
    assert one != senders.sender_hash("192.0.2.7", purpose="survey")
    assert one != senders.sender_hash("192.0.2.8", purpose="public-comment")
    settings.SECRET_KEY = "another install"
    assert one != senders.sender_hash("192.0.2.7", purpose="public-comment")


def test_it_builds_the_address_phones_reach(settings):
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    settings.PUBLIC_BASE_URL = ""
    assert qr.absolute_url("/p/abc/", request) == "http://testserver/p/abc/" and qr.absolute_url("/p/abc/") == "/p/abc/"
    settings.PUBLIC_BASE_URL = "https://zd.example.gov.cn/"
    assert qr.absolute_url("/p/abc/", request) == "https://zd.example.gov.cn/p/abc/"


def test_it_draws_the_qr_code_as_svg():
    svg = qr.qr_svg("https://zd.example.gov.cn/p/abc/")
    assert svg.startswith("<svg") and "<path" in svg


def test_it_cleans_public_text():
    assert text.clean_text("\r\n 意见\r\n建议 \r") == "意见\n建议"
    assert text.has_control_chars("a", "b\x00") and not text.has_control_chars("行\t一\n行二")


BURST = limits.Limit(2, datetime.timedelta(minutes=10), "太快了")
DAILY = limits.Limit(3, datetime.timedelta(days=1), "今天太多了")


def _rows_at(*ages: datetime.timedelta) -> QuerySet[Session]:
    # Any model's rows will do: the limit knows nothing of the app behind them.
    now = timezone.now()
    for i, age in enumerate(ages):
        Session.objects.create(session_key=f"limit-{i}", session_data="", expire_date=now - age)
    return Session.objects.filter(session_key__startswith="limit-")


@pytest.mark.django_db
def test_it_counts_rows_against_every_limit_in_one_query(django_assert_num_queries):
    rows = _rows_at(datetime.timedelta(minutes=1))
    with django_assert_num_queries(1):
        limits.check_limits(rows, [BURST, DAILY], at_field="expire_date")
    assert limits.TooManyRequests.status == 429


@pytest.mark.django_db
def test_it_refuses_with_the_first_limit_reached():
    rows = _rows_at(*[datetime.timedelta(minutes=1)] * 3)
    with pytest.raises(limits.TooManyRequests, match="太快了"):
        limits.check_limits(rows, [BURST, DAILY], at_field="expire_date")


@pytest.mark.django_db
def test_it_counts_only_rows_within_a_window():
    rows = _rows_at(*[datetime.timedelta(hours=2)] * 3)
    with pytest.raises(limits.TooManyRequests, match="今天太多了"):
        limits.check_limits(rows, [BURST, DAILY], at_field="expire_date")
    rows.update(expire_date=timezone.now() - datetime.timedelta(days=2))
    limits.check_limits(rows, [BURST, DAILY], at_field="expire_date")


def test_it_imports_no_app():
    for module in PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("zhengdun."):
                assert node.module.startswith("zhengdun.core."), f"{module.name} imports {node.module}"
