"""Identification through the API: dynamic addition. Confirming or returning a
proposal is a transition of the case (POST /cases/{id}/transitions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from zhengdun.campaigns.models import Campaign
from zhengdun.cases.api import CaseDetailOut, case_out
from zhengdun.core.api import WRITE_ERRORS, caller
from zhengdun.core.scoping import get_object_or_404
from zhengdun.identification import services
from zhengdun.organizations.models import Organization

router = Router(tags=["整顿对象"])


class DynamicAddIn(Schema):
    campaign_id: int
    organization_id: int = Field(description="村（社区）级党组织")
    note: str = Field(description="增补理由")
    filed_on: datetime.date | None = None
    is_key: bool = False


@router.post("/identification/dynamic", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="动态增补认定")
def case_add_dynamic(request: HttpRequest, payload: DynamicAddIn) -> Any:
    user = caller(request)
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), user, pk=payload.campaign_id)
    org = get_object_or_404(Organization.objects.all(), user, pk=payload.organization_id)
    case = services.case_add_dynamic(
        campaign=campaign, organization=org, actor=user, note=payload.note, filed_on=payload.filed_on, is_key=payload.is_key
    )
    return Status(201, case_out(request, case.pk))
