"""A campaign with cases in every interesting state, and workbook helpers.

- 东关村党支部 (town1): identified, 主要问题 set, leaders 钱主 + B岗 赵副
- 西关村党支部 (town1): screened only, not on the ledger
- 南关社区党支部 (town1): rectifying
- 北河村党支部 (town2): identified, contact leader 李联系 (leader1)
- 中河村党支部 (town2): delisted, only on the "all" listing
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.api.conftest import api_as  # noqa: F401  (the API personas' fixture, shared)
from tests.plans_support import approved_plan
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_open, case_transition, case_update
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import Person, Post

WALK = [
    ("propose", {}),
    ("identify", {"filed_on": "2026-03-16"}),
    ("approve_plan", {}),
    ("start", {}),
    ("request_acceptance", {"note": "已完成整改"}),
    ("pass", {"note": "验收合格", "satisfaction": "86.5"}),
]


def walk(case: Case, actor: Any, until: str) -> Case:
    for action, extra in WALK:
        if action == "approve_plan":
            # The county's approval of the plan takes the case's step.
            approved_plan(case, county=actor)
        else:
            case = case_transition(case=case, action=action, actor=actor, **extra)
        if case.state == until:
            break
    return case


def listed_case(campaign: Any, org: Any, actor: Any, until: str = "identified", **texts: str) -> Case:
    case = walk(case_open(campaign=campaign, organization=org, actor=actor), actor, until)
    if texts:
        case = case_update(
            case=case,
            actor=actor,
            expected_version=case.version,
            main_problems=texts.get("main_problems", ""),
            measures=texts.get("measures", ""),
            is_key=False,
        )
    return case


@pytest.fixture
def cases(world: Any, campaign: Any, county: Any) -> dict[str, Case]:
    boss = Person.objects.create(name="钱主", phone="13900002222", organization=world.office)
    deputy = Person.objects.create(name="赵副", phone="13900003333", organization=world.office)
    Post.objects.create(person=boss, organization=world.village_e, role=PostRole.CONTACT_LEADER)
    Post.objects.create(person=deputy, organization=world.village_e, role=PostRole.CONTACT_LEADER_DEPUTY)
    return {
        "village_e": listed_case(
            campaign, world.village_e, county, main_problems="班子不团结，内耗严重", measures="调整充实班子"
        ),
        "village_w": case_open(campaign=campaign, organization=world.village_w, actor=county),
        "community_s": listed_case(campaign, world.community_s, county, until="rectifying", main_problems="组织生活不正常"),
        "village_n": listed_case(campaign, world.village_n, county, main_problems="书记不胜任"),
        "village_m": listed_case(campaign, world.village_m, county, until="delisted"),
    }


def workbook(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def data_rows(data: bytes) -> list[list[Any]]:
    """The ledger's data lines (row 5 on), as cell values."""
    sheet = workbook(data).worksheets[0]
    return [list(row) for row in sheet.iter_rows(min_row=5, values_only=True)]


def save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
