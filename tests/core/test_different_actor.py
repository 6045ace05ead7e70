"""core.workflow.different_actor: the separation-of-duties guard every workflow reuses."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.test_workflow import make_workflow, run
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_open
from zhengdun.cases.states import CaseState as S
from zhengdun.core.errors import NotPermitted
from zhengdun.core.system import SYSTEM
from zhengdun.core.workflow import different_actor

ERR_OWN = "不相容职责分离：提出的人不能认定"


@pytest.fixture
def case(world: Any, campaign: Any, town1: Any) -> Case:
    return case_open(campaign=campaign, organization=world.village_e, actor=town1)


def test_it_refuses_the_actor_of_the_earlier_step_and_lets_another_take_it(case, county):
    wf = make_workflow()
    wf.guard("identify")(different_actor(wf, message=ERR_OWN, after=("propose",)))
    run(wf, case, "propose", county, note="排查发现问题")
    offer = next(o for o in wf.offers(case, county) if o.action == "identify")
    assert offer.blocked == ERR_OWN
    with pytest.raises(NotPermitted, match=ERR_OWN):
        run(wf, case, "identify", county)
    assert Case.objects.get(pk=case.pk).state == S.PROPOSED
    run(wf, case, "identify", SYSTEM)  # the system actor is no person: never refused
    assert Case.objects.get(pk=case.pk).state == S.IDENTIFIED


def test_it_refuses_the_account_a_field_names(case, county, town1):
    wf = make_workflow()
    wf.guard("propose")(different_actor(wf, message=ERR_OWN, field="created_by"))
    assert case.created_by == town1
    assert next(o for o in wf.offers(case, town1) if o.action == "propose").blocked == ERR_OWN
    with pytest.raises(NotPermitted, match=ERR_OWN):
        run(wf, case, "propose", town1)
    run(wf, case, "propose", county)
    assert Case.objects.get(pk=case.pk).state == S.PROPOSED


def test_it_names_its_steps_and_field_correctly_at_start_up():
    wf = make_workflow()
    with pytest.raises(ValueError):
        different_actor(wf, message=ERR_OWN, after=("no_such_step",))
    with pytest.raises(Exception, match="no_such_field"):
        different_actor(wf, message=ERR_OWN, field="no_such_field")
    with pytest.raises(ValueError):
        different_actor(wf, message=ERR_OWN)
