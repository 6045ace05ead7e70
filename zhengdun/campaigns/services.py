"""Writes of campaigns: creation from a template, their rules, stage dates and
criteria catalog, and their status (through campaigns/transitions.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, record_change, snapshot
from zhengdun.campaigns.models import Campaign, CampaignStatus, Criterion, ReportingPeriod, Stage
from zhengdun.campaigns.rulebooks import RULEBOOKS, Day
from zhengdun.campaigns.transitions import CAMPAIGN_WORKFLOW
from zhengdun.core.actors import Actor
from zhengdun.core.errors import ConflictError, NeedsConfirmation, NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations.models import Organization

ERR_UNKNOWN_TEMPLATE = "未知的整顿工作模板"
ERR_YEARS = "结束年度不能早于起始年度"
ERR_THRESHOLD = "满意度合格线应在 0 到 1 之间（如 0.7 表示 70%）"
ERR_QUOTA = "整顿比例应在 0 到 1 之间（如 0.05 表示 5%），不设比例请留空"
ERR_PERIOD = "请选择进展报送周期（每半月、每月、每两个月、每季度、每半年或每年）"
ERR_CYCLE = "整顿周期至少为 1 年"
ERR_SIMILARITY = "方案雷同提示阈值应在 0 到 1 之间（如 0.8 表示 80%）"
ERR_NO_CREATE_PERMISSION = "您没有创建整顿工作的权限"
ERR_NO_CHANGE_PERMISSION = "您没有修改整顿工作的权限"
ERR_DUPLICATE = "{scope}已有{year}年按同一模板创建的整顿工作“{name}”，确认要再创建一个吗？"
ERR_NEGATIVE = "预警阈值不能为负数"
ERR_AT_LEAST_ONE = "预警信号项数和方案公示天数至少为 1"
ERR_STALE = "该整顿工作已被他人修改，您的内容未保存，请刷新后重试"
ERR_STAGE_FOREIGN = "所填工作阶段不属于本次整顿工作"
ERR_STAGE_NAME = "请填写工作阶段的名称"
ERR_STAGE_DATES = "工作阶段“{name}”的截止日期不能早于开始日期"
ERR_CRITERIA_EMPTY = "认定标准至少保留一项"
ERR_CRITERION_FOREIGN = "所改认定标准不属于本次整顿工作"
ERR_CRITERION_BLANK = "认定标准的编号、类别和具体情形都要填写"
ERR_CRITERION_CODE_TWICE = "认定标准编号“{code}”重复"
ERR_CRITERION_IN_USE = "认定标准 {codes} 已被排查记录引用，不能删除"
ERR_CRITERION_USED_CHANGED = "认定标准 {codes} 已被排查记录引用，不能修改其编号和具体情形（类别、牵头科室和配合科室仍可修改）"

# What a county may change after creating a campaign, in two groups with a
# service each: its rules, and the thresholds of its warnings and prompts. The
# forms and the API's patch schema are derived from these lists; a test holds
# the services' keyword arguments to them.
RULE_FIELDS: tuple[str, ...] = (
    "name",
    "start_year",
    "end_year",
    "reporting_period",
    "quota_share",
    "satisfaction_threshold",
    "cycle_years",
    "target",
)
THRESHOLD_FIELDS: tuple[str, ...] = (
    "warn_secretary_vacant_days",
    "warn_no_new_member_years",
    "warn_no_meeting_months",
    "warn_min_star",
    "warn_income_floor_wan",
    "warn_income_falling",
    "warn_petitions",
    "warn_unlisted_signs",
    "key_requires_contact_leader",
    "plan_similarity_threshold",
    "plan_notice_days",
)

# Apps above campaigns that record against criteria (screening's findings)
# register here which criteria of a campaign they use, so the catalog never
# loses or rewrites an item a recorded screening stands on.
CriteriaInUse = Callable[[Campaign], set[int]]
_criteria_in_use: list[CriteriaInUse] = []


def register_criteria_in_use(fn: CriteriaInUse) -> CriteriaInUse:
    if fn not in _criteria_in_use:
        _criteria_in_use.append(fn)
    return fn


def criteria_in_use(campaign: Campaign) -> set[int]:
    used: set[int] = set()
    for fn in _criteria_in_use:
        used |= fn(campaign)
    return used


def _day(start_year: int, day: Day) -> datetime.date:
    offset, month, dom = day
    return datetime.date(start_year + offset, month, dom)


def _check_rules(campaign: Campaign) -> None:
    if campaign.end_year < campaign.start_year:
        raise ServiceError(ERR_YEARS)
    if campaign.reporting_period not in ReportingPeriod.values:
        raise ServiceError(ERR_PERIOD)
    if campaign.cycle_years < 1:
        raise ServiceError(ERR_CYCLE)
    if not Decimal("0") <= campaign.satisfaction_threshold <= Decimal("1"):
        raise ServiceError(ERR_THRESHOLD)
    if campaign.quota_share is not None and not Decimal("0") <= campaign.quota_share <= Decimal("1"):
        raise ServiceError(ERR_QUOTA)
    if not Decimal("0") <= campaign.plan_similarity_threshold <= Decimal("1"):
        raise ServiceError(ERR_SIMILARITY)


def _may_change(actor: Actor, campaign: Campaign) -> None:
    ensure_org_in_scope(actor, campaign.scope)
    if not actor.has_perm("campaigns.change_campaign"):
        raise NotPermitted(ERR_NO_CHANGE_PERMISSION)


def duplicate_of(*, template_key: str, scope: Organization, start_year: int) -> Campaign | None:
    """A campaign already made from the same template, for the same scope and year."""
    return Campaign.objects.filter(template_key=template_key, scope=scope, start_year=start_year).order_by("-id").first()


@transaction.atomic
def campaign_create_from_template(
    *,
    template_key: str,
    scope: Organization,
    start_year: int,
    actor: Actor,
    name: str = "",
    draft: bool = False,
    confirm_duplicate: bool = False,
) -> Campaign:
    """A new campaign with the rules, stage dates and criteria of a ready template.

    It starts active, as a campaign was before drafts existed, unless `draft`:
    then the county adjusts its rules and activates it later. A second campaign
    of the same template, scope and year is usually a mistake: it is made only
    when `confirm_duplicate` says so.
    """
    ensure_org_in_scope(actor, scope)
    if not actor.has_perm("campaigns.add_campaign"):
        raise NotPermitted(ERR_NO_CREATE_PERMISSION)
    book = RULEBOOKS.get(template_key)
    if book is None:
        raise ServiceError(ERR_UNKNOWN_TEMPLATE)
    twin = duplicate_of(template_key=book.key, scope=scope, start_year=start_year)
    if twin is not None and not confirm_duplicate:
        raise NeedsConfirmation(ERR_DUPLICATE.format(scope=scope.name, year=start_year, name=twin.name))
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
        status=CampaignStatus.DRAFT if draft else CampaignStatus.ACTIVE,
    )
    _check_rules(campaign)
    campaign.save()
    Stage.objects.bulk_create(
        Stage(campaign=campaign, order=i, name=s.name, starts_on=_day(start_year, s.starts), ends_on=_day(start_year, s.ends))
        for i, s in enumerate(book.stages, start=1)
    )
    codes: dict[str, int] = {}
    criteria: list[Criterion] = []
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
    CAMPAIGN_WORKFLOW.record_creation(campaign, actor=actor, note=f"由模板“{book.title}”创建")
    record(Action.CREATE, campaign, actor=actor, after=snapshot(campaign), note=f"由模板“{book.title}”创建")
    return campaign


def _bump(campaign: Campaign, expected_version: int | None, values: dict[str, Any]) -> None:
    """Write `values` and a new version only if nobody changed the campaign since the actor saw it."""
    seen = campaign.version if expected_version is None else expected_version
    changed = Campaign.objects.filter(pk=campaign.pk, version=seen).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if changed != 1:
        raise ConflictError(ERR_STALE)
    campaign.refresh_from_db()


def _apply(campaign: Campaign, actor: Actor, expected_version: int | None, values: dict[str, Any], note: str) -> Campaign:
    # As stored: an object fresh from a template still holds "0.70" where the row holds "0.700".
    before = snapshot(Campaign.objects.get(pk=campaign.pk))
    candidate = Campaign(**{**{f.name: getattr(campaign, f.name) for f in Campaign._meta.concrete_fields}, **values})
    _check_rules(candidate)
    _bump(campaign, expected_version, values)
    record_change(campaign, before, actor=actor, note=note)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    actor: Actor,
    expected_version: int | None = None,
    name: str,
    start_year: int,
    end_year: int,
    reporting_period: str,
    quota_share: Decimal | None,
    satisfaction_threshold: Decimal,
    cycle_years: int,
    target: str,
) -> Campaign:
    """Change a campaign's rules (RULE_FIELDS); its status moves only through campaign_transition."""
    _may_change(actor, campaign)
    values: dict[str, Any] = {
        "name": name.strip() or campaign.name,
        "start_year": start_year,
        "end_year": end_year,
        "reporting_period": reporting_period,
        "quota_share": quota_share,
        "satisfaction_threshold": satisfaction_threshold,
        "cycle_years": cycle_years,
        "target": target.strip(),
    }
    return _apply(campaign, actor, expected_version, values, "修改整顿工作规则")


