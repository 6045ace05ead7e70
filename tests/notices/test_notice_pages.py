"""The public page of a plan (/p/<token>/): no sign-in, phone-sized, plain text."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from tests.notices.notice_support import APPROVED_PROBLEMS, DRAFT_PROBLEMS, approved_plan, comment_on, notice_of, token_of
from zhengdun.notices import services as public
from zhengdun.notices.models import CommentStatus, PlanNotice, PublicComment
from zhengdun.notices.selectors import public_url
from zhengdun.plans.models import Plan

MARKUP = "<script>alert(1)</script><b>x</b>"


def page_of(plan: Plan) -> str:
    return reverse("public:plan", args=[token_of(plan)])


def test_it_shows_the_published_plan_without_sign_in(on_notice, client: Client):
    response = client.get(page_of(on_notice))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html and "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "东关村党支部" in html and on_notice.title in html
    assert "一、基本情况" in html and "流转土地种植艾草" in html and 'data-label="责任人"' in html
    assert "中共城关镇委员会" in html and "2026年3月5日" in html
    assert 'name="csrfmiddlewaretoken"' in html and "提交意见" in html


def test_it_shows_the_approved_version_not_a_later_draft(on_notice, client: Client):
    Plan.objects.filter(pk=on_notice.pk).update(problems=DRAFT_PROBLEMS, title="草稿标题")
    html = client.get(page_of(on_notice)).content.decode()
    assert "两委成员各自为政" in html and APPROVED_PROBLEMS.splitlines()[1] in html
    assert DRAFT_PROBLEMS not in html and "草稿标题" not in html


def test_it_answers_404_for_an_unknown_token(on_notice, client: Client):
    assert client.get(reverse("public:plan", args=["no-such-token"])).status_code == 404
    assert client.get(reverse("public:qr", args=["no-such-token"])).status_code == 404


def test_it_gives_a_plan_never_published_no_address(world, campaign):
    plan = approved_plan(campaign, world.village_e)
    assert not PlanNotice.objects.filter(plan=plan).exists()


def test_it_answers_404_once_unpublished(on_notice, town1, client: Client):
    public.plan_unpublish(plan=on_notice, actor=town1)
    assert client.get(page_of(on_notice)).status_code == 404
    assert client.post(page_of(on_notice), {"body": "建议多开会议。"}).status_code == 404
    assert client.get(reverse("public:qr", args=[token_of(on_notice)])).status_code == 404
    assert not PublicComment.objects.exists()


def test_it_keeps_the_address_when_published_again(on_notice, town1, client: Client):
    token = token_of(on_notice)
    public.plan_unpublish(plan=on_notice, actor=town1)
    public.plan_publish(plan=on_notice, actor=town1, starts_on=notice_of(on_notice).starts_on)
    assert token_of(on_notice) == token and client.get(page_of(on_notice)).status_code == 200


def test_it_takes_a_comment_and_thanks(on_notice, client: Client):
    response = client.post(page_of(on_notice), {"body": MARKUP, "author_name": "老王", "contact": "13812345678"}, follow=True)
    assert "意见已提交" in response.content.decode()
    comment = PublicComment.objects.get()
    assert comment.body == MARKUP and comment.sender.contact == "13812345678"
    # Not shown until answered and chosen for display.
    assert "alert(1)" not in response.content.decode()


def test_it_shows_the_reason_a_comment_is_refused(on_notice, client: Client):
    html = client.post(page_of(on_notice), {"body": "好"}).content.decode()
    assert public.ERR_BODY_SHORT in html
    assert not PublicComment.objects.exists()


def test_it_shows_the_rate_limit_message(on_notice, client: Client):
    for _ in range(public.BURST_LIMIT):
        client.post(page_of(on_notice), {"body": "建议多开会议。"})
    html = client.post(page_of(on_notice), {"body": "建议多开会议。"}).content.decode()
    assert public.ERR_TOO_FAST in html
    assert PublicComment.objects.count() == public.BURST_LIMIT


def test_it_shows_answered_comments_as_escaped_text(on_notice, client: Client):
    comment_on(on_notice, body=MARKUP, status=CommentStatus.SHOWN, answer="<i>已采纳</i>")
    comment_on(on_notice, body="这条不公开的意见", status=CommentStatus.ANSWERED, answer="已答复")
    comment_on(on_notice, body="这条不予公开的意见", status=CommentStatus.HIDDEN, answer="已答复")
    comment_on(on_notice, body="这条待答复的意见")
    html = client.get(page_of(on_notice)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in html and "&lt;i&gt;已采纳&lt;/i&gt;" in html
    assert "<script>alert" not in html and "<b>x</b>" not in html
    assert "这条不公开的意见" not in html and "这条待答复的意见" not in html and "这条不予公开的意见" not in html


def test_it_shows_an_ended_notice_read_only(world, campaign, client: Client):
    over = approved_plan(campaign, world.village_e, published=True, start=-30)
    html = client.get(page_of(over)).content.decode()
    assert "公示期已结束" in html and "提交意见" not in html and "流转土地种植艾草" in html
    html = client.post(page_of(over), {"body": "建议多开会议。"}).content.decode()
    assert public.ERR_NOTICE_OVER in html
    assert not PublicComment.objects.exists()


def test_it_serves_the_qr_code_as_svg(on_notice, client: Client):
    response = client.get(reverse("public:qr", args=[token_of(on_notice)]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.decode().startswith("<svg") and "<path" in response.content.decode()


def test_it_encodes_the_absolute_public_url(on_notice, rf, settings, monkeypatch):
    request = rf.get("/", HTTP_HOST="127.0.0.1")
    notice, token = notice_of(on_notice), token_of(on_notice)
    assert public_url(notice, request) == f"http://127.0.0.1/p/{token}/"
    settings.PUBLIC_BASE_URL = "https://zd.example.gov.cn/"
    assert public_url(notice, request) == f"https://zd.example.gov.cn/p/{token}/"
    encoded: list[str] = []
    monkeypatch.setattr("zhengdun.notices.views.qr_svg", lambda url: encoded.append(url) or "<svg/>")
    Client().get(reverse("public:qr", args=[token]))
    assert encoded == [f"https://zd.example.gov.cn/p/{token}/"]


def test_it_shows_upcoming_notice_dates_without_a_form(world, campaign, client: Client):
    upcoming = approved_plan(campaign, world.village_e, published=True, start=2)
    html = client.get(page_of(upcoming)).content.decode()
    start = notice_of(upcoming).starts_on
    assert isinstance(start, datetime.date)
    assert "公示尚未开始" in html and f"{start.year}年{start.month}月{start.day}日" in html and "提交意见" not in html
