"""The demo county as plain data, drawn deterministically from a seed.

Nothing here touches the database: `make_plan` returns specs that the
builder writes. Keeping the two apart means the same seed always gives the
same county, whatever the database already holds.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from zhengdun.accounts.roles import Role
from zhengdun.cases.states import CaseState
from zhengdun.demo import names
from zhengdun.demo.texts import problems_for
from zhengdun.organizations.choices import Domain, Kind, Level, PostRole

DEFAULT_TOWNSHIPS = 14
DEFAULT_VILLAGES_PER_TOWNSHIP = 16
VACANCY_RATE = 0.05
SMALL_BRANCH_RATE = 0.1

S = CaseState
# (township index, target state, is the township's key village). Ordered so
# that a small run still gets a spread of states; slots on townships the run
# does not have are skipped. Slot 0 is branch1's village, slot 5 leader1's.
CASE_SLOTS: tuple[tuple[int, str, bool], ...] = (
    (0, S.RECTIFYING, True),
    (0, S.PROPOSED, False),
    (1, S.ACCEPTANCE_REQUESTED, True),
    (1, S.IDENTIFIED, False),
    (0, S.SCREENED, False),
    (2, S.RECTIFYING, True),
    (2, S.SCREENED, False),
    (3, S.DELISTED, True),
    (4, S.PLAN_APPROVED, True),
    (5, S.PROPOSED, False),
    (6, S.IDENTIFIED, False),
    (7, S.RECTIFYING, True),
)
WORK_TEAM_STATES = {S.RECTIFYING, S.ACCEPTANCE_REQUESTED, S.DELISTED}
FIRST_SECRETARY_STATES = WORK_TEAM_STATES | {S.IDENTIFIED, S.PLAN_APPROVED}
RESTAFFED_STATES = {S.ACCEPTANCE_REQUESTED, S.DELISTED}


class DemoError(Exception):
    """The demo cannot be built as asked; the message says why, in Chinese."""


@dataclass
class OrgSpec:
    code: str
    name: str
    level: str
    kind: str
    domain: str
    parent_code: str | None
    member_count: int | None = None
    households: int | None = None
    population: int | None = None
    income: dict[int, Decimal] = field(default_factory=dict)
    vacant_months: int | None = None  # secretary post empty for this long
    weakness: float = 0.0


@dataclass
class PersonSpec:
    key: str
    name: str
    phone: str
    org_code: str  # the organization that keeps the record
    unit: str = ""
    title: str = ""


@dataclass
class PostSpec:
    person_key: str
    org_code: str
    role: str
    started_on: datetime.date | None
    ended_on: datetime.date | None = None
    note: str = ""


@dataclass
class UserSpec:
    username: str
    role: str
    org_code: str
    person_key: str


@dataclass
class CaseSpec:
    org_code: str
    township: int
    state: str
    is_key: bool
    main_problems: str
    measures: str


@dataclass
class DemoPlan:
    seed: int
    today: datetime.date
    orgs: list[OrgSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    posts: list[PostSpec] = field(default_factory=list)
    users: list[UserSpec] = field(default_factory=list)
    cases: list[CaseSpec] = field(default_factory=list)

    @property
    def county_code(self) -> str:
        return names.COUNTY_CODE

    @property
    def year(self) -> int:
        return self.today.year

    def person(self, key: str) -> PersonSpec:
        return next(p for p in self.people if p.key == key)


class _Draw:
    """The seeded random source plus the name pools it has used up."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.village_names = self._village_pool()
        self.community_names = [f"{n}社区" for n in self.rng.sample(names.COMMUNITY_NAMES, len(names.COMMUNITY_NAMES))]

    def _village_pool(self) -> list[str]:
        pool = {c + s for c in names.VILLAGE_CLANS for s in names.VILLAGE_CLAN_SUFFIXES}
        pool |= {d + f for d in names.VILLAGE_DIRECTIONS for f in names.VILLAGE_FEATURES}
        pool |= {t + s for t in names.VILLAGE_THINGS for s in names.VILLAGE_THING_SUFFIXES}
        ordered = sorted(pool)  # sets do not iterate in a stable order across runs
        self.rng.shuffle(ordered)
        return [f"{n}村" for n in ordered]

    def village_name(self) -> str:
        return self.village_names.pop()

    def community_name(self) -> str:
        if not self.community_names:  # only very large runs get here
            self.community_names = [f"{self.village_names.pop()[:-1]}社区"]
        return self.community_names.pop()

    def person_name(self) -> str:
        return self.rng.choice(names.SURNAMES) + self.rng.choice(names.GIVEN_NAMES)

    def phone(self) -> str:
        return self.rng.choice(names.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange(max((end - start).days, 1)))


