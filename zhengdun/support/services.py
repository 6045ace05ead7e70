"""Writes of the support assigned to an organization (帮扶力量). Each one audits itself.

Assignments are Post rows with one of organizations.choices.ASSIGNMENT_ROLES;
supporting departments are SupportUnit rows. Every write returns the warnings
of the rules in checks.py, which also go into the audit note, so the
trail says which rule was knowingly set aside.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, record_change, snapshot
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import LINKING_ROLES, Organization, Person, Post
from zhengdun.organizations.services import ERR_REASON_REQUIRED, person_create, require_link_reason
from zhengdun.support import checks
from zhengdun.support.models import SupportUnit

__all__ = ["ERR_REASON_REQUIRED"]

ERR_NO_PERMISSION_ADD = "您没有安排帮扶力量的权限"
ERR_NO_PERMISSION_END = "您没有调整帮扶力量的权限"
ERR_NOT_ASSIGNMENT_ROLE = "“{role}”不属于帮扶力量，请在“安排任职”中办理"
ERR_PERSON_XOR = "请选择已登记的人员，或填写新人员的姓名（二选一）"
ERR_ROLE_TAKEN = "“{org}”已有{role}{name}，请先结束其任职再安排新的人选"
ERR_ALREADY_HOLDS = "{name}已是“{org}”的{role}"
ERR_SAME_PERSON_AB = "联系领导（A岗）和B岗不能是同一人"
ERR_ALREADY_ENDED = "该任职已于 {date} 结束"
ERR_UNIT_NAME = "请填写联建部门名称"
ERR_UNIT_DUPLICATE = "“{unit}”已是“{org}”的联建部门"
ERR_UNIT_ENDED = "该联建关系已于 {date} 结束"
ERR_UNIT_END_BEFORE_START = "联建截止日期不能早于起始日期"
ERR_TOO_LONG = "{what}不能超过 200 个字"


@dataclass
class Outcome:
    """What a write did, and the rules it set aside."""

    obj: Any
    warnings: list[str] = field(default_factory=list)


def _require(actor: Actor, perm: str, message: str) -> None:
    if not actor.has_perm(perm):
        raise NotPermitted(message)


def _short(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) > 200:
        raise ServiceError(ERR_TOO_LONG.format(what=what))
    return text


def _validated(obj: models.Model) -> None:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ServiceError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from None


def _note(*parts: str) -> str:
    return "；".join(p for p in parts if p)


def _resolve_person(
    *,
    organization: Organization,
    actor: Actor,
    person: Person | None,
    new_person: dict[str, str] | None,
    home: Organization | None,
    confirm_duplicate: bool,
) -> Person:
    """The picked person (in the actor's scope), or one registered on the spot."""
    named = bool(new_person and (new_person.get("name") or "").strip())
    if (person is None) == (not named):
        raise ServiceError(ERR_PERSON_XOR)
    if person is not None:
        # Out of scope reads as "does not exist", like every other lookup.
        ensure_org_in_scope(actor, person.organization)
        return person
    # The record is kept by the actor's own unit unless told otherwise: a county
    # leader entered by the county stays a county person wherever they link.
    own_unit: Organization | None = getattr(actor, "organization")  # noqa: B009 - not part of the Actor protocol
    keeper = home or own_unit or organization
    values = {k: (v or "").strip() for k, v in (new_person or {}).items()}
    return person_create(
        organization=keeper,
        actor=actor,
        name=values.get("name", ""),
        phone=values.get("phone", ""),
        unit=values.get("unit", ""),
        title=values.get("title", ""),
        confirm_duplicate=confirm_duplicate,
    )


def _check_free(*, organization: Organization, role: str, person: Person, started_on: datetime.date) -> None:
    running = Post.objects.filter(organization=organization).exclude(ended_on__lt=started_on).select_related("person")
    label = PostRole(role).label
    if role in checks.SINGLE_HOLDER_ROLES:
        holder = running.filter(role=role).first()
        if holder is not None:
            raise ServiceError(ERR_ROLE_TAKEN.format(org=organization.name, role=label, name=holder.person.name))
    elif running.filter(role=role, person=person).exists():
        raise ServiceError(ERR_ALREADY_HOLDS.format(name=person.name, org=organization.name, role=label))
    if role in LINKING_ROLES and running.filter(role__in=LINKING_ROLES, person=person).exists():
        raise ServiceError(ERR_SAME_PERSON_AB)


@transaction.atomic
def assignment_add(
    *,
    organization: Organization,
    role: str,
    actor: Actor,
    person: Person | None = None,
    new_person: dict[str, str] | None = None,
    person_organization: Organization | None = None,
    started_on: datetime.date | None = None,
    note: str = "",
    confirm_duplicate: bool = False,
) -> Outcome:
    """Assign a contact leader, deputy, first secretary, team member or instructor."""
    ensure_org_in_scope(actor, organization)
    _require(actor, "organizations.add_post", ERR_NO_PERMISSION_ADD)
    if role not in checks.ASSIGNMENT_ROLES:
        label = PostRole(role).label if role in PostRole.values else role
        raise ServiceError(ERR_NOT_ASSIGNMENT_ROLE.format(role=label))
    note = _short(note, "备注")
    # Two people assigned to the one seat at the same moment: the second waits here.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    person = _resolve_person(
        organization=organization,
        actor=actor,
        person=person,
        new_person=new_person,
        home=person_organization,
        confirm_duplicate=confirm_duplicate,
    )
    started_on = started_on or timezone.localdate()
    _check_free(organization=organization, role=role, person=person, started_on=started_on)
    post = Post(person=person, organization=organization, role=role, started_on=started_on, note=note)
    _validated(post)
    post.save()
    warnings = (
        checks.leader_link_warnings([person.pk], viewer=actor).get(person.pk, []) if role == PostRole.CONTACT_LEADER else []
    )
    record(Action.CREATE, post, actor=actor, after=snapshot(post), note=_note("安排帮扶力量", *warnings))
    return Outcome(post, warnings)


