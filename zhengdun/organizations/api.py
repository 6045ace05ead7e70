"""The organizations app's API: the tree, people and their posts, under the caller's scope.

Phone and ID numbers are masked as on the pages.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhengdun.audit.services import record_personal_read
from zhengdun.core.api import WRITE_ERRORS, Page, Ref, caller
from zhengdun.core.masking import can_see_personal_info, id_number_for, phone_for
from zhengdun.core.scoping import get_object_or_404, restrict
from zhengdun.organizations import selectors, services
from zhengdun.organizations.choices import Domain, Kind, Level, PostRole
from zhengdun.organizations.models import Organization, Person, Post

PEOPLE_LIST_API = "人员列表（接口）"

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
@paginate(Page, finish=selectors.with_secretary)
def org_list(request: HttpRequest, under: int | None = None, q: str = "", level: str = "", domain: str = "") -> Any:
    user = caller(request)
    root = get_object_or_404(Organization.objects.all(), user, pk=under) if under is not None else None
    return selectors.org_filtered(user, under=root, q=q, level=level, domain=domain)


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


class PersonOut(Schema):
    id: int
    name: str
    phone: str
    id_number: str
    unit: str
    title: str
    organization: Ref
    updated_at: datetime.datetime

    @staticmethod
    def resolve_phone(obj: Person, context: dict[str, Any]) -> str:
        return phone_for(context["request"].auth, obj.phone)

    @staticmethod
    def resolve_id_number(obj: Person, context: dict[str, Any]) -> str:
        return id_number_for(context["request"].auth, obj.id_number)


class PostOut(Schema):
    id: int
    person: Ref
    organization: Ref
    role: str
    role_label: str
    started_on: datetime.date | None
    ended_on: datetime.date | None
    note: str

    @staticmethod
    def resolve_role_label(obj: Post) -> str:
        return obj.get_role_display()


class PersonDetailOut(PersonOut):
    posts: list[PostOut]

    @staticmethod
    def resolve_posts(obj: Person) -> list[Post]:
        return obj.posts_seen  # type: ignore[attr-defined]


class PersonIn(Schema):
    organization_id: int = Field(description="保管该人员信息的组织")
    name: str
    phone: str = ""
    id_number: str = ""
    unit: str = ""
    title: str = ""
    confirm_duplicate: bool = Field(False, description="已有同名同电话的人员、而确是另一人时为 true")


class PersonPatch(Schema):
    name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    unit: str | None = None
    title: str | None = None


class PostIn(Schema):
    person_id: int
    role: PostRole
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    note: str = ""


class PostEndIn(Schema):
    ended_on: datetime.date
    note: str = ""


def _person(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(Person.objects.select_related("organization"), caller(request), pk=person_id)


def _person_detail(request: HttpRequest, person_id: int) -> Person:
    person = _person(request, person_id)
    # Only the posts on organizations the caller may see: a contact leader's
    # record may be read where its links are not.
    posts = Post.objects.filter(person=person).select_related("person", "organization")
    person.posts_seen = list(restrict(posts, caller(request)).order_by("-started_on", "id"))  # type: ignore[attr-defined]
    return person


@router.get("/people", tags=["人员与任职"], response=list[PersonOut], summary="人员列表")
@paginate(Page)
def person_list(request: HttpRequest, q: str = "") -> Any:
    actor = caller(request)
    record_personal_read(actor=actor, what=PEOPLE_LIST_API, unmasked=can_see_personal_info(actor), details={"q": q})
    return selectors.person_list(actor, q=q)


@router.get("/people/{person_id}", tags=["人员与任职"], response=PersonDetailOut, summary="人员详情（含任职）")
def person_detail(request: HttpRequest, person_id: int) -> Any:
    return _person_detail(request, person_id)


@router.post("/people", tags=["人员与任职"], response={201: PersonDetailOut, **WRITE_ERRORS}, summary="登记人员")
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    org = get_object_or_404(Organization.objects.all(), caller(request), pk=payload.organization_id)
    person = services.person_create(organization=org, actor=caller(request), **payload.dict(exclude={"organization_id"}))
    return Status(201, _person_detail(request, person.pk))


@router.patch("/people/{person_id}", tags=["人员与任职"], response={200: PersonDetailOut, **WRITE_ERRORS}, summary="修改人员信息")
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch) -> Any:
    services.person_update(person=_person(request, person_id), actor=caller(request), **payload.dict(exclude_unset=True))
    return _person_detail(request, person_id)


@router.get("/organizations/{org_id}/posts", tags=["人员与任职"], response=list[PostOut], summary="组织的任职")
@paginate(Page)
def post_list(request: HttpRequest, org_id: int) -> Any:
    org = get_object_or_404(Organization.objects.all(), caller(request), pk=org_id)
    return selectors.posts_of(caller(request), org).select_related("organization")


@router.post("/organizations/{org_id}/posts", tags=["人员与任职"], response={201: PostOut, **WRITE_ERRORS}, summary="安排任职")
def post_assign(request: HttpRequest, org_id: int, payload: PostIn) -> Any:
    user = caller(request)
    org = get_object_or_404(Organization.objects.all(), user, pk=org_id)
    person = _person(request, payload.person_id)
    post = services.post_assign(person=person, organization=org, actor=user, **payload.dict(exclude={"person_id"}))
    return Status(201, post)


@router.post("/posts/{post_id}/end", tags=["人员与任职"], response={200: PostOut, **WRITE_ERRORS}, summary="结束任职")
def post_end(request: HttpRequest, post_id: int, payload: PostEndIn) -> Any:
    post = get_object_or_404(Post.objects.select_related("person", "organization"), caller(request), pk=post_id)
    return services.post_end(post=post, actor=caller(request), ended_on=payload.ended_on, note=payload.note)
