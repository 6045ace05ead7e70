"""The first draft of a plan from what the system already knows about the
organization: its figures, its posts and its screening findings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhengdun.cases.models import Case
from zhengdun.organizations.choices import Domain, PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Post
from zhengdun.screening.models import Finding

# Written where a figure is unknown, so the drafter sees what to fill in.
UNKNOWN = "（待填）"
TO_BE_NAMED = "（待明确）"
PARTY_SUFFIXES = ("联合党支部", "党总支", "党支部", "党工委", "党委")


@dataclass(frozen=True)
class Facts:
    households: int | None
    population: int | None
    member_count: int | None
    income_year: int | None
    income_wan: Decimal | None
    text: str


def place_name(org: Organization) -> str:
    """ "东关村党支部" → "东关村": the plan speaks of the village, not the branch."""
    for suffix in PARTY_SUFFIXES:
        if org.name.endswith(suffix) and len(org.name) > len(suffix):
            return org.name[: -len(suffix)]
    return org.name


def _figure(value: int | Decimal | None) -> str:
    if value is None:
        return UNKNOWN
    if isinstance(value, Decimal):
        # 4.90 → "4.9", 12.00 → "12": as a person would write it.
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def basic_facts(org: Organization) -> Facts:
    latest = EconomyRecord.objects.filter(organization=org).order_by("-year").first()
    collective = "村集体经济收入" if org.domain == Domain.RURAL else "集体经济收入"
    income = f"{latest.year} 年{collective} {_figure(latest.income_wan)} 万元" if latest else f"上年度{collective} {UNKNOWN} 万元"
    text = (
        f"{place_name(org)}现有居民 {_figure(org.households)} 户，{_figure(org.population)} 人，"
        f"其中党员 {_figure(org.member_count)} 人，{income}。"
    )
    return Facts(
        households=org.households,
        population=org.population,
        member_count=org.member_count,
        income_year=latest.year if latest else None,
        income_wan=latest.income_wan if latest else None,
        text=text,
    )


def title_for(org: Organization) -> str:
    return f"关于{org.name}整顿提升工作的实施方案"


def _holders(org: Organization, role: str) -> str:
    names = list(
        Post.objects.active()
        .filter(organization=org, role=role)
        .order_by("started_on", "id")
        .values_list("person__name", flat=True)
    )
    return "、".join(dict.fromkeys(names)) or TO_BE_NAMED


def leading_group(org: Organization) -> str:
    """组长 the contact leader, 副组长 the branch secretary (DOMAIN: one plan per organization)."""
    leader = _holders(org, PostRole.CONTACT_LEADER)
    secretary = _holders(org, PostRole.SECRETARY)
    return f"组长：{leader}（联系领导）；副组长：{secretary}（党组织书记）"


def findings_of(case: Case) -> list[Finding]:
    if case.screening_record_id is None:
        return []
    return list(
        Finding.objects.filter(record_id=case.screening_record_id)
        .select_related("criterion")
        .order_by("criterion__order", "criterion_id")
    )


def problems_text(findings: list[Finding]) -> str:
    """One numbered paragraph per finding: the fact, then the criterion it meets."""
    return "\n".join(
        f"{i}. {f.evidence.strip()}（对应认定标准 {f.criterion.code}：{f.criterion.item.strip()}）"
        for i, f in enumerate(findings, start=1)
    )
