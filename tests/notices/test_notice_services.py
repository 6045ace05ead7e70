"""Publishing a plan for the public's comments, and the comments themselves."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from tests.notices.notice_support import approved_plan, comment_on, notice_of
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.public.senders import sender_hash
from zhengdun.notices import services as public
from zhengdun.notices.models import CommentStatus, PlanNotice, PublicComment
from zhengdun.plans.models import Plan, PlanStatus

TODAY = datetime.date(2026, 4, 1)


def submit(plan: Plan, body: str = "建议把村务公开栏移到村口。", address: str = "10.0.0.1", **extra: str) -> PublicComment:
    return public.comment_submit(plan=plan, body=body, sender_address=address, **extra)


# -- publishing ---------------------------------------------------------------


def test_it_publishes_for_the_campaigns_notice_days_by_default(plan, town1):
    published = public.plan_publish(plan=plan, actor=town1, starts_on=TODAY)
    assert published.starts_on == TODAY
    assert published.ends_on == TODAY + datetime.timedelta(days=plan.case.campaign.plan_notice_days - 1)
    assert published.published_at is not None
    event = AuditEvent.objects.filter(object_type="notices.plannotice", object_id=str(published.pk)).latest("id")
    assert event.after["starts_on"] == "2026-04-01" and "公示方案（第 1 版）" in event.note


def test_it_accepts_text_dates_and_an_explicit_end(plan, town1):
    published = public.plan_publish(plan=plan, actor=town1, starts_on="2026-04-01", ends_on="2026-04-15")
    assert published.ends_on == datetime.date(2026, 4, 15)


def test_it_refuses_a_plan_without_an_approved_version(plan, town1):
    Plan.objects.filter(pk=plan.pk).update(approved_version=None, status=PlanStatus.DRAFT)
    plan.refresh_from_db()
    with pytest.raises(ServiceError, match=public.ERR_NOT_APPROVED):
        public.plan_publish(plan=plan, actor=town1, starts_on=TODAY)
    assert not PlanNotice.objects.filter(plan=plan).exists()


def test_it_refuses_an_end_before_the_start(plan, town1):
    with pytest.raises(ServiceError, match=public.ERR_END_BEFORE_START):
        public.plan_publish(plan=plan, actor=town1, starts_on=TODAY, ends_on=TODAY - datetime.timedelta(days=1))
    assert not PlanNotice.objects.filter(plan=plan).exists()


def test_it_refuses_a_notice_shorter_than_the_campaign_rule(plan, town1):
    with pytest.raises(ServiceError, match="公示期不得少于 7 天"):
        public.plan_publish(plan=plan, actor=town1, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=5))


def test_it_refuses_a_bad_date(plan, town1):
    with pytest.raises(ServiceError, match=public.ERR_START):
        public.plan_publish(plan=plan, actor=town1, starts_on="明天")


def test_it_refuses_a_branch_operator(plan, branch1):
    with pytest.raises(NotPermitted, match=public.ERR_NO_PUBLISH):
        public.plan_publish(plan=plan, actor=branch1, starts_on=TODAY)


def test_it_hides_another_townships_plan(plan, town2):
    with pytest.raises(Http404):
        public.plan_publish(plan=plan, actor=town2, starts_on=TODAY)


def test_it_unpublishes_and_keeps_the_dates(on_notice, town1):
    public.plan_unpublish(plan=on_notice, actor=town1)
    notice = notice_of(on_notice)
    assert notice.published_at is None and notice.starts_on is not None
    assert AuditEvent.objects.filter(object_type="notices.plannotice", note="撤回公示").exists()
    with pytest.raises(ServiceError, match=public.ERR_NOT_PUBLISHED):
        public.plan_unpublish(plan=on_notice, actor=town1)


# -- comments -----------------------------------------------------------------


def test_it_stores_markup_verbatim(on_notice):
    body = "<script>alert(1)</script><b>x</b> 建议"
    comment = submit(on_notice, body, author_name="<i>老王</i>")
    comment.refresh_from_db()
    assert comment.body == body and comment.author_name == "<i>老王</i>"
    assert comment.status == CommentStatus.NEW


def test_it_keeps_the_sender_as_a_keyed_hash_only(on_notice):
    comment = submit(on_notice, address="192.0.2.7")
    assert comment.sender.sender_hash == sender_hash("192.0.2.7", purpose=public.SENDER_PURPOSE)
    assert "192.0.2.7" not in comment.sender.sender_hash and len(comment.sender.sender_hash) == 64


def test_it_keeps_contact_and_address_out_of_the_trail(on_notice):
    comment = submit(on_notice, contact="13812345678")
    event = AuditEvent.objects.get(object_type="notices.publiccomment", object_id=str(comment.pk))
    assert "contact" not in event.after and "sender_hash" not in event.after
    assert event.client_ip == ""


@pytest.mark.parametrize(
    ("body", "extra", "message"),
    [
        ("  好  ", {}, public.ERR_BODY_SHORT),
        ("长" * 501, {}, public.ERR_BODY_LONG),
        ("建议多开会议。", {"author_name": "名" * 21}, public.ERR_AUTHOR_LONG),
        ("建议多开会议。", {"contact": "1" * 51}, public.ERR_CONTACT_LONG),
        ("建议多开\x00会议。", {}, public.ERR_CONTROL_CHARS),
    ],
)
def test_it_refuses_bad_comments_and_writes_nothing(on_notice, body, extra, message):
    with pytest.raises(ServiceError) as caught:
        submit(on_notice, body, **extra)
    assert caught.value.message == message
    assert not PublicComment.objects.exists()


def test_it_counts_length_after_stripping_and_line_breaks_once(on_notice):
    comment = submit(on_notice, "\r\n  " + "意" * 498 + "\r\n见  \n")
    assert len(comment.body) == public.BODY_MAX and comment.body.endswith("\n见")


def test_it_refuses_comments_after_the_notice_period(world, campaign):
    over = approved_plan(campaign, world.village_e, published=True, start=-30)
    with pytest.raises(ServiceError, match=public.ERR_NOTICE_OVER):
        submit(over)
    assert not PublicComment.objects.exists()


def test_it_refuses_comments_before_the_notice_period(world, campaign):
    upcoming = approved_plan(campaign, world.village_e, published=True, start=3)
    with pytest.raises(ServiceError, match="公示尚未开始"):
        submit(upcoming)


def test_it_refuses_comments_on_an_unpublished_plan(plan):
    with pytest.raises(ServiceError, match=public.ERR_NOT_PUBLISHED):
        submit(plan)


def test_it_limits_bursts_per_sender(on_notice):
    for _ in range(public.BURST_LIMIT):
        submit(on_notice)
    with pytest.raises(public.TooManyComments) as caught:
        submit(on_notice)
    assert caught.value.message == public.ERR_TOO_FAST and caught.value.status == 429
    assert PublicComment.objects.count() == public.BURST_LIMIT
    submit(on_notice, address="10.0.0.2")  # another sender is not held back


def test_it_limits_a_sender_per_day(on_notice):
    for _ in range(public.DAILY_LIMIT):
        comment_on(on_notice, address="10.0.0.1")
    PublicComment.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    with pytest.raises(public.TooManyComments, match=public.ERR_TOO_MANY):
        submit(on_notice)
    assert PublicComment.objects.count() == public.DAILY_LIMIT
    PublicComment.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    submit(on_notice)  # yesterday's comments no longer count


# -- answers ------------------------------------------------------------------


def test_it_answers_a_comment_for_public_view(on_notice, town1):
    comment = comment_on(on_notice)
    answered = public.comment_answer(comment=comment, actor=town1, answer="  已采纳，每月公开一次。 ", show_publicly=True)
    assert answered.status == CommentStatus.SHOWN and answered.answer == "已采纳，每月公开一次。"
    assert answered.answered_by == town1 and answered.show_publicly
    trail = AuditEvent.objects.filter(object_type="notices.publiccomment", object_id=str(comment.pk)).order_by("id")
    answered_event, shown_event = trail
    assert answered_event.note == "答复群众意见" and answered_event.after["status"] == "answered"
    assert shown_event.note == "在公示页显示" and shown_event.after["status"] == "shown"
    assert [(e.from_state, e.to_state) for e in comment.events.all()] == [("new", "answered"), ("answered", "shown")]


def test_it_refuses_an_empty_answer(on_notice, town1):
    comment = comment_on(on_notice)
    with pytest.raises(ServiceError, match=public.ERR_ANSWER_EMPTY):
        public.comment_answer(comment=comment, actor=town1, answer="   ", show_publicly=True)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.NEW and comment.answer == ""


def test_it_lets_only_the_township_and_county_answer(on_notice, branch1, town2, county):
    comment = comment_on(on_notice)
    with pytest.raises(NotPermitted, match=public.ERR_NO_ANSWER):
        public.comment_answer(comment=comment, actor=branch1, answer="好", show_publicly=False)
    with pytest.raises(Http404):
        public.comment_answer(comment=comment, actor=town2, answer="好", show_publicly=False)
    assert public.comment_answer(comment=comment, actor=county, answer="好", show_publicly=False).status == "answered"


def test_it_hides_a_comment_from_the_public_page(on_notice, town1):
    comment = comment_on(on_notice, status=CommentStatus.SHOWN, answer="已答复")
    hidden = public.comment_hide(comment=comment, actor=town1)
    assert hidden.status == CommentStatus.HIDDEN and not hidden.show_publicly
