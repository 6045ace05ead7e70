"""Support assigned to an organization (帮扶力量) and supporting departments (联建部门).

Same scoping as everything else: out of scope is 404, a missing right is 403.
Phones are masked for callers without the personal-information right. Writes
answer with the warnings of the seed rules they set aside.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from zhengdun.core.api import WRITE_ERRORS, Ref, caller
from zhengdun.core.masking import phone_for
from zhengdun.core.scoping import get_object_or_404
from zhengdun.organizations.choices import ASSIGNMENT_ROLES, PostRole
from zhengdun.organizations.models import Organization, Person, Post
from zhengdun.support import selectors, services
from zhengdun.support.models import SupportUnit

router = Router(tags=["帮扶力量"])


class PersonBrief(Schema):
    id: int
    name: str
    phone: str
    unit: str
    title: str


class AssignmentOut(Schema):
    id: int
    role: str
    role_label: str
    person: PersonBrief
    started_on: datetime.date | None
    ended_on: datetime.date | None
    note: str


class AssignmentsOut(Schema):
    organization: Ref
    current: list[AssignmentOut]
    ended: list[AssignmentOut]
    warnings: list[str]


class AssignIn(Schema):
    role: PostRole = Field(description="联系领导、B岗、第一书记、工作队员、驻村干部或党建指导员")
    person_id: int | None = Field(None, description="已登记的人员；与 name 二选一")
    name: str = Field("", description="现场登记新人员的姓名")
    phone: str = ""
    unit: str = ""
    title: str = ""
    person_organization_id: int | None = Field(None, description="新人员登记在哪个组织；留空为调用者所在组织")
    started_on: datetime.date | None = None
    note: str = ""


class AssignOut(Schema):
    assignment: AssignmentOut
    warnings: list[str]


class EndIn(Schema):
    ended_on: datetime.date
    reason: str = Field("", description="调整原因；联系领导（含B岗）必填")


class SupportUnitOut(Schema):
    id: int
    unit_name: str
    head: PersonBrief | None
    started_on: datetime.date | None
    ended_on: datetime.date | None
    note: str


class SupportUnitsOut(Schema):
    organization: Ref
    current: list[SupportUnitOut]
    ended: list[SupportUnitOut]


class SupportUnitIn(Schema):
    unit_name: str
    head_id: int | None = None
    started_on: datetime.date | None = None
    note: str = ""


def _person(person: Person, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "phone": phone_for(caller(request), person.phone),
        "unit": person.unit,
        "title": person.title,
    }


def _assignment(post: Post, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": post.pk,
        "role": post.role,
        "role_label": post.get_role_display(),
        "person": _person(post.person, request),
        "started_on": post.started_on,
        "ended_on": post.ended_on,
        "note": post.note,
    }


def _unit(unit: SupportUnit, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "unit_name": unit.unit_name,
        "head": _person(unit.head, request) if unit.head else None,
        "started_on": unit.started_on,
        "ended_on": unit.ended_on,
        "note": unit.note,
    }


def _org(request: HttpRequest, org_id: int) -> Organization:
    return get_object_or_404(Organization.objects.all(), caller(request), pk=org_id)


@router.get("/organizations/{org_id}/assignments", response=AssignmentsOut, summary="帮扶力量（当前与历史，含提示）")
def assignment_list(request: HttpRequest, org_id: int) -> Any:
    org = _org(request, org_id)
    board = selectors.board(caller(request), org)
    return {
        "organization": org,
        "current": [_assignment(p, request) for p in board.current],
        "ended": [_assignment(p, request) for p in board.ended],
        "warnings": board.warnings,
    }


@router.post("/organizations/{org_id}/assignments", response={201: AssignOut, **WRITE_ERRORS}, summary="安排帮扶力量")
def assignment_add(request: HttpRequest, org_id: int, payload: AssignIn) -> Any:
    user = caller(request)
    org = _org(request, org_id)
    person = (
        get_object_or_404(Person.objects.select_related("organization"), user, pk=payload.person_id)
        if payload.person_id
        else None
    )
    keeper = _org(request, payload.person_organization_id) if payload.person_organization_id else None
    new_person = {k: getattr(payload, k) for k in ("name", "phone", "unit", "title")} if payload.name.strip() else None
    outcome = services.assignment_add(
        organization=org,
        role=payload.role,
        actor=user,
        person=person,
        new_person=new_person,
        person_organization=keeper,
        started_on=payload.started_on,
        note=payload.note,
    )
    return Status(201, {"assignment": _assignment(outcome.obj, request), "warnings": outcome.warnings})


@router.post("/assignments/{post_id}/end", response={200: AssignOut, **WRITE_ERRORS}, summary="结束帮扶力量任职")
def assignment_end(request: HttpRequest, post_id: int, payload: EndIn) -> Any:
    qs = Post.objects.filter(role__in=ASSIGNMENT_ROLES).select_related("person", "organization")
    post = get_object_or_404(qs, caller(request), pk=post_id)
    outcome = services.assignment_end(post=post, actor=caller(request), ended_on=payload.ended_on, reason=payload.reason)
    return {"assignment": _assignment(outcome.obj, request), "warnings": outcome.warnings}


@router.get("/organizations/{org_id}/support-units", response=SupportUnitsOut, summary="联建部门（当前与历史）")
def support_unit_list(request: HttpRequest, org_id: int) -> Any:
    org = _org(request, org_id)
    current, ended = selectors.split_units(selectors.support_units_of(caller(request), org))
    return {
        "organization": org,
        "current": [_unit(u, request) for u in current],
        "ended": [_unit(u, request) for u in ended],
    }


@router.post("/organizations/{org_id}/support-units", response={201: SupportUnitOut, **WRITE_ERRORS}, summary="新增联建部门")
def support_unit_add(request: HttpRequest, org_id: int, payload: SupportUnitIn) -> Any:
    user = caller(request)
    org = _org(request, org_id)
    head = get_object_or_404(Person.objects.select_related("organization"), user, pk=payload.head_id) if payload.head_id else None
    outcome = services.support_unit_add(
        organization=org, actor=user, unit_name=payload.unit_name, head=head, started_on=payload.started_on, note=payload.note
    )
    return Status(201, _unit(outcome.obj, request))


@router.post("/support-units/{unit_id}/end", response={200: SupportUnitOut, **WRITE_ERRORS}, summary="结束联建关系")
def support_unit_end(request: HttpRequest, unit_id: int, payload: EndIn) -> Any:
    unit = get_object_or_404(SupportUnit.objects.select_related("head", "organization"), caller(request), pk=unit_id)
    outcome = services.support_unit_end(unit=unit, actor=caller(request), ended_on=payload.ended_on, reason=payload.reason)
    return _unit(outcome.obj, request)
