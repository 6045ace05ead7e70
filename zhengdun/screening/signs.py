"""Warning signs (预警信号) computed from data the system already holds.

They are suggestions with reasons, never a listing. Each threshold is a
campaign setting; an empty setting turns its sign off. One pass costs a fixed
handful of queries whatever the size of the subtree (a province has 30,000
organizations): every query filters by path prefix and the rest is grouping
in Python over rows already fetched.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.core.scoping import subtree_q
from zhengdun.organizations.choices import Level, PostRole
from zhengdun.organizations.models import AnnualFigures, EconomyRecord, Organization, Post

GRASSROOTS_LEVELS = (Level.VILLAGE, Level.OTHER)


@dataclass(frozen=True)
class Sign:
    code: str
    label: str
    detail: str


def grassroots(under: Organization) -> QuerySet[Organization]:
    """The organizations a screening looks at: villages, communities and other grassroots units."""
    return Organization.objects.filter(subtree_q(under.path), level__in=GRASSROOTS_LEVELS)


def compute_signs(campaign: Campaign, under: Organization, *, today: datetime.date | None = None) -> dict[int, list[Sign]]:
    today = today or timezone.localdate()
    orgs = grassroots(under)
    ids = set(orgs.values_list("id", flat=True))
    signs: dict[int, list[Sign]] = defaultdict(list)
    prefix = subtree_q(under.path, "organization__path")
    _secretary(campaign, prefix, ids, today, signs)
    _members_stars_petitions(campaign, prefix, today, signs)
    _income(campaign, prefix, signs)
    _satisfaction(campaign, prefix, signs)
    return {org_id: signs.get(org_id, []) for org_id in ids}


def _secretary(campaign: Campaign, prefix: Q, ids: set[int], today: datetime.date, signs: dict[int, list[Sign]]) -> None:
    limit = campaign.warn_secretary_vacant_days
    if limit is None:
        return
    secretary = Post.objects.filter(prefix, role=PostRole.SECRETARY)
    filled = set(secretary.active(today).values_list("organization_id", flat=True))
    last_ended = dict(
        secretary.filter(ended_on__lt=today)
        .values("organization_id")
        .annotate(last=Max("ended_on"))
        .values_list("organization_id", "last")
    )
    for org_id in ids - filled:
        since = last_ended.get(org_id)
        days = (today - since).days if since else None
        if days is not None and days <= limit:
            continue
        detail = f"书记岗位自 {since:%Y-%m-%d} 起空缺 {days} 天" if since else "书记岗位空缺，无在任书记记录"
        signs[org_id].append(Sign("secretary_vacant", "书记空缺", detail))


def _members_stars_petitions(campaign: Campaign, prefix: Q, today: datetime.date, signs: dict[int, list[Sign]]) -> None:
    years_needed = campaign.warn_no_new_member_years
    window = range(today.year - years_needed, today.year) if years_needed else range(0)
    rows = AnnualFigures.objects.filter(prefix).values_list("organization_id", "year", "new_members", "star_rating", "petitions")
    by_org: dict[int, list[tuple[int, int | None, int | None, int | None]]] = defaultdict(list)
    for org_id, year, new_members, star_rating, petition_count in rows:
        by_org[org_id].append((year, new_members, star_rating, petition_count))
    for org_id, figures in by_org.items():
        figures.sort(reverse=True)
        if window:
            recorded = {year: n for year, n, _, _ in figures if year in window and n is not None}
            if len(recorded) == len(window) and sum(recorded.values()) == 0:
                signs[org_id].append(
                    Sign("no_new_members", "长期未发展党员", f"{window[0]}—{window[-1]} 年连续 {len(window)} 年未发展党员")
                )
        star = next(((year, s) for year, _, s, _ in figures if s is not None), None)
        if campaign.warn_min_star is not None and star and star[1] < campaign.warn_min_star:
            signs[org_id].append(
                Sign("low_star", "星级评定偏低", f"{star[0]} 年星级评定为 {star[1]} 星，低于 {campaign.warn_min_star} 星")
            )
        petitions = next(((year, p) for year, _, _, p in figures if p is not None), None)
        if campaign.warn_petitions is not None and petitions and petitions[1] > campaign.warn_petitions:
            signs[org_id].append(
                Sign("petitions", "信访矛盾集中", f"{petitions[0]} 年信访 {petitions[1]} 件，超过 {campaign.warn_petitions} 件")
            )


def _income(campaign: Campaign, prefix: Q, signs: dict[int, list[Sign]]) -> None:
    floor = campaign.warn_income_floor_wan
    if floor is None and not campaign.warn_income_falling:
        return
    by_org: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for org_id, year, income in EconomyRecord.objects.filter(prefix).values_list("organization_id", "year", "income_wan"):
        by_org[org_id].append((year, Decimal(income)))
    for org_id, rows in by_org.items():
        rows.sort(reverse=True)
        latest_year, latest = rows[0]
        if floor is not None and latest < floor:
            signs[org_id].append(
                Sign("low_income", "集体经济薄弱", f"{latest_year} 年集体经济收入 {latest:.2f} 万元，低于 {floor:.2f} 万元")
            )
        last3 = rows[:3]
        consecutive = len(last3) == 3 and last3[0][0] - last3[2][0] == 2
        if campaign.warn_income_falling and consecutive and last3[0][1] < last3[1][1] < last3[2][1]:
            trend = " → ".join(f"{y} 年 {v:.2f}" for y, v in reversed(last3))
            signs[org_id].append(Sign("income_falling", "集体经济收入连续下降", f"{trend} 万元"))


def _satisfaction(campaign: Campaign, prefix: Q, signs: dict[int, list[Sign]]) -> None:
    rows = (
        Case.objects.filter(prefix, last_satisfaction__isnull=False)
        .order_by("organization_id", "-updated_at")
        .values_list("organization_id", "last_satisfaction")
    )
    seen: set[int] = set()
    for org_id, rate in rows:
        if org_id in seen or rate is None:  # None is filtered out above; this tells the type checker
            continue
        seen.add(org_id)
        if rate < campaign.satisfaction_threshold:
            signs[org_id].append(
                Sign(
                    "low_satisfaction",
                    "群众满意度低",
                    f"最近一次群众满意度 {rate * 100:.1f}%，低于 {campaign.satisfaction_threshold * 100:.0f}%",
                )
            )
