"""Honest lists: is the list of weak organizations what the facts say?

Seeds 001 and 004 warn against filling a quota with good or average
organizations (以好充次, 以中充次), against splitting a quota evenly between
townships, and against leaving a weak organization off the list (应定尽定).
This module compares the list with the computed warning signs and says where
they disagree. It only warns; nothing is changed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from zhengdun.campaigns.models import Campaign
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.core.scoping import subtree_q
from zhengdun.organizations.models import Organization
from zhengdun.screening.signs import GRASSROOTS_LEVELS, compute_signs, grassroots

# A case counts as "on the list" from proposal on, until it is removed.
ON_LIST = (
    CaseState.PROPOSED,
    CaseState.IDENTIFIED,
    CaseState.PLAN_APPROVED,
    CaseState.RECTIFYING,
    CaseState.ACCEPTANCE_REQUESTED,
    CaseState.RE_RECTIFYING,
    CaseState.REMOVAL_REQUESTED,
    CaseState.RELISTED,
)
# "Clearly fewer" signs: an unlisted neighbour has at least this many more.
CLEAR_GAP = 2
EVEN_SPLIT_MIN_UNITS = 3

MSG_EVEN_SPLIT = "各{unit}拟定数量均恰为其组织数的 {share}，疑似按比例平均分配名额，请核实是否“应定尽定”"
MSG_GOOD_FOR_BAD = "“{listed}”（预警信号 {n} 项）已列入，而同一{unit}的“{unlisted}”（{m} 项）未列入，请核实是否“以好充次”"
MSG_LEFT_OFF = "“{org}”有 {n} 项预警信号（{labels}）但未列入，请核实是否应列入整顿"
MSG_OVER_QUOTA = "列入比例 {share:.1f}% 明显高于参考比例 {quota:.1f}%"
MSG_UNDER_QUOTA = "列入比例 {share:.1f}% 明显低于参考比例 {quota:.1f}%"


@dataclass
class UnitRow:
    unit: Organization
    total: int = 0
    listed: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def share(self) -> Decimal:
        return Decimal(self.listed * 100) / self.total if self.total else Decimal(0)


@dataclass
class HonestyReport:
    campaign: Campaign
    under: Organization
    rows: list[UnitRow]
    warnings: list[str]
    total: int
    listed: int

    @property
    def share(self) -> Decimal:
        return Decimal(self.listed * 100) / self.total if self.total else Decimal(0)


def honesty_report(campaign: Campaign, under: Organization) -> HonestyReport:
    """Shares and warnings for each unit directly under `under` (e.g. townships of a county)."""
    signs = compute_signs(campaign, under)
    orgs = list(grassroots(under).values_list("id", "name", "path"))
    units = {u.path: u for u in Organization.objects.filter(parent=under).exclude(level__in=GRASSROOTS_LEVELS).order_by("path")}
    if not units:
        # A township looks at its own villages: it is the one unit.
        units = {under.path: under}
    listed_ids = set(
        Case.objects.filter(subtree_q(under.path, "organization__path"), campaign=campaign, state__in=ON_LIST).values_list(
            "organization_id", flat=True
        )
    )
    step = len(next(iter(units)))
    by_unit: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for org_id, name, path in orgs:
        by_unit[path[:step]].append((org_id, name))
    rows: list[UnitRow] = []
    warnings: list[str] = []
    unit_word = "乡镇（街道）"
    for path, unit in units.items():
        members = by_unit.get(path, [])
        row = UnitRow(unit=unit, total=len(members), listed=sum(1 for org_id, _ in members if org_id in listed_ids))
        row.warnings.extend(_good_for_bad(members, listed_ids, signs, unit_word))
        row.warnings.extend(_left_off(members, listed_ids, signs, campaign.warn_unlisted_signs))
        rows.append(row)
    total = len(orgs)
    listed = len(listed_ids & {o[0] for o in orgs})
    report = HonestyReport(campaign=campaign, under=under, rows=rows, warnings=warnings, total=total, listed=listed)
    if campaign.quota_share is not None and total:
        warnings.extend(_quota(report, campaign.quota_share, unit_word))
    return report


def _good_for_bad(members: list[tuple[int, str]], listed_ids: set[int], signs: dict, unit_word: str) -> list[str]:
    listed = [(len(signs.get(i, [])), name) for i, name in members if i in listed_ids]
    unlisted = [(len(signs.get(i, [])), name) for i, name in members if i not in listed_ids]
    if not listed or not unlisted:
        return []
    worst_unlisted = max(unlisted)
    return [
        MSG_GOOD_FOR_BAD.format(listed=name, n=n, unit=unit_word, unlisted=worst_unlisted[1], m=worst_unlisted[0])
        for n, name in sorted(listed)
        if worst_unlisted[0] - n >= CLEAR_GAP
    ]


def _left_off(members: list[tuple[int, str]], listed_ids: set[int], signs: dict, threshold: int) -> list[str]:
    out = []
    for org_id, name in members:
        found = signs.get(org_id, [])
        if org_id not in listed_ids and len(found) >= threshold:
            out.append(MSG_LEFT_OFF.format(org=name, n=len(found), labels="、".join(s.label for s in found)))
    return out


def _quota(report: HonestyReport, quota: Decimal, unit_word: str) -> list[str]:
    out = []
    quota_pct = quota * 100
    if report.share > quota_pct * Decimal("1.5"):
        out.append(MSG_OVER_QUOTA.format(share=report.share, quota=quota_pct))
    elif report.share < quota_pct * Decimal("0.5"):
        out.append(MSG_UNDER_QUOTA.format(share=report.share, quota=quota_pct))
    units = [r for r in report.rows if r.total]
    if len(units) >= EVEN_SPLIT_MIN_UNITS and all(r.listed > 0 for r in units):
        # Evenly split: every unit listed exactly its own share, rounded either way.
        even = all(r.listed in {math.floor(r.total * quota), math.ceil(r.total * quota), round(r.total * quota)} for r in units)
        if even:
            out.append(MSG_EVEN_SPLIT.format(unit=unit_word, share=f"{quota_pct:.0f}%"))
    return out
