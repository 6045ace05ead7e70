"""The one workflow mechanism (core.workflow), tried on a table of its own over the case model.

A private Workflow instance keeps the guards and effects these tests register
away from the real case table.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from zhengdun.audit.models import AuditEvent
from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.services import case_open
from zhengdun.cases.states import CaseState as S
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.workflow import ERR_NOTE_REQUIRED, PREVIOUS_LABEL, Step, Transition, Workflow

ERR_GUARD = "守卫拒绝：尚未满足条件"


def make_workflow() -> Workflow[Case]:
    return Workflow(
        model=Case,
        event_model=CaseEvent,
        event_field="case",
        states=S,
        transitions=(
            Transition("propose", "提出拟定", (S.SCREENED,), S.PROPOSED, "cases.propose_case"),
            Transition("identify", "认定备案", (S.PROPOSED,), S.IDENTIFIED, "cases.identify_case"),
            Transition(
                "ask_out", "申请移出", (S.PROPOSED, S.IDENTIFIED), S.REMOVAL_REQUESTED, "cases.propose_case", note_required=True
            ),
            Transition("refuse_out", "不同意移出", (S.REMOVAL_REQUESTED,), None, "cases.identify_case", note_required=True),
        ),
    )


@pytest.fixture
def wf() -> Workflow[Case]:
    return make_workflow()


@pytest.fixture
def case(world: Any, campaign: Any, town1: Any) -> Case:
    return case_open(campaign=campaign, organization=world.village_e, actor=town1)


def run(wf: Workflow[Case], case: Case, action: str, actor: Any, **kwargs: Any) -> Case:
    return wf.run(case, action=action, actor=actor, scope_path=case.organization.path, **kwargs)


def test_it_moves_the_object_writes_one_event_and_one_transition_record(wf, case, town1):
    run(wf, case, "propose", town1, note="排查发现问题")
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version) == (S.PROPOSED, 2)
    assert (case.state, case.version) == (S.PROPOSED, 2)  # the caller's object is refreshed too
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.from_state, event.to_state, event.action, event.actor_id, event.note) == (
        S.SCREENED,
        S.PROPOSED,
        "propose",
        town1.pk,
        "排查发现问题",
    )
    audit = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action="transition").get()
    assert audit.note == "提出拟定：排查发现问题"
    assert audit.before["state"] == S.SCREENED and audit.after["state"] == S.PROPOSED


def test_a_guard_refuses_and_nothing_is_written(wf, case, town1):
    @wf.guard("propose")
    def _never(step: Step[Case]) -> None:
        raise ServiceError(ERR_GUARD, remedy_url="/orgs/1/assignments/", remedy_label="去安排")

    with pytest.raises(ServiceError) as exc:
        run(wf, case, "propose", town1)
    assert exc.value.message == ERR_GUARD and exc.value.remedy_url == "/orgs/1/assignments/"
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version) == (S.SCREENED, 1)
    assert CaseEvent.objects.filter(case=case).count() == 1  # only the opening row
    assert not AuditEvent.objects.filter(object_id=str(case.pk), action="transition").exists()


def test_preparers_turn_supplied_values_into_fields_written_with_the_state(wf, case, town1):
    @wf.preparer("propose")
    def _problems(step: Step[Case]) -> None:
        step.updates["main_problems"] = step.supplied["problems"].strip()

    run(wf, case, "propose", town1, supplied={"problems": "  班子不团结  "})
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.main_problems == "班子不团结" and fresh.state == S.PROPOSED
    assert CaseEvent.objects.filter(case=case).latest("id").data == {"main_problems": "班子不团结"}


def test_an_effect_that_fails_rolls_the_whole_step_back(wf, case, town1):
    seen: list[str] = []

    @wf.effect("propose")
    def _explode(step: Step[Case], event: Any) -> None:
        seen.append(step.target)
        raise ServiceError("后续处理失败")

    with pytest.raises(ServiceError):
        run(wf, case, "propose", town1)
    assert seen == [S.PROPOSED]
    assert Case.objects.get(pk=case.pk).state == S.SCREENED
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_the_second_of_two_deciders_is_told_and_changes_nothing(wf, case, town1, county):
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    run(wf, first, "propose", town1)
    with pytest.raises(ConflictError) as exc:
        run(wf, second, "propose", town1)
    assert "已被他人处理" in exc.value.message and "拟定待认定" in exc.value.message
    assert CaseEvent.objects.filter(case=case, action="propose").count() == 1
    assert Case.objects.get(pk=case.pk).version == 2


def test_an_explicit_stale_version_is_refused(wf, case, town1):
    with pytest.raises(ConflictError):
        run(wf, case, "propose", town1, expected_version=7)
    assert Case.objects.get(pk=case.pk).state == S.SCREENED


def test_permission_is_403_and_scope_is_404(wf, case, town1, town2, branch1):
    run(wf, case, "propose", town1)
    with pytest.raises(NotPermitted):
        run(wf, case, "identify", town1)
    with pytest.raises(Http404):
        run(wf, case, "ask_out", town2, note="理由")
    assert Case.objects.get(pk=case.pk).state == S.PROPOSED


def test_a_note_is_required_where_the_table_says_so(wf, case, town1):
    run(wf, case, "propose", town1)
    with pytest.raises(ServiceError) as exc:
        run(wf, case, "ask_out", town1, note="   ")
    assert exc.value.message == ERR_NOTE_REQUIRED
    assert Case.objects.get(pk=case.pk).state == S.PROPOSED


def test_back_to_the_previous_state_goes_where_the_object_came_from(wf, case, town1, county):
    run(wf, case, "propose", town1)
    run(wf, case, "identify", county)
    run(wf, case, "ask_out", town1, note="已整改到位")
    offer = next(o for o in wf.offers(case, county) if o.action == "refuse_out")
    assert offer.target_label == f"{PREVIOUS_LABEL}（已认定备案）"
    run(wf, case, "refuse_out", county, note="仍需整顿")
    assert Case.objects.get(pk=case.pk).state == S.IDENTIFIED


def test_offers_follow_state_and_permission_and_show_a_guards_reason(wf, case, town1, county):
    assert [o.action for o in wf.offers(case, town1)] == ["propose"]
    assert wf.offers(case, county.__class__.objects.get(username="inspector1")) == []

    @wf.guard("propose")
    def _blocked(step: Step[Case]) -> None:
        assert step.preview
        raise ServiceError(ERR_GUARD, remedy_url="/x/", remedy_label="去处理")

    (offer,) = wf.offers(case, town1)
    assert (offer.allowed, offer.blocked, offer.remedy_url, offer.remedy_label) == (False, ERR_GUARD, "/x/", "去处理")
    assert wf.offers(case, town1, include_blocked=False) == []


def test_a_table_with_unknown_states_or_twice_the_same_action_is_refused_at_once():
    with pytest.raises(ValueError):
        Workflow(
            model=Case,
            event_model=CaseEvent,
            event_field="case",
            states=S,
            transitions=(Transition("x", "x", ("nowhere",), S.PROPOSED, "cases.propose_case"),),
        )
    with pytest.raises(ValueError):
        Workflow(
            model=Case,
            event_model=CaseEvent,
            event_field="case",
            states=S,
            transitions=(
                Transition("x", "x", (S.SCREENED,), S.PROPOSED, "cases.propose_case"),
                Transition("x", "y", (S.PROPOSED,), S.IDENTIFIED, "cases.propose_case"),
            ),
        )
    with pytest.raises(ValueError):
        make_workflow().guard("no_such_action")
