"""Writes to the organization tree, people and posts. Each one audits itself."""

from __future__ import annotations

import datetime
import enum
import unicodedata
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from treebeard.exceptions import InvalidMoveToDescendant

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, record_change, snapshot
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NeedsConfirmation, NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope, restrict, scope_for
from zhengdun.organizations.choices import ASSIGNMENT_ROLES, Domain, Kind, Level
from zhengdun.organizations.models import LINKING_ROLES, EconomyRecord, Organization, Person, Post
from zhengdun.organizations.signals import post_ending

ERR_DUPLICATE_CODE = "组织编码“{code}”已被使用（{name}）"
# A code taken outside the caller's subtree: the answer must not confirm that it exists elsewhere.
ERR_CODE_UNAVAILABLE = "组织编码“{code}”不可用，请联系上级组织部门"
ERR_NAME_INVISIBLE = "组织名称含有控制字符或不可见字符，请删除后重新输入"
ERR_OWN_ROOT = "您管辖范围的根组织“{name}”的名称、编码和层级只能由上级组织部门修改"
ERR_DUPLICATE_NAME = "上级组织“{parent}”下已有名为“{name}”的组织"
ERR_MOVE_INTO_SELF = "不能把组织移到它自己或它的下级组织之下"
ERR_MOVE_ROOT = "不能移动您管辖范围的根组织"
ERR_ROOT_NEEDS_SUPERUSER = "只有系统管理员可以创建顶级组织"
ERR_ASSIGNMENT_ROLE = "请选择列出的岗位；联系领导、第一书记等帮扶力量请在“帮扶力量”页面安排"
ERR_REASON_REQUIRED = "联系领导调整须说明原因"


# (permission, refusal) of each kind of write; the set-based import asks the same ones.
ADD_ORG = ("organizations.add_organization", "您没有新建组织的权限")
CHANGE_ORG = ("organizations.change_organization", "您没有修改组织的权限")
ADD_PERSON = ("organizations.add_person", "您没有登记人员的权限")
ADD_POST = ("organizations.add_post", "您没有安排任职的权限")


def _require(actor: Actor, perm: str, message: str) -> None:
    if not actor.has_perm(perm):
        raise NotPermitted(message)


def require_rights(actor: Actor, *rights: tuple[str, str]) -> None:
    """Refuse unless `actor` holds every right (ADD_ORG, CHANGE_ORG, ADD_PERSON, ADD_POST)."""
    for perm, message in rights:
        _require(actor, perm, message)


def _validated(obj: Any, exclude: list[str] | None = None) -> None:
    # Uniqueness is checked by _check_unique with messages that name the clash.
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ServiceError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from None


# Unicode categories nobody types in a name: controls, format characters (zero-width,
# bidirectional overrides), surrogates, private use, unassigned, line and paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def has_invisible_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in text)


def check_org_name(name: str) -> None:
    """The rule on an organization's name that pages, the roster import and the API share."""
    if has_invisible_characters(name):
        raise ServiceError(ERR_NAME_INVISIBLE)


def code_clash_message(actor: Actor, clash: Organization) -> str:
    """What a caller is told of a code already taken: the organization's name only inside its subtree."""
    if scope_for(actor).covers_path(clash.path):
        return ERR_DUPLICATE_CODE.format(code=clash.code, name=clash.name)
    return ERR_CODE_UNAVAILABLE.format(code=clash.code)


def _check_own_root(actor: Actor, org: Organization, changes: dict[str, Any]) -> None:
    """A jurisdiction's root is renamed, recoded or re-levelled by the level above only."""
    if actor.is_superuser or actor.organization_id != org.pk:
        return
    if any(value is not KEEP and value != getattr(org, key) for key, value in changes.items()):
        raise NotPermitted(ERR_OWN_ROOT.format(name=org.name))


def _check_unique(*, actor: Actor, code: str, name: str, parent: Organization | None, exclude_pk: int | None = None) -> None:
    clash = Organization.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ServiceError(code_clash_message(actor, clash))
    if Organization.objects.filter(parent=parent, name=name).exclude(pk=exclude_pk).exists():
        raise ServiceError(ERR_DUPLICATE_NAME.format(parent=parent.name if parent else "（顶级）", name=name))


class Keep(enum.Enum):
    """An argument left out of a partial update: the field keeps what it holds."""

    KEEP = "keep"


KEEP = Keep.KEEP


