"""Seed 003's 四必审: the plan, the first secretary and work team list, the
project funds and the annual summary must each be reviewed, every year."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, snapshot
from zhengdun.cases.models import Case
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.plans.models import FourReview, FourReviewItem, Plan

ERR_PERMISSION = "您没有登记“四必审”的权限"
ERR_ITEM = "请选择审核事项"
ERR_YEAR = "年度须在本次整顿工作期间（{start}—{end} 年）"
ERR_DATE_FUTURE = "审核日期不能晚于今天"
ERR_DONE = "“{item}”{year} 年度已登记审核，不能重复登记"
ERR_PLAN_NOT_APPROVED = "整顿方案尚未经县级批准，不能登记“整顿工作方案”已审"


def four_review_record(
    *,
    case: Case,
    item: str,
    year: int,
    actor: Any,
    note: str = "",
    reviewed_on: datetime.date | None = None,
) -> FourReview:
    """Record that one of the four items was reviewed for the case in a year."""
    ensure_org_in_scope(actor, case.organization)
    if not actor.has_perm("plans.check_four_reviews"):
        raise NotPermitted(ERR_PERMISSION)
    if item not in FourReviewItem.values:
        raise ServiceError(ERR_ITEM)
    campaign = case.campaign
    if not isinstance(year, int) or not campaign.start_year <= year <= campaign.end_year:
        raise ServiceError(ERR_YEAR.format(start=campaign.start_year, end=campaign.end_year))
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ServiceError(ERR_DATE_FUTURE)
    label = FourReviewItem(item).label
    # The plan item is the county-approved plan; an unapproved draft cannot have passed it.
    if item == FourReviewItem.PLAN and not Plan.objects.filter(case=case, approved_version__isnull=False).exists():
        raise ServiceError(ERR_PLAN_NOT_APPROVED)
    if FourReview.objects.filter(case=case, item=item, year=year).exists():
        raise ServiceError(ERR_DONE.format(item=label, year=year))
    try:
        with transaction.atomic():
            review = FourReview.objects.create(
                case=case, item=item, year=year, reviewed_by=actor, reviewed_on=reviewed_on, note=note.strip()
            )
            record(Action.CREATE, review, actor=actor, after=snapshot(review), note=f"四必审：{label}")
    except IntegrityError:
        raise ServiceError(ERR_DONE.format(item=label, year=year)) from None
    return review