def _income(draw: _Draw, years: list[int]) -> dict[int, Decimal]:
    rng = draw.rng
    # Roughly: a sixth below the 5 万元 floor, a fifth falling year on year.
    base = rng.uniform(0.8, 4.9) if rng.random() < 0.17 else min(rng.lognormvariate(2.6, 0.7), 180.0)
    trend = rng.choice((0.72, 0.8, 0.88)) if rng.random() < 0.2 else rng.uniform(0.98, 1.25)
    values: dict[int, Decimal] = {}
    value = base
    for year in years:
        values[year] = Decimal(str(round(value, 2)))
        value *= trend * rng.uniform(0.95, 1.05)
    return values


def _village(draw: _Draw, code: str, parent: str, community: bool, years: list[int]) -> OrgSpec:
    rng = draw.rng
    if community:
        households = rng.randrange(1200, 5600)
        population = round(households * rng.uniform(2.6, 3.1))
        members = rng.randrange(30, 115)
        name = draw.community_name()
        income = _income(draw, years) if rng.random() < 0.5 else {}
    else:
        households = rng.randrange(140, 950)
        population = round(households * rng.uniform(3.1, 3.9))
        members = max(8, round(population * rng.uniform(0.015, 0.035)))
        if rng.random() < SMALL_BRANCH_RATE:
            members = rng.randrange(7, 15)
        name = draw.village_name()
        income = _income(draw, years)
    # 50+ members make a 党总支, 100+ a 党委 (the usual thresholds).
    kind, suffix = (Kind.BRANCH, "党支部")
    if members >= 100:
        kind, suffix = (Kind.COMMITTEE, "党委")
    elif members >= 50:
        kind, suffix = (Kind.GENERAL_BRANCH, "党总支")
    vacant = rng.randrange(3, 15) if rng.random() < VACANCY_RATE else None
    spec = OrgSpec(
        code=code,
        name=name + suffix,
        level=Level.VILLAGE,
        kind=kind,
        domain=Domain.COMMUNITY if community else Domain.RURAL,
        parent_code=parent,
        member_count=members,
        households=households,
        population=population,
        income=income,
        vacant_months=vacant,
    )
    spec.weakness = _weakness(spec) + rng.random()
    return spec


def _weakness(spec: OrgSpec) -> float:
    """How strongly the figures point at a weak organization (used to pick cases)."""
    score = 0.0
    if spec.vacant_months is not None:
        score += 3
    years = sorted(spec.income)
    if years and spec.income[years[-1]] < Decimal("5"):
        score += 2
    if len(years) >= 2 and spec.income[years[-1]] < spec.income[years[0]]:
        score += 1.5
    if (spec.member_count or 0) < 15:
        score += 1
    return score


def _village_count(rng: random.Random, per_township: int, subdistrict: bool) -> int:
    # Sub-districts have fewer, larger communities; towns a few more villages.
    if subdistrict:
        return max(2, round(per_township * 0.6) + rng.randint(-2, 2))
    return max(2, round(per_township * 1.15) + rng.randint(-3, 3))


