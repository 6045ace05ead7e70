from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import api_as  # noqa: F401  (the API personas' fixture, shared)
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.organizations.models import Organization, Person, Post

D = datetime.date


@pytest.fixture
def listed(world: Any, campaign: Any, county: Any) -> Callable[..., Case]:
    """listed(org, state=..., is_key=...) -> a case already at that state.

    Cases are set up directly: these tests are about assignments, and the case
    lifecycle has its own tests.
    """

    def make(org: Organization, *, state: str = CaseState.RECTIFYING, is_key: bool = False, filed_on: Any = None) -> Case:
        return Case.objects.create(
            campaign=campaign, organization=org, state=state, is_key=is_key, filed_on=filed_on, created_by=county
        )

    return make


@pytest.fixture
def holder(world: Any) -> Callable[..., Post]:
    """holder(org, role, name=...) -> a post set up directly, for rules to read."""

    def make(org: Organization, role: str, *, name: str = "张队员", started_on: Any = None, home: Any = None) -> Post:
        person = Person.objects.create(name=name, phone="13700001234", organization=home or org)
        return Post.objects.create(person=person, organization=org, role=role, started_on=started_on)

    return make
