from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import diff, record, record_change, snapshot
from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.cases.transitions import CASE_WORKFLOW, ERR_FILED_ON, ERR_SATISFACTION, ERR_SATISFACTION_LOW
from zhengdun.core.actors import Actor
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.core.workflow import ERR_ILLEGAL, ERR_NO_PERMISSION, ERR_NOTE_REQUIRED, ERR_STALE, ERR_UNKNOWN_ACTION
from zhengdun.organizations.choices import Level
from zhengdun.organizations.models import Organization

__all__ = [
    "ERR_FILED_ON",
    "ERR_ILLEGAL",
    "ERR_NO_PERMISSION",
    "ERR_NOTE_REQUIRED",
    "ERR_SATISFACTION",
    "ERR_SATISFACTION_LOW",
    "ERR_STALE",
    "ERR_UNKNOWN_ACTION",
]

ERR_ALREADY_OPEN = "该组织在本次整顿工作中已有记录，不能重复列入"
ERR_OUTSIDE_CAMPAIGN = "该组织不在本次整顿工作的范围内"
ERR_CAMPAIGN_CLOSED = "该整顿工作已结束，不能再列入组织"
ERR_CAMPAIGN_DRAFT = "该整顿工作尚未启动（草稿），不能列入组织"
ERR_NOT_GRASSROOTS = "只能列入村（社区）级或其他基层党组织，不能列入乡镇（街道）及以上的组织"
ERR_KEY_BY_COUNTY = "该组织已由县级认定，是否列为重点整顿对象只能由县级调整"

# Rectification is of grassroots organizations: village-level ones and the
# other grassroots organizations (enterprises, schools...), never a township or above.
CASE_LEVELS = (Level.VILLAGE, Level.OTHER)

# Until the county identifies a case, the township proposes whether it is key;
# from identification on, the flag is the county's decision.
BEFORE_IDENTIFICATION = (CaseState.SCREENED, CaseState.PROPOSED)


def may_change_key(*, case: Case, actor: Actor) -> bool:
    """Whether `actor` may change the case's 重点整顿 flag (the form offers it only then)."""
    return case.state in BEFORE_IDENTIFICATION or actor.has_perm("cases.identify_case")


@transaction.atomic
def case_open(*, campaign: Campaign, organization: Organization, actor: Actor, is_key: bool = False, note: str = "") -> Case:
    """Put an organization on the campaign's screening list (排查)."""
    ensure_org_in_scope(actor, organization)
    if not actor.has_perm("cases.add_case"):
        raise NotPermitted("您没有列入整顿对象的权限")
    if campaign.status == "draft":
        raise ServiceError(ERR_CAMPAIGN_DRAFT)
    if campaign.status != "active":
        raise ServiceError(ERR_CAMPAIGN_CLOSED)
    if not organization.path.startswith(campaign.scope.path):
        raise ServiceError(ERR_OUTSIDE_CAMPAIGN)
    if organization.level not in CASE_LEVELS:
        raise ServiceError(ERR_NOT_GRASSROOTS)
    if Case.objects.filter(campaign=campaign, organization=organization).exists():
        raise ServiceError(ERR_ALREADY_OPEN)
    try:
        with transaction.atomic():
            case = Case.objects.create(campaign=campaign, organization=organization, is_key=is_key, created_by_id=actor.pk)
    except IntegrityError:
        raise ServiceError(ERR_ALREADY_OPEN) from None
    CASE_WORKFLOW.record_creation(case, actor=actor, note=note, action="open")
    record(Action.CREATE, case, actor=actor, after=snapshot(case), note=note)
    return case


def case_transition(
    *,
    case: Case,
    action: str,
    actor: Actor,
    note: str = "",
    expected_version: int | None = None,
    filed_on: datetime.date | str | None = None,
    satisfaction: Decimal | str | None = None,
    is_key: bool | None = None,
) -> Case:
    """Move a case one step along its table (cases/transitions.py). All or nothing.

    `expected_version` is the version the actor saw; when someone else moved
    the case since, the step is refused rather than applied on top.
    """
    supplied = {"filed_on": filed_on, "satisfaction": satisfaction, "is_key": is_key}
    return CASE_WORKFLOW.run(
        case,
        action=action,
        actor=actor,
        scope_path=case.organization.path,
        note=note,
        expected_version=expected_version,
        supplied={k: v for k, v in supplied.items() if v is not None},
    )


@transaction.atomic
def case_update(*, case: Case, actor: Actor, expected_version: int, main_problems: str, measures: str, is_key: bool) -> Case:
    """Edit the ledger fields of a case; a stale form is refused."""
    ensure_org_in_scope(actor, case.organization)
    if not actor.has_perm("cases.propose_case"):
        raise NotPermitted("您没有修改整顿对象信息的权限")
    if is_key != case.is_key and not may_change_key(case=case, actor=actor):
        raise NotPermitted(ERR_KEY_BY_COUNTY)
    before = snapshot(case)
    changed = Case.objects.filter(pk=case.pk, version=expected_version).update(
        main_problems=main_problems, measures=measures, is_key=is_key, version=F("version") + 1, updated_at=timezone.now()
    )
    if changed != 1:
        case.refresh_from_db()
        raise ConflictError(ERR_STALE.format(state=case.get_state_display()))
    case.refresh_from_db()
    old, new = diff(before, snapshot(case))
    record(Action.UPDATE, case, actor=actor, before=old, after=new)
    return case


def case_link_screening(*, case: Case, record: Any, main_problems: str, actor: Actor) -> Case:
    """Point a case at the screening record it is proposed from, and fill
    "主要问题" from the findings unless someone already wrote it."""
    ensure_org_in_scope(actor, case.organization)
    updates: dict[str, Any] = {"screening_record": record}
    if not case.main_problems.strip():
        updates["main_problems"] = main_problems
    with transaction.atomic():
        before = snapshot(case)
        changed = Case.objects.filter(pk=case.pk, version=case.version).update(
            **updates, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            case.refresh_from_db()
            raise ConflictError(ERR_STALE.format(state=case.get_state_display()))
        case.refresh_from_db()
        record_change(case, before, actor=actor, note="关联排查记录")
    return case
