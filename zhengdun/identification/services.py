"""Writes of identification (认定) beyond the case's own steps: dynamic addition.

Confirming or returning a proposal is a step of the case's workflow
(cases.services.case_transition); this module only combines steps.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.cases.services import case_open, case_transition
from zhengdun.cases.states import CaseState
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.core.workflow import ERR_NO_PERMISSION, ERR_NOTE_REQUIRED
from zhengdun.organizations.choices import Level
from zhengdun.organizations.models import Organization

ERR_DYNAMIC_STATE = "该组织在本次整顿工作中的状态为“{state}”，不能动态增补"
ERR_DYNAMIC_LEVEL = "动态增补只适用于村（社区）级党组织，“{org}”是{level}级组织"
DYNAMIC_NOTE = "动态增补"

# Seed 003 lists weak grassroots organizations: villages and communities, never
# the township that oversees them.
DYNAMIC_LEVELS = (Level.VILLAGE,)


def case_add_dynamic(
    *,
    campaign: Campaign,
    organization: Organization,
    actor: Actor,
    note: str,
    filed_on: datetime.date | None = None,
    is_key: bool = False,
) -> Case:
    """Dynamic management (seed 003): an organization found weak at any time is
    listed at once, proposal and identification in one step by the county."""
    ensure_org_in_scope(actor, organization)
    if not note.strip():
        raise ServiceError(ERR_NOTE_REQUIRED)
    if not actor.has_perm("cases.identify_case"):
        raise NotPermitted(ERR_NO_PERMISSION.format(action="动态增补认定"))
    if organization.level not in DYNAMIC_LEVELS:
        raise ServiceError(ERR_DYNAMIC_LEVEL.format(org=organization.name, level=organization.get_level_display()))
    reason = f"{DYNAMIC_NOTE}：{note}"
    with transaction.atomic():
        case = Case.objects.filter(campaign=campaign, organization=organization).first()
        if case is None:
            case = case_open(campaign=campaign, organization=organization, actor=actor, is_key=is_key, note=reason)
        elif case.state != CaseState.SCREENED:
            raise ServiceError(ERR_DYNAMIC_STATE.format(state=case.get_state_display()))
        case = case_transition(case=case, action="propose", actor=actor, note=reason)
        return case_transition(case=case, action="identify", actor=actor, note=reason, filed_on=filed_on, is_key=is_key)
