"""Organizations: the tree, read and changed under the caller's scope."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhengdun.api.common import WRITE_ERRORS, Page, Ref, caller
from zhengdun.core.masking import phone_for
from zhengdun.core.scoping import get_object_or_404
from zhengdun.organizations import selectors, services
from zhengdun.organizations.choices import Domain, Kind, Level
from zhengdun.organizations.models import Organization

router = Router(tags=["组织"])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    level: str
    level_label: str
    kind: str
    kind_label: str
    domain: str
    domain_label: str
    depth: int
    parent: Ref | None
    member_count: int | None
    households: int | None
    population: int | None
    secretary_name: str | None = None
    secretary_phone: str = ""
    income_year: int | None = None
    income_wan: Decimal | None = None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_level_label(obj: Organization) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_domain_label(obj: Organization) -> str:
        return obj.get_domain_display()

    @staticmethod
    def resolve_income_wan(obj: Organization) -> Decimal | None:
        # SQLite hands a subquery's decimal back unrounded; say it in 万元 to the cent.
        value = getattr(obj, "income_wan", None)
        return None if value is None else Decimal(value).quantize(Decimal("0.01"))

    @staticmethod
    def resolve_secretary_phone(obj: Any, context: dict[str, Any]) -> str:
        return phone_for(context["request"].auth, getattr(obj, "secretary_phone", None))


class OrgIn(Schema):
    parent_id: int | None = Field(None, description="上级组织；留空为顶级组织（仅系统管理员）")
    code: str
    name: str
    level: Level = Level.VILLAGE
    kind: Kind = Kind.BRANCH
    domain: Domain = Domain.RURAL
    member_count: int | None = Field(None, ge=0)
    households: int | None = Field(None, ge=0)
    population: int | None = Field(None, ge=0)


class OrgPatch(Schema):
    code: str | None = None
    name: str | None = None
    level: Level | None = None
    kind: Kind | None = None
    domain: Domain | None = None
    member_count: int | None = Field(None, ge=0)
    households: int | None = Field(None, ge=0)
    population: int | None = Field(None, ge=0)


class MoveIn(Schema):
    parent_id: int


def _detail(request: HttpRequest, org_id: int) -> Organization:
    qs = selectors.with_secretary(Organization.objects.select_related("parent"))
    return get_object_or_404(qs, caller(request), pk=org_id)


def _org(request: HttpRequest, org_id: int) -> Organization:
    return get_object_or_404(Organization.objects.select_related("parent"), caller(request), pk=org_id)


@router.get("/organizations", response=list[OrgOut], summary="组织列表")
@paginate(Page)
def org_list(request: HttpRequest, under: int | None = None, q: str = "", level: str = "", domain: str = "") -> Any:
    user = caller(request)
    root = get_object_or_404(Organization.objects.all(), user, pk=under) if under is not None else None
    return selectors.org_list(user, under=root, q=q, level=level, domain=domain)


@router.get("/organizations/{org_id}", response=OrgOut, summary="组织详情")
def org_detail(request: HttpRequest, org_id: int) -> Any:
    return _detail(request, org_id)


@router.get("/organizations/{org_id}/children", response=list[OrgOut], summary="下级组织")
@paginate(Page)
def org_children(request: HttpRequest, org_id: int) -> Any:
    return selectors.org_children(caller(request), _org(request, org_id)).select_related("parent")


@router.post("/organizations", response={201: OrgOut, **WRITE_ERRORS}, summary="新建组织")
def org_create(request: HttpRequest, payload: OrgIn) -> Any:
    user = caller(request)
    fields = payload.dict(exclude={"parent_id"})
    parent = _org(request, payload.parent_id) if payload.parent_id is not None else None
    org = services.org_create(parent=parent, actor=user, **fields)
    return Status(201, _detail(request, org.pk))


@router.patch("/organizations/{org_id}", response={200: OrgOut, **WRITE_ERRORS}, summary="修改组织")
def org_update(request: HttpRequest, org_id: int, payload: OrgPatch) -> Any:
    services.org_update(org=_org(request, org_id), actor=caller(request), **payload.dict(exclude_unset=True))
    return _detail(request, org_id)


@router.post("/organizations/{org_id}/move", response={200: OrgOut, **WRITE_ERRORS}, summary="调整隶属关系")
def org_move(request: HttpRequest, org_id: int, payload: MoveIn) -> Any:
    org = _org(request, org_id)
    services.org_move(org=org, new_parent=_org(request, payload.parent_id), actor=caller(request))
    return _detail(request, org_id)