def _build_tree(plan: DemoPlan, draw: _Draw, townships: int, per_township: int) -> list[list[OrgSpec]]:
    rng = draw.rng
    county = plan.county_code
    years = [plan.year - 3, plan.year - 2, plan.year - 1]
    plan.orgs.append(OrgSpec(county, names.COUNTY_NAME, Level.COUNTY, Kind.COMMITTEE, Domain.ORGAN, None))
    children: list[list[OrgSpec]] = []
    for t, (town_name, subdistrict) in enumerate(names.TOWNSHIPS[:townships]):
        code = f"{county}{t + 1:03d}"
        town = OrgSpec(
            code=code,
            name=f"{town_name}党工委" if subdistrict else f"{town_name}党委",
            level=Level.TOWNSHIP,
            kind=Kind.WORKING_COMMITTEE if subdistrict else Kind.COMMITTEE,
            domain=Domain.COMMUNITY if subdistrict else Domain.RURAL,
            parent_code=county,
        )
        count = _village_count(rng, per_township, subdistrict)
        # A town has a community or two at its seat; a sub-district a former village or two (村改居).
        others = min(rng.randint(0, 2), count - 1)
        kinds = [subdistrict] * (count - others) + [not subdistrict] * others
        villages = [_village(draw, f"{code}{v + 1:03d}", code, community, years) for v, community in enumerate(sorted(kinds))]
        town.member_count = sum(v.member_count or 0 for v in villages) + rng.randrange(40, 90)
        town.households = sum(v.households or 0 for v in villages)
        town.population = sum(v.population or 0 for v in villages)
        plan.orgs.append(town)
        plan.orgs.extend(villages)
        children.append(villages)
    for i, (organ_name, _unit) in enumerate(names.ORGANS):
        plan.orgs.append(
            OrgSpec(
                code=organ_code(i),
                name=organ_name,
                level=Level.OTHER,
                kind=Kind.BRANCH,
                domain=Domain.ORGAN,
                parent_code=county,
                member_count=rng.randrange(12, 45),
            )
        )
    if not any(v.vacant_months for villages in children for v in villages):
        # Every county has one; make sure a small run shows it too.
        victim = children[-1][-1]
        victim.vacant_months = 6
        victim.weakness += 3
    return children


def _pick_cases(plan: DemoPlan, draw: _Draw, children: list[list[OrgSpec]]) -> None:
    taken: set[str] = set()
    for township, state, is_key in CASE_SLOTS:
        if township >= len(children):
            continue
        candidates = [v for v in children[township] if v.code not in taken]
        if township == 0 and not taken:
            # branch1 works in this village and is its secretary: it needs one.
            staffed = [v for v in candidates if v.vacant_months is None]
            if not staffed:
                candidates[0].vacant_months, candidates[0].weakness = None, candidates[0].weakness - 3
                staffed = candidates[:1]
            candidates = staffed
        if not candidates:
            continue
        village = max(candidates, key=lambda v: (v.weakness, v.code))
        taken.add(village.code)
        problems, measures = problems_for(
            draw.rng,
            community=village.domain == Domain.COMMUNITY,
            vacant_months=village.vacant_months,
            income=village.income,
            members=village.member_count or 0,
        )
        plan.cases.append(CaseSpec(village.code, township, state, is_key, problems, measures))


def _key_village(plan: DemoPlan, villages: list[OrgSpec]) -> OrgSpec:
    cased = {c.org_code: c for c in plan.cases if c.is_key}
    for village in villages:
        if village.code in cased:
            return village
    return max(villages, key=lambda v: (v.weakness, v.code))


def _add_person(plan: DemoPlan, draw: _Draw, key: str, org_code: str, unit: str = "", title: str = "") -> str:
    plan.people.append(PersonSpec(key, draw.person_name(), draw.phone(), org_code, unit, title))
    return key


def _place(village: OrgSpec) -> str:
    """何家庄村党支部 -> 何家庄村: the village itself, as a person's work unit."""
    return village.name.removesuffix("党支部").removesuffix("党总支").removesuffix("党委")


def organ_code(index: int) -> str:
    """Code of the county organ names.ORGANS[index]: 371525901, 371525902, ..."""
    return f"{names.COUNTY_CODE}9{index + 1:02d}"


