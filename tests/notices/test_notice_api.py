"""The API of the public notice: public routes without credentials, staff routes scoped."""

from __future__ import annotations

from tests.api.conftest import ApiClient
from tests.notices.notice_support import DRAFT_PROBLEMS, approved_plan, comment_on, token_of
from zhengdun.notices import services as public
from zhengdun.notices.models import CommentStatus, PublicComment
from zhengdun.plans.models import Plan

MARKUP = "<script>alert(1)</script><b>x</b>"


def test_it_reads_a_published_plan_without_credentials(on_notice, anonymous_api: ApiClient):
    Plan.objects.filter(pk=on_notice.pk).update(problems=DRAFT_PROBLEMS)
    comment_on(on_notice, body=MARKUP, status=CommentStatus.SHOWN, answer="已采纳")
    comment_on(on_notice, body="未公开的意见")
    response = anonymous_api.get(f"/public/plans/{token_of(on_notice)}")
    assert response.status_code == 200
    data = response.json()
    assert data["organization"] == "东关村党支部" and data["accepting_comments"] is True
    assert [s["heading"] for s in data["sections"]][:2] == ["一、基本情况", "二、存在的问题"]
    assert DRAFT_PROBLEMS not in str(data["sections"])
    assert data["measures"][0]["title"] == "流转土地种植艾草" and data["measures"][0]["deadline"] == "2026-06-30"
    assert [c["body"] for c in data["comments"]] == [MARKUP]
    assert "contact" not in data["comments"][0]


def test_it_answers_404_for_unknown_or_unpublished_plans(world, campaign, town1, anonymous_api: ApiClient):
    plan = approved_plan(campaign, world.village_e, published=True)
    public.plan_unpublish(plan=plan, actor=town1)
    for token in ("no-such-token", token_of(plan)):
        response = anonymous_api.get(f"/public/plans/{token}")
        assert response.status_code == 404 and response.json()["detail"] == "不存在或无权访问"
        assert anonymous_api.post(f"/public/plans/{token}/comments", {"body": "建议多开会议。"}).status_code == 404
    assert not PublicComment.objects.exists()


def test_it_takes_a_comment_without_credentials(on_notice, anonymous_api: ApiClient):
    response = anonymous_api.post(f"/public/plans/{token_of(on_notice)}/comments", {"body": MARKUP, "contact": "13812345678"})
    assert response.status_code == 201 and response.json()["detail"].startswith("意见已提交")
    assert PublicComment.objects.get().body == MARKUP


def test_it_refuses_bad_comments_with_the_same_messages(on_notice, anonymous_api: ApiClient):
    url = f"/public/plans/{token_of(on_notice)}/comments"
    response = anonymous_api.post(url, {"body": "好"})
    assert response.status_code == 400 and response.json()["detail"] == public.ERR_BODY_SHORT
    for _ in range(public.BURST_LIMIT):
        assert anonymous_api.post(url, {"body": "建议多开会议。"}).status_code == 201
    response = anonymous_api.post(url, {"body": "建议多开会议。"})
    assert response.status_code == 429 and response.json()["detail"] == public.ERR_TOO_FAST
    assert PublicComment.objects.count() == public.BURST_LIMIT


def test_it_refuses_comments_after_the_notice(world, campaign, anonymous_api: ApiClient):
    over = approved_plan(campaign, world.village_e, published=True, start=-30)
    assert anonymous_api.get(f"/public/plans/{token_of(over)}").json()["notice_over"] is True
    response = anonymous_api.post(f"/public/plans/{token_of(over)}/comments", {"body": "建议多开会议。"})
    assert response.status_code == 400 and response.json()["detail"] == public.ERR_NOTICE_OVER


def test_it_publishes_and_unpublishes(world, campaign, api_as, town1):
    plan = approved_plan(campaign, world.village_e)
    client = api_as(town1)
    data = client.post(f"/plans/{plan.pk}/publish", {"starts_on": "2026-04-01"}).json()
    assert data["published"] is True and data["notice_ends_on"] == "2026-04-07" and data["approved_version"] == 1
    assert data["public_url"] == f"http://testserver/p/{token_of(plan)}/"
    response = client.post(f"/plans/{plan.pk}/publish", {"starts_on": "2026-04-10", "ends_on": "2026-04-01"})
    assert response.status_code == 400 and response.json()["detail"] == public.ERR_END_BEFORE_START
    assert client.post(f"/plans/{plan.pk}/unpublish").json()["published"] is False


def test_it_refuses_publishing_to_a_branch_operator(world, campaign, api_as, branch1):
    plan = approved_plan(campaign, world.village_e)
    response = api_as(branch1).post(f"/plans/{plan.pk}/publish", {})
    assert response.status_code == 403 and response.json()["detail"] == public.ERR_NO_PUBLISH


def test_it_lists_and_answers_comments(on_notice, api_as, town1, branch1):
    comment = comment_on(on_notice, contact="13812345678")
    client = api_as(town1)
    listed = client.get(f"/plans/{on_notice.pk}/comments", status="new").json()
    assert listed["count"] == 1 and listed["items"][0]["contact"] == "13812345678"
    assert api_as(branch1).get(f"/plans/{on_notice.pk}/comments").json()["items"][0]["contact"] == "138****5678"
    data = client.post(f"/comments/{comment.pk}/answer", {"answer": "已采纳", "show_publicly": True}).json()
    assert data["status"] == "shown" and data["answered_by"] and data["show_publicly"] is True
    response = client.post(f"/comments/{comment.pk}/answer", {"answer": " "})
    assert response.status_code == 400 and response.json()["detail"] == public.ERR_ANSWER_EMPTY
    assert client.post(f"/comments/{comment.pk}/hide").json()["status"] == "hidden"
