from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, record_change, snapshot
from zhengdun.campaigns.models import Campaign, Criterion, Stage
from zhengdun.campaigns.rulebooks import RULEBOOKS, Day
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations.models import Organization

ERR_UNKNOWN_TEMPLATE = "未知的整顿工作模板"
ERR_YEARS = "结束年度不能早于起始年度"
ERR_THRESHOLD = "满意度合格线应在 0 到 1 之间（如 0.7 表示 70%）"
ERR_QUOTA = "整顿比例应在 0 到 1 之间（如 0.05 表示 5%），不设比例请留空"

EDITABLE = (
    "name",
    "start_year",
    "end_year",
    "reporting_period",
    "quota_share",
    "satisfaction_threshold",
    "cycle_years",
    "target",
    "status",
)


def _day(start_year: int, day: Day) -> datetime.date:
    offset, month, dom = day
    return datetime.date(start_year + offset, month, dom)


def _check_rules(campaign: Campaign) -> None:
    if campaign.end_year < campaign.start_year:
        raise ServiceError(ERR_YEARS)
    if not Decimal("0") <= campaign.satisfaction_threshold <= Decimal("1"):
        raise ServiceError(ERR_THRESHOLD)
    if campaign.quota_share is not None and not Decimal("0") <= campaign.quota_share <= Decimal("1"):
        raise ServiceError(ERR_QUOTA)


@transaction.atomic
def campaign_create_from_template(
    *, template_key: str, scope: Organization, start_year: int, actor: Any, name: str = ""
) -> Campaign:
    """A new campaign with the rules, stage dates and criteria of a ready template."""
    ensure_org_in_scope(actor, scope)
    if not actor.has_perm("campaigns.add_campaign"):
        raise NotPermitted("您没有创建整顿工作的权限")
    book = RULEBOOKS.get(template_key)
    if book is None:
        raise ServiceError(ERR_UNKNOWN_TEMPLATE)
    campaign = Campaign(
        name=name.strip() or f"{scope.name}{start_year}年{book.title}",
        scope=scope,
        template_key=book.key,
        start_year=start_year,
        end_year=start_year + book.years - 1,
        reporting_period=book.reporting_period,
        quota_share=book.quota_share,
        satisfaction_threshold=book.satisfaction_threshold,
        cycle_years=book.cycle_years,
        target=book.target,
    )
    _check_rules(campaign)
    campaign.save()
    Stage.objects.bulk_create(
        Stage(campaign=campaign, order=i, name=s.name, starts_on=_day(start_year, s.starts), ends_on=_day(start_year, s.ends))
        for i, s in enumerate(book.stages, start=1)
    )
    codes: dict[str, int] = {}
    criteria = []
    for order, (category, item, lead, coop) in enumerate(book.criteria, start=1):
        cat_no = codes.setdefault(category, len(codes) + 1)
        criteria.append(
            Criterion(
                campaign=campaign,
                code=f"{cat_no}.{sum(1 for c in criteria if c.category == category) + 1}",
                category=category,
                item=item,
                lead_office=lead,
                cooperating_offices=coop,
                order=order,
            )
        )
    Criterion.objects.bulk_create(criteria)
    record(Action.CREATE, campaign, actor=actor, after=snapshot(campaign), note=f"由模板“{book.title}”创建")
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: Any, **fields: Any) -> Campaign:
    ensure_org_in_scope(actor, campaign.scope)
    if not actor.has_perm("campaigns.change_campaign"):
        raise NotPermitted("您没有修改整顿工作的权限")
    before = snapshot(campaign)
    for key in EDITABLE:
        if key in fields:
            setattr(campaign, key, fields[key])
    _check_rules(campaign)
    campaign.save()
    record_change(campaign, before, actor=actor)
    return campaign
