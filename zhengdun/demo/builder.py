"""Writes a DemoPlan to the database without duplicating what is there.

Organizations are matched by code and accounts by username. People, posts
and income figures are written only for organizations created in this run,
so a second run finds everything in place and adds nothing. The bulk of the
county is written directly (hundreds of rows in bulk); the campaign and the
cases go through the services (see cases.py) so their history is real.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengdun.accounts.models import User
from zhengdun.accounts.roles import Role, sync_roles
from zhengdun.accounts.second_factor import policy
from zhengdun.accounts.second_factor import services as second_factor
from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.demo.cases import ensure_campaign_and_cases
from zhengdun.demo.plan import DemoPlan, OrgSpec
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post

PASSWORD = "Zhengdun@2026"
LABELS = {
    "organizations": "党组织",
    "people": "人员",
    "posts": "任职",
    "economy": "集体经济收入记录",
    "users": "账号",
    "campaigns": "整顿工作",
    "cases": "整顿对象",
}


@dataclass
class DemoResult:
    created: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    new_users: set[str] = field(default_factory=set)
    campaign_name: str = ""
    # username -> (authenticator secret, unused recovery codes) of each demo administrator
    second_factor: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @property
    def anything_created(self) -> bool:
        return any(self.created.values())

    def summary(self) -> str:
        """党组织 246，人员 299，……: what this run created, in Chinese."""
        return "，".join(f"{label} {self.created[key]}" for key, label in LABELS.items() if self.created[key])


def build_demo(plan: DemoPlan, *, reset_passwords: bool = False) -> DemoResult:
    result = DemoResult()
    # One transaction: a run that fails half-way leaves nothing behind, so
    # "the county exists" reliably means "the county was built".
    with transaction.atomic():
        orgs, new_codes = _ensure_orgs(plan, result)
        people, new_people = _ensure_people(plan, orgs, new_codes, result)
        _ensure_posts(plan, orgs, people, new_people, result)
        _ensure_economy(plan, orgs, new_codes, result)
        users = _ensure_users(plan, orgs, people, result, reset_passwords=reset_passwords)
        _ensure_second_factor(result, reset=reset_passwords)
        outcome = ensure_campaign_and_cases(plan, orgs, users)
        result.created["campaigns"] += int(outcome.campaign_created)
        result.created["cases"] += outcome.cases_opened
        result.campaign_name = outcome.campaign.name
        if result.anything_created:
            note = f"生成演示数据（种子 {plan.seed}）：{result.summary()}"
            record(Action.IMPORT, orgs[plan.county_code], actor=None, note=note)
    return result


# Fewer unused recovery codes than this and the next run issues new ones.
RECOVERY_CODES_LOW = 3


def _ensure_second_factor(result: DemoResult, *, reset: bool) -> None:
    """Demo administrators must sign in with a second factor too: enrol them here so a
    tester without a phone can use the printed secret (any TOTP tool) or a recovery code."""
    for user in result.users:
        if not policy.required_by_policy(user):
            continue
        codes = second_factor.recovery_codes_of(user)
        if reset or not policy.is_enrolled(user) or len(codes) < RECOVERY_CODES_LOW:
            _device, codes = second_factor.console_enrol(user=user, note="演示数据：为管理员账号绑定身份验证器")
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        result.second_factor[user.username] = (second_factor.secret_of(device), codes)


def _ensure_orgs(plan: DemoPlan, result: DemoResult) -> tuple[dict[str, Organization], set[str]]:
    """Create the organizations that are missing, parents before children."""
    orgs = {o.code: o for o in Organization.objects.filter(code__in=[s.code for s in plan.orgs])}
    taken_names = set(Organization.objects.filter(parent__in=list(orgs.values())).values_list("parent_id", "name"))
    by_parent: dict[str | None, list[OrgSpec]] = defaultdict(list)
    for spec in plan.orgs:
        by_parent[spec.parent_code].append(spec)
    new_codes: set[str] = set()
    queue: deque[str | None] = deque([None])
    while queue:
        parent_code = queue.popleft()
        specs = by_parent.get(parent_code, [])
        queue.extend(spec.code for spec in specs)
        parent = orgs.get(parent_code) if parent_code else None
        wanted: list[OrgSpec] = []
        for spec in specs:
            if spec.code in orgs:
                continue
            if parent_code and parent is None:
                result.skipped.append(spec.code)  # its parent was skipped
            elif parent is not None and (parent.pk, spec.name) in taken_names:
                # Someone keeps another organization of that name there; leave theirs alone.
                result.skipped.append(spec.code)
            else:
                wanted.append(spec)
        for org in _add_children(parent, [_instance(spec, parent) for spec in wanted]):
            orgs[org.code] = org
            new_codes.add(org.code)
    result.created["organizations"] += len(new_codes)
    return orgs, new_codes


def _add_children(parent: Organization | None, instances: list[Organization]) -> list[Organization]:
    """Insert siblings in one statement when the parent has no children yet.

    treebeard's add_child costs four queries per node; the demo's ~250 nodes
    would spend most of the run there. Under a childless parent the paths are
    simply steps 1..n, which `_get_path` spells; anything else (a root, or a
    parent that already has children from an earlier run) goes through
    treebeard one by one.
    """
    if not instances:
        return []
    if parent is None or parent.numchild:
        if parent is None:
            return [Organization.objects.add_root(instance=i) for i in instances]
        return [Organization.objects.add_child(parent, instance=i) for i in instances]
    depth = parent.depth + 1
    for step, instance in enumerate(instances, start=1):
        instance.depth = depth
        instance.path = Organization._get_path(parent.path, depth, step)
    created = Organization.objects.bulk_create(instances)
    Organization.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(created))
    parent.numchild += len(created)
    return created


def _instance(spec: OrgSpec, parent: Organization | None) -> Organization:
    return Organization(
        code=spec.code,
        name=spec.name,
        level=spec.level,
        kind=spec.kind,
        domain=spec.domain,
        parent=parent,
        member_count=spec.member_count,
        households=spec.households,
        population=spec.population,
    )


def _ensure_people(
    plan: DemoPlan, orgs: dict[str, Organization], new_codes: set[str], result: DemoResult
) -> tuple[dict[str, Person], set[str]]:
    """People of new organizations are created; the accounts' people are found again.

    Returns the people by plan key and the keys of those created now.
    """
    fresh = [
        (spec.key, Person(name=spec.name, phone=spec.phone, unit=spec.unit, title=spec.title, organization=orgs[spec.org_code]))
        for spec in plan.people
        if spec.org_code in new_codes
    ]
    Person.objects.bulk_create([p for _, p in fresh])
    people = dict(fresh)
    result.created["people"] += len(fresh)
    for user in plan.users:
        if user.person_key in people:
            continue
        spec = plan.person(user.person_key)
        found = Person.objects.filter(name=spec.name, organization__code=spec.org_code).order_by("id").first()
        if found is not None:
            people[user.person_key] = found
    return people, {key for key, _ in fresh}


def _ensure_posts(
    plan: DemoPlan, orgs: dict[str, Organization], people: dict[str, Person], new_keys: set[str], result: DemoResult
) -> None:
    # Only people created now get posts: those found again already have theirs.
    posts = [
        Post(
            person=people[spec.person_key],
            organization=orgs[spec.org_code],
            role=spec.role,
            started_on=spec.started_on,
            ended_on=spec.ended_on,
            note=spec.note,
        )
        for spec in plan.posts
        if spec.person_key in new_keys and spec.org_code in orgs
    ]
    Post.objects.bulk_create(posts)
    result.created["posts"] += len(posts)


def _ensure_economy(plan: DemoPlan, orgs: dict[str, Organization], new_codes: set[str], result: DemoResult) -> None:
    rows = [
        EconomyRecord(organization=orgs[spec.code], year=year, income_wan=income)
        for spec in plan.orgs
        if spec.code in new_codes
        for year, income in spec.income.items()
    ]
    EconomyRecord.objects.bulk_create(rows)
    result.created["economy"] += len(rows)


def _ensure_users(
    plan: DemoPlan,
    orgs: dict[str, Organization],
    people: dict[str, Person],
    result: DemoResult,
    *,
    reset_passwords: bool,
) -> dict[str, User]:
    if Group.objects.filter(name__in=list(Role.values)).count() != len(Role.values):
        sync_roles()  # roles are made after migrate; a fresh test database may lack them
    groups = {g.name: g for g in Group.objects.filter(name__in=list(Role.values))}
    users: dict[str, User] = {}
    hashed = ""  # made on first need: hashing is deliberately slow (~0.5 s)
    for spec in plan.users:
        user = User.objects.filter(username=spec.username).first()
        if user is None or reset_passwords:
            # One hash for all accounts; the demo password is published anyway.
            hashed = hashed or make_password(PASSWORD)
        if user is None:
            person = people.get(spec.person_key)
            org = orgs.get(spec.org_code)
            if org is None:
                result.skipped.append(spec.username)
                continue
            user = User(
                username=spec.username,
                password=hashed,
                organization=org,
                person=person,
                display_name=person.name if person else spec.username,
                phone=person.phone if person else "",
                # Its password is published: never forced to change nor expiring, and badged as a demo account.
                is_demo=True,
            )
            user.save()
            user.groups.add(groups[spec.role])
            result.created["users"] += 1
            result.new_users.add(spec.username)
        elif reset_passwords:
            user.password, user.is_demo = hashed, True
            user.save(update_fields=["password", "is_demo"])
        users[spec.username] = user
        result.users.append(user)
    return users
