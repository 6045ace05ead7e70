"""Writes to the organization tree, people and posts. Each one audits itself."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from treebeard.exceptions import InvalidMoveToDescendant

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, record_change, snapshot
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations import assignment_checks
from zhengdun.organizations.models import LINKING_ROLES, EconomyRecord, Organization, Person, Post

ERR_DUPLICATE_CODE = "组织编码“{code}”已被使用"
ERR_DUPLICATE_NAME = "上级组织“{parent}”下已有名为“{name}”的组织"
ERR_MOVE_INTO_SELF = "不能把组织移到它自己或它的下级组织之下"
ERR_MOVE_ROOT = "不能移动您管辖范围的根组织"
ERR_ROOT_NEEDS_SUPERUSER = "只有系统管理员可以创建顶级组织"
ERR_ASSIGNMENT_ROLE = "请选择列出的岗位；联系领导、第一书记等帮扶力量请在“帮扶力量”页面安排"

ORG_FIELDS = ("code", "name", "level", "kind", "domain", "member_count", "households", "population")


def _require(actor: Any, perm: str, message: str) -> None:
    if not actor.has_perm(perm):
        raise NotPermitted(message)


def _validated(obj: Any, exclude: list[str] | None = None) -> None:
    # Uniqueness is checked by _check_unique with messages that name the clash.
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ServiceError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from None


def _check_unique(*, code: str, name: str, parent: Organization | None, exclude_pk: int | None = None) -> None:
    if Organization.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise ServiceError(ERR_DUPLICATE_CODE.format(code=code))
    if Organization.objects.filter(parent=parent, name=name).exclude(pk=exclude_pk).exists():
        raise ServiceError(ERR_DUPLICATE_NAME.format(parent=parent.name if parent else "（顶级）", name=name))


@transaction.atomic
def org_create(*, parent: Organization | None, actor: Any, **fields: Any) -> Organization:
    if parent is None:
        if not actor.is_superuser:
            raise NotPermitted(ERR_ROOT_NEEDS_SUPERUSER)
    else:
        ensure_org_in_scope(actor, parent)
        _require(actor, "organizations.add_organization", "您没有新建组织的权限")
    values = {k: fields[k] for k in ORG_FIELDS if k in fields}
    candidate = Organization(parent=parent, path="0", depth=1, **values)
    _validated(candidate, exclude=["path", "depth", "numchild", "parent"])
    _check_unique(code=candidate.code, name=candidate.name, parent=parent)
    if parent is None:
        org = Organization.objects.add_root(instance=candidate)
    else:
        # treebeard re-reads the parent's child count; work on a fresh row.
        org = Organization.objects.add_child(Organization.objects.get(pk=parent.pk), instance=candidate)
    record(Action.CREATE, org, actor=actor, after=snapshot(org))
    return org


@transaction.atomic
def org_update(*, org: Organization, actor: Any, **fields: Any) -> Organization:
    ensure_org_in_scope(actor, org)
    _require(actor, "organizations.change_organization", "您没有修改组织的权限")
    before = snapshot(org)
    for key in ORG_FIELDS:
        if key in fields:
            setattr(org, key, fields[key])
    _validated(org, exclude=["path", "depth", "numchild", "parent"])
    _check_unique(code=org.code, name=org.name, parent=org.parent, exclude_pk=org.pk)
    org.save()
    record_change(org, before, actor=actor)
    return org


@transaction.atomic
def org_move(*, org: Organization, new_parent: Organization, actor: Any) -> Organization:
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
def economy_set(*, org: Organization, year: int, income_wan: Decimal, actor: Any) -> EconomyRecord:
    ensure_org_in_scope(actor, org)
    _require(actor, "organizations.change_organization", "您没有修改组织的权限")
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


PERSON_FIELDS = ("name", "phone", "id_number", "unit", "title")


@transaction.atomic
def person_create(*, organization: Organization, actor: Any, **fields: Any) -> Person:
    ensure_org_in_scope(actor, organization)
    _require(actor, "organizations.add_person", "您没有登记人员的权限")
    person = Person(organization=organization, **{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    _validated(person)
    person.save()
    record(Action.CREATE, person, actor=actor, after=snapshot(person))
    return person


@transaction.atomic
def person_update(*, person: Person, actor: Any, **fields: Any) -> Person:
    ensure_org_in_scope(actor, person.organization)
    _require(actor, "organizations.change_person", "您没有修改人员信息的权限")
    before = snapshot(person)
    for key in PERSON_FIELDS:
        if key in fields:
            setattr(person, key, fields[key])
    _validated(person)
    person.save()
    record_change(person, before, actor=actor)
    return person


@transaction.atomic
def post_assign(*, person: Person, organization: Organization, role: str, actor: Any, **fields: Any) -> Post:
    ensure_org_in_scope(actor, organization)
    _require(actor, "organizations.add_post", "您没有安排任职的权限")
    # Assistance roles carry the seed-001 checks; they are assigned by assignments.py only.
    if role in assignment_checks.ASSIGNMENT_ROLES:
        raise ServiceError(ERR_ASSIGNMENT_ROLE)
    post = Post(person=person, organization=organization, role=role, **fields)
    _validated(post)
    post.save()
    record(Action.CREATE, post, actor=actor, after=snapshot(post))
    return post


@transaction.atomic
def post_end(*, post: Post, actor: Any, ended_on: Any, note: str = "") -> Post:
    ensure_org_in_scope(actor, post.organization)
    _require(actor, "organizations.change_post", "您没有调整任职的权限")
    # The seed rules on contact-leader links hold on this generic path too.
    if post.role in LINKING_ROLES and not note.strip():
        raise ServiceError(assignment_checks.ERR_REASON_REQUIRED)
    before = snapshot(post)
    post.ended_on = ended_on
    if note:
        post.note = note
    _validated(post)
    warnings = assignment_checks.early_end_warnings(post, ended_on) + assignment_checks.withdrawal_warnings(post)
    post.save()
    record_change(post, before, actor=actor, note="；".join(warnings))
    return post