def _add_village_people(plan: DemoPlan, draw: _Draw, village: OrgSpec) -> None:
    village_short = _place(village)
    # Most secretaries took office at the 2021 村两委 elections; some later.
    elected = datetime.date(2021, 3, 1)
    if village.vacant_months is None:
        started = draw.date_between(elected, elected + datetime.timedelta(days=90))
        if draw.rng.random() < 0.25:
            started = draw.date_between(datetime.date(2022, 1, 1), datetime.date(plan.year - 1, 12, 31))
        key = _add_person(plan, draw, f"sec:{village.code}", village.code, village_short, "党组织书记")
        plan.posts.append(PostSpec(key, village.code, PostRole.SECRETARY, started))
        return
    # A vacant post: the former secretary's post ended months ago and nobody followed.
    ended = plan.today - datetime.timedelta(days=30 * village.vacant_months)
    key = _add_person(plan, draw, f"former:{village.code}", village.code, village_short, "")
    note = draw.rng.choice(names.VACANCY_NOTES)
    plan.posts.append(PostSpec(key, village.code, PostRole.SECRETARY, elected, ended, note))


def _add_case_support(plan: DemoPlan, draw: _Draw, village: OrgSpec, case: CaseSpec, town: OrgSpec, unit: str) -> None:
    """First secretary, work team and a new secretary, as far as the case has got."""
    start = _cycle_start(plan)
    if case.state in RESTAFFED_STATES and village.vacant_months:
        # Rectification filled the post; the case text still tells of the vacancy it found.
        filled = plan.today - datetime.timedelta(days=15 * village.vacant_months)
        secretary = _add_person(plan, draw, f"sec:{village.code}", village.code, _place(village), "党组织书记")
        plan.posts.append(PostSpec(secretary, village.code, PostRole.SECRETARY, filled, note="整顿中选优配强"))
    if case.state in FIRST_SECRETARY_STATES:
        sending_unit, title = draw.rng.choice(names.SENDING_UNITS), draw.rng.choice(names.SENT_TITLES)
        sent = _add_person(plan, draw, f"first:{village.code}", village.code, sending_unit, title)
        plan.posts.append(PostSpec(sent, village.code, PostRole.FIRST_SECRETARY, start, note="县派第一书记"))
    if case.state in WORK_TEAM_STATES:
        for n in range(2):
            member = _add_person(plan, draw, f"team{n}:{village.code}", town.code, unit, "驻村工作队员")
            plan.posts.append(PostSpec(member, village.code, PostRole.WORK_TEAM, start, note="不转化不撤离"))


def _cycle_start(plan: DemoPlan) -> datetime.date:
    return datetime.date(plan.year, 3, 1)


def _add_township_people(plan: DemoPlan, draw: _Draw, t: int, town: OrgSpec, villages: list[OrgSpec]) -> str:
    """The township's secretary and organizer, its villages' people; returns the organizer's key."""
    town_name, subdistrict = names.TOWNSHIPS[t]
    unit = f"{town_name}办事处" if subdistrict else f"{town_name}人民政府"
    since = datetime.date(2021, 6, 1)
    secretary = _add_person(plan, draw, f"townsec:{town.code}", town.code, unit, "党工委书记" if subdistrict else "党委书记")
    plan.posts.append(PostSpec(secretary, town.code, PostRole.SECRETARY, draw.date_between(since, _cycle_start(plan))))
    organizer = _add_person(plan, draw, f"organizer:{town.code}", town.code, unit, "组织委员")
    plan.posts.append(PostSpec(organizer, town.code, PostRole.ORGANIZER, draw.date_between(since, _cycle_start(plan))))
    cases = {c.org_code: c for c in plan.cases}
    for village in villages:
        _add_village_people(plan, draw, village)
        if village.code in cases:
            _add_case_support(plan, draw, village, cases[village.code], town, unit)
    return organizer