@transaction.atomic
def assignment_end(*, post: Post, actor: Actor, ended_on: datetime.date, reason: str = "") -> Outcome:
    """End an assignment. A contact-leader link ends only with a reason (seed 001: 一定三年不变)."""
    ensure_org_in_scope(actor, post.organization)
    _require(actor, "organizations.change_post", ERR_NO_PERMISSION_END)
    post = Post.objects.select_for_update().select_related("person", "organization").get(pk=post.pk)
    if post.role not in checks.ASSIGNMENT_ROLES:
        raise ServiceError(ERR_NOT_ASSIGNMENT_ROLE.format(role=post.get_role_display()))
    if post.ended_on is not None:
        raise ServiceError(ERR_ALREADY_ENDED.format(date=post.ended_on))
    reason = _short(reason, "调整原因")
    require_link_reason(post, reason)
    before = snapshot(post)
    post.ended_on = ended_on
    if reason:
        post.note = reason
    _validated(post)
    warnings = checks.early_end_warnings(post, ended_on) + checks.withdrawal_warnings(post)
    if post.role == PostRole.CONTACT_LEADER and not checks.has_active_contact_leader(post.organization_id, excluding=post.pk):
        warnings += [
            checks.WARN_KEY_CASE_NO_LEADER.format(org=post.organization.name, campaign=case.campaign.name)
            for case in checks.open_cases(post.organization_id).filter(is_key=True)
        ]
    post.save()
    record_change(
        post, before, actor=actor, note=_note(f"结束帮扶力量任职，原因：{reason}" if reason else "结束帮扶力量任职", *warnings)
    )
    return Outcome(post, warnings)


@transaction.atomic
def support_unit_add(
    *,
    organization: Organization,
    actor: Actor,
    unit_name: str,
    head: Person | None = None,
    started_on: datetime.date | None = None,
    note: str = "",
) -> Outcome:
    """Pair a department with the organization (联建部门)."""
    ensure_org_in_scope(actor, organization)
    _require(actor, "organizations.add_post", ERR_NO_PERMISSION_ADD)
    unit_name = (unit_name or "").strip()
    if not unit_name:
        raise ServiceError(ERR_UNIT_NAME)
    if head is not None:
        ensure_org_in_scope(actor, head.organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    started_on = started_on or timezone.localdate()
    running = SupportUnit.objects.filter(organization=organization, unit_name=unit_name).exclude(ended_on__lt=started_on)
    if running.exists():
        raise ServiceError(ERR_UNIT_DUPLICATE.format(unit=unit_name, org=organization.name))
    unit = SupportUnit(
        organization=organization, unit_name=unit_name, head=head, started_on=started_on, note=_short(note, "备注")
    )
    _validated(unit)
    unit.save()
    record(Action.CREATE, unit, actor=actor, after=snapshot(unit), note="新增联建部门")
    return Outcome(unit)


@transaction.atomic
def support_unit_end(*, unit: SupportUnit, actor: Actor, ended_on: datetime.date, reason: str = "") -> Outcome:
    ensure_org_in_scope(actor, unit.organization)
    _require(actor, "organizations.change_post", ERR_NO_PERMISSION_END)
    unit = SupportUnit.objects.select_for_update().select_related("organization").get(pk=unit.pk)
    if unit.ended_on is not None:
        raise ServiceError(ERR_UNIT_ENDED.format(date=unit.ended_on))
    if unit.started_on and ended_on < unit.started_on:
        raise ServiceError(ERR_UNIT_END_BEFORE_START)
    reason = _short(reason, "调整原因")
    before = snapshot(unit)
    unit.ended_on = ended_on
    if reason:
        unit.note = reason
    unit.save()
    record_change(unit, before, actor=actor, note=_note("结束联建关系", f"原因：{reason}" if reason else ""))
    return Outcome(unit)
