"""The staff side of the notice: 公示与意见 per plan, the comment inbox, the Word download."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.notices.notice_support import approved_plan, comment_on, notice_of, token_of
from zhengdun.notices import services as public
from zhengdun.notices.models import CommentStatus, PlanNotice, PublicComment


def test_it_shows_the_notice_page_with_link_and_qr(on_notice, as_user, town1):
    comment_on(on_notice, body="建议<b>公开</b>账目", contact="13812345678")
    html = as_user(town1).get(reverse("notices:notice", args=[on_notice.pk])).content.decode()
    assert "公示中" in html and f"http://testserver/p/{token_of(on_notice)}/" in html
    assert f"/p/{token_of(on_notice)}/qr.svg" in html
    assert "建议&lt;b&gt;公开&lt;/b&gt;账目" in html and "13812345678" in html
    assert "撤回公示" in html and "答复" in html
    assert f'value="{notice_of(on_notice).starts_on:%Y-%m-%d}"' in html  # a date input reads ISO dates only


def test_it_masks_the_contact_for_readers_without_the_right(on_notice, as_user, branch1):
    comment_on(on_notice, contact="13812345678")
    html = as_user(branch1).get(reverse("notices:notice", args=[on_notice.pk])).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert "撤回公示" not in html and 'name="answer"' not in html


def test_it_publishes_from_the_page(plan, as_user, town1):
    response = as_user(town1).post(reverse("notices:publish", args=[plan.pk]), {"starts_on": "2026-04-01"}, follow=True)
    assert "已公示，公示期 2026-04-01 至 2026-04-07" in response.content.decode()
    notice = notice_of(plan)
    assert notice.published_at is not None and notice.ends_on == datetime.date(2026, 4, 7)


def test_it_says_why_publishing_is_refused(plan, as_user, town1):
    url = reverse("notices:publish", args=[plan.pk])
    response = as_user(town1).post(url, {"starts_on": "2026-04-10", "ends_on": "2026-04-01"}, follow=True)
    assert public.ERR_END_BEFORE_START in response.content.decode()
    assert not PlanNotice.objects.filter(plan=plan).exists()


def test_it_refuses_publishing_to_a_branch_operator(plan, as_user, branch1):
    assert as_user(branch1).post(reverse("notices:publish", args=[plan.pk]), {"starts_on": "2026-04-01"}).status_code == 403
    assert not PlanNotice.objects.filter(plan=plan).exists()


def test_it_unpublishes_from_the_page(on_notice, as_user, town1):
    response = as_user(town1).post(reverse("notices:unpublish", args=[on_notice.pk]), follow=True)
    assert "已撤回公示" in response.content.decode()
    assert notice_of(on_notice).published_at is None


def test_it_answers_and_hides_from_the_page(on_notice, as_user, town1):
    comment = comment_on(on_notice)
    client = as_user(town1)
    client.post(reverse("notices:comment_answer", args=[comment.pk]), {"answer": "已采纳", "show_publicly": "on"})
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SHOWN and comment.show_publicly and comment.answered_by == town1
    response = client.post(reverse("notices:comment_answer", args=[comment.pk]), {"answer": ""}, follow=True)
    assert public.ERR_ANSWER_EMPTY in response.content.decode()
    assert PublicComment.objects.get(pk=comment.pk).answer == "已采纳"
    client.post(reverse("notices:comment_transition", args=[comment.pk, "hide"]))
    assert PublicComment.objects.get(pk=comment.pk).status == CommentStatus.HIDDEN


def test_it_answers_404_to_another_township(on_notice, as_user, town2):
    comment = comment_on(on_notice)
    client = as_user(town2)
    assert client.get(reverse("notices:notice", args=[on_notice.pk])).status_code == 404
    assert client.get(reverse("plans:docx", args=[on_notice.pk])).status_code == 404
    assert client.post(reverse("notices:publish", args=[on_notice.pk]), {"starts_on": "2026-04-01"}).status_code == 404
    assert client.post(reverse("notices:unpublish", args=[on_notice.pk])).status_code == 404
    assert client.post(reverse("notices:comment_answer", args=[comment.pk]), {"answer": "好"}).status_code == 404
    for action in ("hide", "show", "withdraw"):
        assert client.post(reverse("notices:comment_transition", args=[comment.pk, action])).status_code == 404
    assert PublicComment.objects.get(pk=comment.pk).status == CommentStatus.NEW
    assert "建议增加村务公开" not in client.get(reverse("notices:comments")).content.decode()


def test_it_lists_comments_across_the_subtree_with_a_status_filter(world, campaign, on_notice, as_user, town1):
    comment_on(on_notice, body="待答复的一条意见")
    comment_on(on_notice, body="已答复的一条意见", status=CommentStatus.ANSWERED, answer="好")
    other = approved_plan(campaign, world.village_n, published=True)
    comment_on(other, body="河口镇的意见")
    client = as_user(town1)
    html = client.get(reverse("notices:comments")).content.decode()
    assert "待答复的一条意见" in html and "已答复的一条意见" in html and "河口镇的意见" not in html
    html = client.get(reverse("notices:comments"), {"status": "new"}).content.decode()
    assert "待答复的一条意见" in html and "已答复的一条意见" not in html


def test_it_lists_comments_in_a_fixed_number_of_queries(
    world, campaign, on_notice, as_user, county, django_assert_max_num_queries
):
    client = as_user(county)
    client.get(reverse("notices:comments"))  # warm the session and permission caches
    for i in range(3):
        comment_on(on_notice, body=f"第 {i} 条意见", status=CommentStatus.ANSWERED, answer="好", answered_by=county)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("notices:comments"))
    other = approved_plan(campaign, world.village_n, published=True)
    for i in range(10):
        comment_on(other, body=f"又一条意见 {i}", status=CommentStatus.ANSWERED, answer="好", answered_by=county)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notices:comments"))
