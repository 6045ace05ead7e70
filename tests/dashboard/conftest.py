from __future__ import annotations

import pytest

from tests.dashboard.todo_support import Busy, build_busy
from tests.personas import World
from zhengdun.campaigns.models import Campaign


@pytest.fixture
def busy(world: World, campaign: Campaign) -> Busy:
    return build_busy(world, campaign)