@transaction.atomic
def org_create(
    *,
    parent: Organization | None,
    actor: Actor,
    code: str,
    name: str,
    level: str = Level.VILLAGE,
    kind: str = Kind.BRANCH,
    domain: str = Domain.RURAL,
    member_count: int | None = None,
    households: int | None = None,
    population: int | None = None,
) -> Organization:
    if parent is None:
        if not actor.is_superuser:
            raise NotPermitted(ERR_ROOT_NEEDS_SUPERUSER)
    else:
        ensure_org_in_scope(actor, parent)
        _require(actor, *ADD_ORG)
    candidate = Organization(
        parent=parent,
        path="0",
        depth=1,
        code=code,
        name=name,
        level=level,
        kind=kind,
        domain=domain,
        member_count=member_count,
        households=households,
        population=population,
    )
    _validated(candidate, exclude=["path", "depth", "numchild", "parent"])
    check_org_name(candidate.name)
    _check_unique(actor=actor, code=candidate.code, name=candidate.name, parent=parent)
    if parent is None:
        org = Organization.objects.add_root(instance=candidate)
    else:
        # treebeard re-reads the parent's child count; work on a fresh row.
        org = Organization.objects.add_child(Organization.objects.get(pk=parent.pk), instance=candidate)
    record(Action.CREATE, org, actor=actor, after=snapshot(org))
    return org


@transaction.atomic
def org_update(
    *,
    org: Organization,
    actor: Actor,
    code: str | Keep = KEEP,
    name: str | Keep = KEEP,
    level: str | Keep = KEEP,
    kind: str | Keep = KEEP,
    domain: str | Keep = KEEP,
    member_count: int | None | Keep = KEEP,
    households: int | None | Keep = KEEP,
    population: int | None | Keep = KEEP,
) -> Organization:
    """Change the given fields; a field left out (KEEP) keeps its value, None clears a count."""
    ensure_org_in_scope(actor, org)
    _require(actor, *CHANGE_ORG)
    _check_own_root(actor, org, {"code": code, "name": name, "level": level})
    before = snapshot(org)
    values = {
        "code": code,
        "name": name,
        "level": level,
        "kind": kind,
        "domain": domain,
        "member_count": member_count,
        "households": households,
        "population": population,
    }
    for key, value in values.items():
        if value is not KEEP:
            setattr(org, key, value)
    _validated(org, exclude=["path", "depth", "numchild", "parent"])
    if name is not KEEP:
        check_org_name(org.name)
    _check_unique(actor=actor, code=org.code, name=org.name, parent=org.parent, exclude_pk=org.pk)
    org.save()
    record_change(org, before, actor=actor)
    return org


@transaction.atomic
def org_move(*, org: Organization, new_parent: Organization, actor: Actor) -> Organization:
    """Move a whole subtree under another parent; one path rewrite in SQL."""
    ensure_org_in_scope(actor, org)
    ensure_org_in_scope(actor, new_parent)
    _require(actor, "organizations.move_organization", "您没有调整组织隶属关系的权限")
    if actor.organization_id == org.pk and not actor.is_superuser:
        raise ServiceError(ERR_MOVE_ROOT)
    if new_parent.path.startswith(org.path):
        raise ServiceError(ERR_MOVE_INTO_SELF)
    if Organization.objects.filter(parent=new_parent, name=org.name).exclude(pk=org.pk).exists():
        raise ServiceError(ERR_DUPLICATE_NAME.format(parent=new_parent.name, name=org.name))
    before = snapshot(org, ["path", "parent", "depth"])
    fresh = Organization.objects.get(pk=org.pk)
    try:
        Organization.objects.move(fresh, Organization.objects.get(pk=new_parent.pk), "last-child")
    except InvalidMoveToDescendant:
        raise ServiceError(ERR_MOVE_INTO_SELF) from None
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    moved = Organization.objects.get(pk=org.pk)
    record(
        Action.UPDATE, moved, actor=actor, before=before, after=snapshot(moved, ["path", "parent", "depth"]), note="调整隶属关系"
    )
    return moved


@transaction.atomic
def economy_set(*, org: Organization, year: int, income_wan: Decimal, actor: Actor) -> EconomyRecord:
    ensure_org_in_scope(actor, org)
    _require(actor, *CHANGE_ORG)
    if income_wan < 0:
        raise ServiceError("集体经济收入不能为负数")
    existing = EconomyRecord.objects.filter(organization=org, year=year).first()
    if existing is None:
        rec = EconomyRecord.objects.create(organization=org, year=year, income_wan=income_wan)
        record(Action.CREATE, rec, actor=actor, after=snapshot(rec))
        return rec
    before = snapshot(existing)
    existing.income_wan = income_wan
    existing.save()
    record_change(existing, before, actor=actor)
    return existing


ERR_DUPLICATE_ID_NUMBER = "身份证号与已登记的人员“{name}”（{org}）相同，同一人不能重复登记，请选用已登记的人员"
ERR_DUPLICATE_PERSON = "已登记过同名同电话的人员“{name}”（{org}），请选用已登记的人员；确是另一人请勾选“仍然登记为新人员”后再提交"
REMEDY_EXISTING_PERSON = "查看已登记的“{name}”"


