"""The ledger (台账): seed 004's sheet for a campaign and subtree, as JSON or .xlsx."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, Router, Schema

from zhengdun.campaigns.models import Campaign
from zhengdun.core.api import ErrorOut, Ref, caller
from zhengdun.core.scoping import get_object_or_404
from zhengdun.ledger import services
from zhengdun.ledger.selectors import Listing, default_unit, unit_choices
from zhengdun.organizations.models import Organization

router = Router(tags=["台账"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READ_ERRORS: dict[frozenset[int], type[Schema]] = {frozenset({400, 403, 404}): ErrorOut}


class LedgerRowOut(Schema):
    number: int = Field(description="序号")
    case_id: int
    version: int
    state: str
    state_label: str
    is_key: bool
    organization_id: int
    organization_code: str
    organization_name: str = Field(description="后进基层党组织名称")
    parent_name: str = Field(description="上级党组织名称")
    secretary_name: str = Field(description="党组织书记姓名")
    secretary_phone: str = Field(description="党组织书记联系电话；无权查看个人信息时已脱敏")
    main_problems: str = Field(description="主要问题")
    measures: str = Field(description="整改措施")
    contact_leaders: str = Field(description="联系领导，B岗在括号内")


class LedgerOut(Schema):
    campaign: Ref
    unit: Ref = Field(description="填表单位：导出范围的顶端组织")
    listing: str
    phones_unmasked: bool
    rows: list[LedgerRowOut]


def _chosen(request: HttpRequest, campaign_id: int, org_id: int | None) -> tuple[Campaign, Organization]:
    user = caller(request)
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), user, pk=campaign_id)
    if org_id is not None:
        return campaign, get_object_or_404(Organization.objects.all(), user, pk=org_id)
    unit = default_unit(user, campaign, unit_choices(user, campaign))
    if unit is None:
        raise Http404("不存在或无权访问")
    return campaign, unit


@router.get("/ledger", response={200: LedgerOut, **READ_ERRORS}, summary="台账（后进基层党组织情况汇总表）")
def ledger(request: HttpRequest, campaign: int, org: int | None = None, listing: Listing = Listing.CURRENT) -> Any:
    """One row per identified organization of the campaign under `org` (default: the caller's unit), in tree order."""
    chosen_campaign, unit = _chosen(request, campaign, org)
    result = services.ledger_export_rows(actor=caller(request), campaign=chosen_campaign, under=unit, listing=listing)
    return {
        "campaign": chosen_campaign,
        "unit": unit,
        "listing": result.listing,
        "phones_unmasked": result.phones_unmasked,
        "rows": result.rows,
    }


@router.get(
    "/ledger.xlsx",
    response={200: None, **READ_ERRORS},
    summary="下载台账（.xlsx，A4 横向打印）",
    openapi_extra={"responses": {200: {"description": "Excel 文件", "content": {XLSX_TYPE: {}}}}},
)
def ledger_xlsx(request: HttpRequest, campaign: int, org: int | None = None, listing: Listing = Listing.CURRENT) -> Any:
    chosen_campaign, unit = _chosen(request, campaign, org)
    export = services.ledger_export(actor=caller(request), campaign=chosen_campaign, under=unit, listing=listing)
    return FileResponse(io.BytesIO(export.data), as_attachment=True, filename=export.file_name)
