from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import ApiClient, api_client_for
from zhengdun.accounts.models import User
from zhengdun.campaigns.models import Campaign, Criterion
from zhengdun.organizations.models import Organization
from zhengdun.screening import services
from zhengdun.screening.models import ScreeningRecord, ScreeningRound

SCREENED_ON = datetime.date(2026, 9, 10)
VACANT = "1.2"  # 党组织书记长期缺职或不胜任现职…
NO_MEMBERS = "2.4"  # 不发展年轻党员或两年以上不发展党员…


def criterion(campaign: Campaign, code: str) -> Criterion:
    return Criterion.objects.get(campaign=campaign, code=code)


def save(
    rnd: ScreeningRound,
    org: Organization,
    actor: User,
    *,
    conclusion: str = "weak",
    findings: dict[int, str] | None = None,
    **extra: Any,
) -> ScreeningRecord:
    """A record as a township would enter it; weak with one finding unless told otherwise."""
    if findings is None:
        findings = {criterion(rnd.campaign, VACANT).pk: "书记于 2026 年 3 月辞职，至今未选出"} if conclusion == "weak" else {}
    fields: dict[str, Any] = {"method": "field_check", "screened_on": SCREENED_ON, "note": "", **extra}
    return services.record_save(round=rnd, organization=org, conclusion=conclusion, findings=findings, actor=actor, **fields)


@pytest.fixture
def round1(world: Any, campaign: Campaign, town1: User) -> ScreeningRound:
    """town1 screening its own villages for the county's campaign."""
    return services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)


@pytest.fixture
def api_as(world: Any) -> Callable[[User], ApiClient]:
    return api_client_for