def _existing_person(*, actor: Actor, name: str, phone: str, id_number: str, exclude_pk: int | None = None) -> None:
    """Refuse registering someone already registered in the actor's scope, and point to the record.

    The same ID number is the same person, always; the same name and phone is
    almost always the same person, so it asks for confirmation (NeedsConfirmation).
    Records outside the actor's scope are not looked at: they must not show.
    """
    people = restrict(Person.objects.select_related("organization"), actor)
    if exclude_pk is not None:
        people = people.exclude(pk=exclude_pk)
    found = people.filter(id_number__iexact=id_number).first() if id_number else None
    if found is not None:
        raise ServiceError(
            ERR_DUPLICATE_ID_NUMBER.format(name=found.name, org=found.organization.name),
            remedy_url=reverse("organizations:person", args=[found.pk]),
            remedy_label=REMEDY_EXISTING_PERSON.format(name=found.name),
        )
    found = people.filter(name=name, phone=phone).first() if phone else None
    if found is not None:
        raise NeedsConfirmation(
            ERR_DUPLICATE_PERSON.format(name=found.name, org=found.organization.name),
            remedy_url=reverse("organizations:person", args=[found.pk]),
            remedy_label=REMEDY_EXISTING_PERSON.format(name=found.name),
        )


@transaction.atomic
def person_create(
    *,
    organization: Organization,
    actor: Actor,
    name: str,
    phone: str = "",
    id_number: str = "",
    unit: str = "",
    title: str = "",
    confirm_duplicate: bool = False,
) -> Person:
    """Register a person; `confirm_duplicate` registers a namesake with the same phone anyway."""
    ensure_org_in_scope(actor, organization)
    _require(actor, *ADD_PERSON)
    person = Person(
        organization=organization,
        name=name.strip(),
        phone=phone.strip(),
        id_number=id_number.strip().upper(),
        unit=unit.strip(),
        title=title.strip(),
    )
    _validated(person)
    try:
        _existing_person(actor=actor, name=person.name, phone=person.phone, id_number=person.id_number)
    except NeedsConfirmation:
        if not confirm_duplicate:
            raise
    person.save()
    record(Action.CREATE, person, actor=actor, after=snapshot(person))
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    actor: Actor,
    name: str | None = None,
    phone: str | None = None,
    id_number: str | None = None,
    unit: str | None = None,
    title: str | None = None,
) -> Person:
    """Change the given fields of a person (None keeps what is there)."""
    ensure_org_in_scope(actor, person.organization)
    _require(actor, "organizations.change_person", "您没有修改人员信息的权限")
    before = snapshot(person)
    for key, value in (("name", name), ("phone", phone), ("id_number", id_number), ("unit", unit), ("title", title)):
        if value is not None:
            setattr(person, key, value.strip().upper() if key == "id_number" else value.strip())
    _validated(person)
    if id_number:
        # Another record with this ID number is the same person registered twice.
        _existing_person(actor=actor, name="", phone="", id_number=person.id_number, exclude_pk=person.pk)
    person.save()
    record_change(person, before, actor=actor)
    return person


@transaction.atomic
def post_assign(
    *,
    person: Person,
    organization: Organization,
    role: str,
    actor: Actor,
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    note: str = "",
) -> Post:
    ensure_org_in_scope(actor, organization)
    _require(actor, *ADD_POST)
    # Assistance roles carry the seed-001 checks; they are assigned by the support app only.
    if role in ASSIGNMENT_ROLES:
        raise ServiceError(ERR_ASSIGNMENT_ROLE)
    post = Post(person=person, organization=organization, role=role, started_on=started_on, ended_on=ended_on, note=note.strip())
    _validated(post)
    post.save()
    record(Action.CREATE, post, actor=actor, after=snapshot(post))
    return post


def require_link_reason(post: Post, reason: str) -> None:
    """A contact-leader link (A岗 or B岗) ends only with a reason (seed 001: 一定三年不变)."""
    if post.role in LINKING_ROLES and not reason.strip():
        raise ServiceError(ERR_REASON_REQUIRED)


@transaction.atomic
def post_end(*, post: Post, actor: Actor, ended_on: datetime.date, note: str = "") -> Post:
    ensure_org_in_scope(actor, post.organization)
    _require(actor, "organizations.change_post", "您没有调整任职的权限")
    require_link_reason(post, note)
    before = snapshot(post)
    post.ended_on = ended_on
    if note:
        post.note = note
    _validated(post)
    # The support app's rules on links and work teams hold on this generic path too.
    # Each receiver answers a list of warnings (django-stubs types a response as str | None).
    answers = post_ending.send(sender=Post, post=post, ended_on=ended_on)
    warnings = [w for _, found in answers for w in cast(list[str], found)]
    post.save()
    record_change(post, before, actor=actor, note="；".join(warnings))
    return post
