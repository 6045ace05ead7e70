"""The named personas every test speaks of, on one small believable county.

某县 (county)                         county, inspector1
├── 城关镇 (town1)                    town1, clerk1
│   ├── 东关村 (village_e)            branch1
│   ├── 西关村 (village_w)
│   └── 南关社区 (community_s)
├── 河口镇 (town2)                    town2, clerk2
│   ├── 北河村 (village_n)            ← leader1 is linked here
│   └── 中河村 (village_m)
└── 县委办公室党支部 (office)          leader1

The county also holds the three separated administrators (三员分立): sysadmin,
secadmin, auditor. clerk1 and clerk2 are a second operator of each township (包村干部):
they draft the plans that town1 and town2 review, since nobody passes the review of a
plan they drafted or submitted (separation of duties).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.passkeys import SoftwareAuthenticator
from zhengdun.accounts.models import User
from zhengdun.accounts.roles import ADMIN_ROLES, Role
from zhengdun.accounts.second_factor.models import Passkey
from zhengdun.campaigns.models import Campaign
from zhengdun.organizations.choices import Domain, Kind, Level, PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post

PASSWORD = "Zhengdun@2026"


@dataclass
class World:
    orgs: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    campaign: Campaign | None = None

    def __getattr__(self, name: str) -> Any:
        for bag in ("users", "orgs", "people"):
            values = self.__dict__.get(bag, {})
            if name in values:
                return values[name]
        raise AttributeError(name)


def _org(parent: Organization | None, code: str, name: str, level: str, kind: str, domain: str, **extra: Any) -> Organization:
    instance = Organization(code=code, name=name, level=level, kind=kind, domain=domain, parent=parent, **extra)
    if parent is None:
        return Organization.objects.add_root(instance=instance)
    return Organization.objects.add_child(Organization.objects.get(pk=parent.pk), instance=instance)


def add_village(parent: Organization, code: str, name: str, **extra: Any) -> Organization:
    """A village branch under `parent`, built the way the services build one (path and parent)."""
    parent = Organization.objects.get(pk=parent.pk)
    values = {"level": Level.VILLAGE, "kind": Kind.BRANCH, "domain": Domain.RURAL, **extra}
    return Organization.objects.add_child(parent, instance=Organization(code=code, name=name, parent=parent, **values))


def _user(username: str, org: Organization, role: str, person: Person | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, organization=org, person=person, display_name=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def second_factor_device(user: User) -> TOTPDevice:
    """The persona's confirmed authenticator (made on first need), as if enrolled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the persona's phone shows now. The device forgets the last code used,
    so a test may sign the same persona in twice within one 30-second step."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():0{device.digits}d}"


def passkey_device(user: User, authenticator: SoftwareAuthenticator | None = None) -> tuple[Passkey, SoftwareAuthenticator]:
    """A passkey of the persona, as if added on its security page, and the software
    authenticator that holds its private key (tests/passkeys.py)."""
    authenticator = authenticator or SoftwareAuthenticator()
    passkey = Passkey.objects.create(
        user=user,
        name="办公室电脑",
        confirmed=True,
        credential_id=authenticator.credential_id,
        public_key=authenticator.cose_public_key(),
        sign_count=authenticator.sign_count,
        transports=["internal"],
    )
    return passkey, authenticator


def build_world() -> World:
    w = World()
    county = _org(None, "C01", "某县", Level.COUNTY, Kind.COMMITTEE, Domain.ORGAN)
    town1 = _org(county, "T01", "城关镇", Level.TOWNSHIP, Kind.COMMITTEE, Domain.RURAL)
    town2 = _org(county, "T02", "河口镇", Level.TOWNSHIP, Kind.COMMITTEE, Domain.RURAL)
    office = _org(county, "G01", "县委办公室党支部", Level.OTHER, Kind.BRANCH, Domain.ORGAN)
    village = dict(level=Level.VILLAGE, kind=Kind.BRANCH)
    w.orgs.update(
        county_org=county,
        town1_org=town1,
        town2_org=town2,
        office=office,
        village_e=_org(
            town1, "V0101", "东关村党支部", domain=Domain.RURAL, member_count=31, households=420, population=1530, **village
        ),
        village_w=_org(
            town1, "V0102", "西关村党支部", domain=Domain.RURAL, member_count=18, households=260, population=990, **village
        ),
        community_s=_org(
            town1,
            "V0103",
            "南关社区党支部",
            domain=Domain.COMMUNITY,
            member_count=45,
            households=1800,
            population=5200,
            **village,
        ),
        village_n=_org(
            town2, "V0201", "北河村党支部", domain=Domain.RURAL, member_count=22, households=310, population=1100, **village
        ),
        village_m=_org(
            town2, "V0202", "中河村党支部", domain=Domain.RURAL, member_count=27, households=350, population=1240, **village
        ),
    )
    for key in ("county_org", "town1_org", "town2_org", "village_e", "village_w", "village_n"):
        w.orgs[key].refresh_from_db()
    secretary = Person.objects.create(name="王建国", phone="13812345678", organization=w.village_e)
    Post.objects.create(person=secretary, organization=w.village_e, role=PostRole.SECRETARY)
    EconomyRecord.objects.create(organization=w.village_e, year=2025, income_wan=Decimal("4.90"))
    leader = Person.objects.create(name="李联系", phone="13900001111", organization=office, unit="县人大常委会", title="副主任")
    Post.objects.create(person=leader, organization=w.village_n, role=PostRole.CONTACT_LEADER)
    w.people.update(secretary_e=secretary, leader_person=leader)
    w.users.update(
        county=_user("county", county, Role.COUNTY_ADMIN),
        town1=_user("town1", town1, Role.TOWNSHIP_OPERATOR),
        town2=_user("town2", town2, Role.TOWNSHIP_OPERATOR),
        clerk1=_user("clerk1", town1, Role.TOWNSHIP_OPERATOR),
        clerk2=_user("clerk2", town2, Role.TOWNSHIP_OPERATOR),
        branch1=_user("branch1", w.village_e, Role.BRANCH_OPERATOR),
        leader1=_user("leader1", office, Role.CONTACT_LEADER, person=leader),
        inspector1=_user("inspector1", county, Role.INSPECTOR),
        sysadmin=_user("sysadmin", county, Role.SYSTEM_ADMIN),
        secadmin=_user("secadmin", county, Role.SECURITY_ADMIN),
        auditor=_user("auditor", county, Role.AUDIT_ADMIN),
    )
    for user in w.users.values():
        if any(user.has_role(role) for role in ADMIN_ROLES):
            second_factor_device(user)
    return w


def drafter_for(organization: Organization) -> User:
    """Who drafts the plan of `organization` in the tests: the clerk of its township."""
    for username in ("clerk1", "clerk2"):
        clerk = User.objects.select_related("organization").get(username=username)
        if clerk.organization is not None and organization.path.startswith(clerk.organization.path):
            return clerk
    raise LookupError(f"no clerk drafts plans for {organization}")
