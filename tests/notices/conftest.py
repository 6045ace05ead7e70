"""Fixtures of the notice tests: an approved plan, one on notice, API clients."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import ApiClient, api_as  # noqa: F401  (api_as is a fixture used here too)
from tests.notices.notice_support import approved_plan
from zhengdun.plans.models import Plan


@pytest.fixture
def plan(world: Any, campaign: Any) -> Plan:
    return approved_plan(campaign, world.village_e)


@pytest.fixture
def on_notice(world: Any, campaign: Any) -> Plan:
    return approved_plan(campaign, world.village_e, published=True)


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(None)