@transaction.atomic
def campaign_set_thresholds(
    *,
    campaign: Campaign,
    actor: Actor,
    expected_version: int | None = None,
    warn_secretary_vacant_days: int | None,
    warn_no_new_member_years: int | None,
    warn_no_meeting_months: int | None,
    warn_min_star: int | None,
    warn_income_floor_wan: Decimal | None,
    warn_income_falling: bool,
    warn_petitions: int | None,
    warn_unlisted_signs: int,
    key_requires_contact_leader: bool,
    plan_similarity_threshold: Decimal,
    plan_notice_days: int,
) -> Campaign:
    """Change the thresholds of the warning signs and prompts (THRESHOLD_FIELDS)."""
    _may_change(actor, campaign)
    counts = (warn_secretary_vacant_days, warn_no_new_member_years, warn_no_meeting_months, warn_min_star, warn_petitions)
    if any(n is not None and n < 0 for n in counts) or (warn_income_floor_wan is not None and warn_income_floor_wan < 0):
        raise ServiceError(ERR_NEGATIVE)
    if warn_unlisted_signs < 1 or plan_notice_days < 1:
        raise ServiceError(ERR_AT_LEAST_ONE)
    values: dict[str, Any] = {
        "warn_secretary_vacant_days": warn_secretary_vacant_days,
        "warn_no_new_member_years": warn_no_new_member_years,
        "warn_no_meeting_months": warn_no_meeting_months,
        "warn_min_star": warn_min_star,
        "warn_income_floor_wan": warn_income_floor_wan,
        "warn_income_falling": warn_income_falling,
        "warn_petitions": warn_petitions,
        "warn_unlisted_signs": warn_unlisted_signs,
        "key_requires_contact_leader": key_requires_contact_leader,
        "plan_similarity_threshold": plan_similarity_threshold,
        "plan_notice_days": plan_notice_days,
    }
    return _apply(campaign, actor, expected_version, values, "修改预警与提示阈值")


