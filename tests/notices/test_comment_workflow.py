"""A public comment on the one workflow mechanism: the table, the offers pages
and API show, version-guarded steps, events and TRANSITION audit records."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from tests.notices.notice_support import comment_on
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.recording import TRANSITION
from zhengdun.core.workflow import ERR_ILLEGAL, ERR_STALE
from zhengdun.notices import services
from zhengdun.notices.models import CommentStatus, PublicComment
from zhengdun.notices.transitions import COMMENT_WORKFLOW

S = CommentStatus


def actions(comment: PublicComment, user) -> list[str]:
    return [o.action for o in COMMENT_WORKFLOW.offers(comment, user)]


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (S.NEW, ["answer", "hide"]),
        (S.ANSWERED, ["answer", "show", "hide"]),
        (S.SHOWN, ["answer", "withdraw", "hide"]),
        (S.HIDDEN, ["answer"]),
    ],
)
def test_it_offers_the_steps_of_the_table(on_notice, town1, status, offered):
    comment = comment_on(on_notice, status=status, answer="" if status == S.NEW else "已答复")
    assert actions(comment, town1) == offered


def test_it_offers_nothing_to_a_reader_without_the_right(on_notice, branch1):
    assert actions(comment_on(on_notice), branch1) == []


def test_it_shows_and_withdraws_an_answered_comment(on_notice, town1):
    comment = services.comment_answer(comment=comment_on(on_notice), actor=town1, answer="已采纳", show_publicly=False)
    assert comment.status == S.ANSWERED and not comment.show_publicly
    comment = services.comment_transition(comment=comment, action="show", actor=town1, expected_version=comment.version)
    assert comment.status == S.SHOWN and comment.show_publicly
    comment = services.comment_transition(comment=comment, action="withdraw", actor=town1)
    assert PublicComment.objects.get(pk=comment.pk).status == S.ANSWERED
    steps = [(e.action, e.from_state, e.to_state, e.actor_id) for e in comment.events.all()]
    assert steps == [
        ("answer", "new", "answered", town1.pk),
        ("show", "answered", "shown", town1.pk),
        ("withdraw", "shown", "answered", town1.pk),
    ]
    trail = AuditEvent.objects.filter(object_type="notices.publiccomment", object_id=str(comment.pk), action=TRANSITION)
    assert [e.note for e in trail.order_by("id")] == ["答复群众意见", "在公示页显示", "不在公示页显示"]


def test_it_takes_a_changed_answer_off_the_page(on_notice, town1):
    comment = comment_on(on_notice, status=S.SHOWN, answer="原答复")
    changed = services.comment_answer(comment=comment, actor=town1, answer="更正后的答复", show_publicly=False)
    assert changed.status == S.ANSWERED and changed.answer == "更正后的答复"


def test_it_answers_a_hidden_comment_again(on_notice, town1):
    comment = comment_on(on_notice, status=S.HIDDEN)
    answered = services.comment_answer(comment=comment, actor=town1, answer="经核实，已答复", show_publicly=True)
    assert answered.status == S.SHOWN


def test_it_refuses_a_step_the_table_does_not_allow(on_notice, town1):
    comment = comment_on(on_notice)
    with pytest.raises(ServiceError) as caught:
        services.comment_transition(comment=comment, action="show", actor=town1)
    assert caught.value.message == ERR_ILLEGAL.format(state="待答复", action="在公示页显示")
    assert PublicComment.objects.get(pk=comment.pk).status == S.NEW and not comment.events.exists()


def test_it_refuses_a_stale_step_and_keeps_the_other_deciders_work(on_notice, town1, county):
    comment = comment_on(on_notice, status=S.ANSWERED, answer="已答复")
    seen = comment.version
    services.comment_transition(comment=PublicComment.objects.get(pk=comment.pk), action="show", actor=county)
    with pytest.raises(ConflictError) as caught:
        services.comment_transition(comment=comment, action="hide", actor=town1, expected_version=seen)
    assert caught.value.message == ERR_STALE.format(state=S.SHOWN.label)
    assert PublicComment.objects.get(pk=comment.pk).status == S.SHOWN


def test_it_answers_and_shows_all_or_nothing(on_notice, town1, county):
    comment = comment_on(on_notice)
    stale = comment.version
    services.comment_hide(comment=PublicComment.objects.get(pk=comment.pk), actor=county)
    with pytest.raises(ConflictError):
        services.comment_answer(comment=comment, actor=town1, answer="已采纳", show_publicly=True, expected_version=stale)
    fresh = PublicComment.objects.get(pk=comment.pk)
    assert fresh.status == S.HIDDEN and fresh.answer == ""


def test_it_keeps_the_sender_out_of_the_transition_trail(on_notice, town1):
    comment = comment_on(on_notice, contact="13812345678", address="192.0.2.7")
    services.comment_answer(comment=comment, actor=town1, answer="已采纳", show_publicly=True)
    services.comment_hide(comment=comment, actor=town1)
    trail = AuditEvent.objects.filter(object_type="notices.publiccomment", object_id=str(comment.pk))
    assert trail.count() == 3
    for event in trail:
        assert "13812345678" not in str(event.before) + str(event.after)
        assert comment.sender.sender_hash not in str(event.before) + str(event.after)


def test_it_refuses_steps_out_of_scope_or_without_the_right(on_notice, town2, branch1):
    comment = comment_on(on_notice, status=S.ANSWERED, answer="已答复")
    with pytest.raises(Http404):
        services.comment_transition(comment=comment, action="show", actor=town2)
    with pytest.raises(NotPermitted):
        services.comment_transition(comment=comment, action="show", actor=branch1)
    assert PublicComment.objects.get(pk=comment.pk).status == S.ANSWERED


# -- the notice page ------------------------------------------------------------


def test_the_page_offers_exactly_the_workflows_steps(on_notice, as_user, town1):
    comment = comment_on(on_notice, status=S.SHOWN, answer="已答复")
    html = as_user(town1).get(reverse("notices:notice", args=[on_notice.pk])).content.decode()
    for action in ("withdraw", "hide"):
        assert reverse("notices:comment_transition", args=[comment.pk, action]) in html
    assert reverse("notices:comment_transition", args=[comment.pk, "show"]) not in html
    assert reverse("notices:comment_answer", args=[comment.pk]) in html and "修改答复" in html
    assert f'name="version" value="{comment.version}"' in html


def test_the_page_takes_a_step(on_notice, as_user, town1):
    comment = comment_on(on_notice, status=S.ANSWERED, answer="已答复")
    url = reverse("notices:comment_transition", args=[comment.pk, "show"])
    response = as_user(town1).post(url, {"version": comment.version}, follow=True)
    assert "已在公示页显示" in response.content.decode()
    assert PublicComment.objects.get(pk=comment.pk).status == S.SHOWN


def test_the_page_says_when_someone_else_handled_the_comment(on_notice, as_user, town1, county):
    comment = comment_on(on_notice, status=S.ANSWERED, answer="已答复")
    services.comment_hide(comment=PublicComment.objects.get(pk=comment.pk), actor=county)
    url = reverse("notices:comment_transition", args=[comment.pk, "show"])
    response = as_user(town1).post(url, {"version": comment.version}, follow=True)
    assert ERR_STALE.format(state="不予公开") in response.content.decode()
    assert PublicComment.objects.get(pk=comment.pk).status == S.HIDDEN


def test_the_page_says_why_a_step_is_refused(on_notice, as_user, town1):
    comment = comment_on(on_notice)
    url = reverse("notices:comment_transition", args=[comment.pk, "withdraw"])
    response = as_user(town1).post(url, follow=True)
    assert ERR_ILLEGAL.format(state="待答复", action="不在公示页显示") in response.content.decode()


def test_the_page_answers_404_to_an_unknown_step(on_notice, as_user, town1):
    comment = comment_on(on_notice)
    assert as_user(town1).post(reverse("notices:comment_transition", args=[comment.pk, "delete"])).status_code == 404
    assert as_user(town1).get(reverse("notices:comment_transition", args=[comment.pk, "hide"])).status_code == 405


def test_the_page_refuses_a_step_to_a_reader(on_notice, as_user, branch1):
    comment = comment_on(on_notice, status=S.ANSWERED, answer="已答复")
    assert as_user(branch1).post(reverse("notices:comment_transition", args=[comment.pk, "show"])).status_code == 403
    assert PublicComment.objects.get(pk=comment.pk).status == S.ANSWERED


def test_the_page_lists_comments_with_their_offers_in_a_fixed_number_of_queries(
    world, on_notice, as_user, county, django_assert_max_num_queries
):
    client = as_user(county)
    url = reverse("notices:notice", args=[on_notice.pk])
    client.get(url)  # warm the session and permission caches
    for status in S.values:
        comment_on(on_notice, status=status, answer="已答复", answered_by=county, contact="13812345678")
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for status in S.values * 3:
        comment_on(on_notice, status=status, answer="已答复", answered_by=county, contact="13812345678")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# -- the API --------------------------------------------------------------------


def test_the_api_offers_the_same_steps_as_the_page(on_notice, api_as, town1, branch1):
    comment = comment_on(on_notice, status=S.SHOWN, answer="已答复")
    data = api_as(town1).get(f"/comments/{comment.pk}").json()
    assert [t["action"] for t in data["transitions"]] == actions(comment, town1) == ["answer", "withdraw", "hide"]
    assert data["transitions"][1]["target_label"] == "已答复" and data["blocked_transitions"] == []
    assert api_as(branch1).get(f"/comments/{comment.pk}").json()["transitions"] == []


def test_the_api_takes_a_step_and_detects_a_stale_one(on_notice, api_as, town1):
    comment = comment_on(on_notice, status=S.ANSWERED, answer="已答复")
    client = api_as(town1)
    data = client.post(f"/comments/{comment.pk}/transitions", {"action": "show", "version": comment.version}).json()
    assert data["status"] == "shown" and data["show_publicly"] is True and data["version"] == comment.version + 1
    response = client.post(f"/comments/{comment.pk}/transitions", {"action": "hide", "version": comment.version})
    assert response.status_code == 409 and response.json()["detail"] == ERR_STALE.format(state=S.SHOWN.label)
    assert PublicComment.objects.get(pk=comment.pk).status == S.SHOWN


def test_the_api_answers_through_the_transition_route(on_notice, api_as, town1):
    comment = comment_on(on_notice)
    client = api_as(town1)
    response = client.post(f"/comments/{comment.pk}/transitions", {"action": "answer", "version": 1, "answer": " "})
    assert response.status_code == 400 and response.json()["detail"] == services.ERR_ANSWER_EMPTY
    data = client.post(f"/comments/{comment.pk}/transitions", {"action": "answer", "version": 1, "answer": "已采纳"}).json()
    assert data["status"] == "answered" and data["answer"] == "已采纳"


def test_the_api_refuses_bad_steps(on_notice, api_as, town1, branch1):
    comment = comment_on(on_notice)
    client = api_as(town1)
    response = client.post(f"/comments/{comment.pk}/transitions", {"action": "withdraw", "version": 1})
    assert response.status_code == 400 and response.json()["detail"] == ERR_ILLEGAL.format(
        state="待答复", action="不在公示页显示"
    )
    response = client.post(f"/comments/{comment.pk}/transitions", {"action": "delete", "version": 1})
    assert response.status_code == 400 and response.json()["detail"] == "未知的操作"
    response = api_as(branch1).post(f"/comments/{comment.pk}/transitions", {"action": "hide", "version": 1})
    assert response.status_code == 403
    assert PublicComment.objects.get(pk=comment.pk).status == S.NEW