def _add_contact_leader(
    plan: DemoPlan, draw: _Draw, t: int, town: OrgSpec, villages: list[OrgSpec], title: tuple[str, str, int]
) -> str:
    """A county leader links the township and its key village, with a B岗 deputy (seed 001)."""
    leader_unit, leader_title, organ = title
    leader = _add_person(plan, draw, f"leader:{town.code}", organ_code(organ), leader_unit, leader_title)
    deputy_title, deputy_organ = names.DEPUTY_TITLES[t % len(names.DEPUTY_TITLES)]
    deputy_unit = names.ORGANS[deputy_organ][1]
    deputy = _add_person(plan, draw, f"deputy:{town.code}", organ_code(deputy_organ), deputy_unit, deputy_title)
    for org_code in (town.code, _key_village(plan, villages).code):
        plan.posts.append(PostSpec(leader, org_code, PostRole.CONTACT_LEADER, _cycle_start(plan), note="一定三年不变"))
        plan.posts.append(PostSpec(deputy, org_code, PostRole.CONTACT_LEADER_DEPUTY, _cycle_start(plan), note="AB岗"))
    return leader


def _add_people(plan: DemoPlan, draw: _Draw, children: list[list[OrgSpec]], townships: list[OrgSpec]) -> dict[str, str]:
    """People and posts; returns the person keys the users are tied to."""
    leader1_township = 2 if len(townships) > 2 else 1
    titles = iter(names.LEADER_TITLES)
    users: dict[str, str] = {}
    for t, (town, villages) in enumerate(zip(townships, children, strict=True)):
        organizer = _add_township_people(plan, draw, t, town, villages)
        title = names.LEADER1_TITLE if t == leader1_township else next(titles)
        leader = _add_contact_leader(plan, draw, t, town, villages, title)
        if t < 2:
            users[f"town{t + 1}"] = organizer
        if t == leader1_township:
            users["leader1"] = leader
    org_dept = organ_code(names.ORGAN_ORG_DEPT)
    users["county"] = _add_person(plan, draw, "county_admin", org_dept, "县委组织部", "组织科科长")
    users["inspector1"] = _add_person(plan, draw, "inspector", org_dept, "县委组织部", "副部长、督导组组长")
    users["branch1"] = f"sec:{plan.cases[0].org_code}"
    # 三员分立: three administrators, each a different person of the organization department.
    for admin, duty in (("sysadmin", "系统管理员"), ("secadmin", "安全管理员"), ("auditor", "审计管理员")):
        users[admin] = _add_person(plan, draw, admin, org_dept, "县委组织部", f"信息科{duty}")
    return users


def make_plan(
    *,
    seed: int,
    today: datetime.date,
    townships: int = DEFAULT_TOWNSHIPS,
    villages_per_township: int = DEFAULT_VILLAGES_PER_TOWNSHIP,
) -> DemoPlan:
    if not 2 <= townships <= len(names.TOWNSHIPS):
        raise DemoError(f"乡镇（街道）数应在 2 到 {len(names.TOWNSHIPS)} 之间")
    if villages_per_township < 2:
        raise DemoError("每个乡镇的村（社区）数不能少于 2")
    plan = DemoPlan(seed=seed, today=today)
    draw = _Draw(seed)
    children = _build_tree(plan, draw, townships, villages_per_township)
    _pick_cases(plan, draw, children)
    town_specs = [o for o in plan.orgs if o.level == Level.TOWNSHIP]
    people = _add_people(plan, draw, children, town_specs)
    county = plan.county_code
    branch1_village = plan.cases[0].org_code
    plan.users = [
        UserSpec("county", Role.COUNTY_ADMIN, county, people["county"]),
        UserSpec("town1", Role.TOWNSHIP_OPERATOR, town_specs[0].code, people["town1"]),
        UserSpec("town2", Role.TOWNSHIP_OPERATOR, town_specs[1].code, people["town2"]),
        UserSpec("branch1", Role.BRANCH_OPERATOR, branch1_village, people["branch1"]),
        UserSpec("leader1", Role.CONTACT_LEADER, organ_code(names.ORGAN_PEOPLE_CONGRESS), people["leader1"]),
        UserSpec("inspector1", Role.INSPECTOR, county, people["inspector1"]),
        UserSpec("sysadmin", Role.SYSTEM_ADMIN, county, people["sysadmin"]),
        UserSpec("secadmin", Role.SECURITY_ADMIN, county, people["secadmin"]),
        UserSpec("auditor", Role.AUDIT_ADMIN, county, people["auditor"]),
    ]
    return plan