@dataclass(frozen=True)
class StageDates:
    """One stage of a campaign as edited: its name and dates."""

    id: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


def _stage_rows(campaign: Campaign) -> list[dict[str, Any]]:
    return [
        {"name": s.name, "starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat()}
        for s in campaign.stages.order_by("order")
    ]


@transaction.atomic
def campaign_set_stages(
    *, campaign: Campaign, actor: Actor, stages: Sequence[StageDates], expected_version: int | None = None
) -> Campaign:
    """Rename or re-date the campaign's stages; the stages themselves come from its template."""
    _may_change(actor, campaign)
    existing = {s.pk: s for s in campaign.stages.all()}
    if any(s.id not in existing for s in stages):
        raise ServiceError(ERR_STAGE_FOREIGN)
    for s in stages:
        if not s.name.strip():
            raise ServiceError(ERR_STAGE_NAME)
        if s.ends_on < s.starts_on:
            raise ServiceError(ERR_STAGE_DATES.format(name=s.name.strip()))
    before = _stage_rows(campaign)
    changed = []
    for s in stages:
        row = existing[s.id]
        row.name, row.starts_on, row.ends_on = s.name.strip(), s.starts_on, s.ends_on
        changed.append(row)
    _bump(campaign, expected_version, {})
    Stage.objects.bulk_update(changed, ["name", "starts_on", "ends_on"])
    after = _stage_rows(campaign)
    if after != before:
        record(Action.UPDATE, campaign, actor=actor, before={"stages": before}, after={"stages": after}, note="修改工作阶段")
    return campaign


@dataclass(frozen=True)
class CriterionSpec:
    """One item of the catalog as edited; `id` None is a new item."""

    id: int | None
    code: str
    category: str
    item: str
    lead_office: str = ""
    cooperating_offices: str = ""


CRITERION_FIELDS = ("code", "category", "item", "lead_office", "cooperating_offices")


def _criterion_rows(campaign: Campaign) -> list[dict[str, str]]:
    return [{f: getattr(c, f) for f in CRITERION_FIELDS} for c in campaign.criteria.order_by("order", "id")]


def _check_catalog(campaign: Campaign, specs: Sequence[CriterionSpec], existing: dict[int, Criterion]) -> None:
    if not specs:
        raise ServiceError(ERR_CRITERIA_EMPTY)
    if any(s.id is not None and s.id not in existing for s in specs):
        raise ServiceError(ERR_CRITERION_FOREIGN)
    if any(not (s.code.strip() and s.category.strip() and s.item.strip()) for s in specs):
        raise ServiceError(ERR_CRITERION_BLANK)
    seen: set[str] = set()
    for s in specs:
        if s.code.strip() in seen:
            raise ServiceError(ERR_CRITERION_CODE_TWICE.format(code=s.code.strip()))
        seen.add(s.code.strip())
    used = criteria_in_use(campaign)
    kept = {s.id for s in specs if s.id is not None}
    removed = sorted(existing[pk].code for pk in used if pk in existing and pk not in kept)
    if removed:
        raise ServiceError(ERR_CRITERION_IN_USE.format(codes="、".join(removed)), errors=removed)
    rewritten = sorted(
        existing[s.id].code
        for s in specs
        if s.id in used and (existing[s.id].code != s.code.strip() or existing[s.id].item != s.item.strip())
    )
    if rewritten:
        raise ServiceError(ERR_CRITERION_USED_CHANGED.format(codes="、".join(rewritten)), errors=rewritten)


@transaction.atomic
def campaign_set_criteria(
    *, campaign: Campaign, actor: Actor, criteria: Sequence[CriterionSpec], expected_version: int | None = None
) -> Campaign:
    """Replace the catalog with `criteria`, in that order: items left out are removed,
    items without an id are added. Items recorded screenings use keep their code and wording."""
    _may_change(actor, campaign)
    existing = {c.pk: c for c in campaign.criteria.all()}
    _check_catalog(campaign, criteria, existing)
    before = _criterion_rows(campaign)
    _bump(campaign, expected_version, {})
    kept = {s.id for s in criteria if s.id is not None}
    Criterion.objects.filter(campaign=campaign).exclude(pk__in=kept).delete()
    # Codes are unique per campaign: park the kept rows on temporary codes so that
    # swapping two codes never meets the constraint halfway.
    Criterion.objects.filter(pk__in=kept).update(code=Concat(Value("~"), Cast("pk", CharField())))
    updated, added = [], []
    for order, s in enumerate(criteria, start=1):
        fields = {
            "code": s.code.strip(),
            "category": s.category.strip(),
            "item": s.item.strip(),
            "lead_office": s.lead_office.strip(),
            "cooperating_offices": s.cooperating_offices.strip(),
            "order": order,
        }
        if s.id is None:
            added.append(Criterion(campaign=campaign, **fields))
        else:
            row = existing[s.id]
            for key, value in fields.items():
                setattr(row, key, value)
            updated.append(row)
    Criterion.objects.bulk_update(updated, ["code", "category", "item", "lead_office", "cooperating_offices", "order"])
    Criterion.objects.bulk_create(added)
    after = _criterion_rows(campaign)
    if after != before:
        record(Action.UPDATE, campaign, actor=actor, before={"criteria": before}, after={"criteria": after}, note="修改认定标准")
    return campaign


def campaign_transition(
    *, campaign: Campaign, action: str, actor: Actor, note: str = "", expected_version: int | None = None
) -> Campaign:
    """Activate, close or reopen a campaign along campaigns/transitions.py."""
    ensure_org_in_scope(actor, campaign.scope)
    return CAMPAIGN_WORKFLOW.run(
        campaign, action=action, actor=actor, scope_path=campaign.scope.path, note=note, expected_version=expected_version
    )
