"""Reads of the tree. Every function takes the acting user and scopes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from zhengdun.core.actors import Actor
from zhengdun.core.scoping import restrict, scope_for, subtree_q
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import LINKING_ROLES, EconomyRecord, Organization, Person, Post


def linked_paths(user: Any) -> list[str]:
    """Paths of organizations a contact leader is linked to by an active post.

    A scope root provider (core.scoping.add_scope_roots, registered in apps.py):
    a contact leader reaches the subtrees of the organizations it is linked to.
    """
    if not getattr(user, "person_id", None):
        return []
    return list(
        Post.objects.active()
        .filter(person_id=user.person_id, role__in=LINKING_ROLES)
        .values_list("organization__path", flat=True)
    )


def with_secretary(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate the current secretary's name and phone, in the same query."""
    current = (
        Post.objects.active()
        .filter(organization=OuterRef("pk"), role=PostRole.SECRETARY)
        .order_by(F("started_on").desc(nulls_last=True), "-id")
    )
    latest_income = EconomyRecord.objects.filter(organization=OuterRef("pk")).order_by("-year")
    return qs.annotate(
        secretary_name=Subquery(current.values("person__name")[:1]),
        secretary_phone=Subquery(current.values("person__phone")[:1]),
        income_year=Subquery(latest_income.values("year")[:1]),
        income_wan=Subquery(latest_income.values("income_wan")[:1]),
    )


def org_list(
    user: Any, *, under: Organization | None = None, q: str = "", level: str = "", domain: str = ""
) -> QuerySet[Organization]:
    return with_secretary(org_filtered(user, under=under, q=q, level=level, domain=domain))


def org_filtered(
    user: Any, *, under: Organization | None = None, q: str = "", level: str = "", domain: str = ""
) -> QuerySet[Organization]:
    """org_list without the secretary and income annotations: pick a page's rows with
    it, then annotate only those (with_secretary), so deep pages skip rows cheaply."""
    qs = restrict(Organization.objects.select_related("parent"), user)
    if under is not None:
        qs = qs.filter(subtree_q(under.path))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if level:
        qs = qs.filter(level=level)
    if domain:
        qs = qs.filter(domain=domain)
    return qs.order_by("path")


def org_children(user: Any, org: Organization) -> QuerySet[Organization]:
    # The rows show their parent's name: joined here, not read once per row.
    children = Organization.objects.filter(parent=org).select_related("parent")
    return with_secretary(restrict(children, user)).order_by("path")


def org_roots_for(user: Any) -> QuerySet[Organization]:
    """The top nodes a user sees: its own organization and linked ones.

    These are the roots of its scope (the tree's roots for an unrestricted user), read
    by path. "Whose parent the user does not see" says the same as a NOT IN subquery,
    which PostgreSQL re-checks row by row once the subtree outgrows work_mem.
    """
    scope = scope_for(user)
    qs = restrict(Organization.objects.all(), user)
    qs = qs.filter(depth=1) if scope.unrestricted else qs.filter(path__in=scope.roots)
    return qs.order_by("path")


def person_list(user: Any, *, q: str = "") -> QuerySet[Person]:
    qs = restrict(Person.objects.select_related("organization"), user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(unit__icontains=q))
    return qs.order_by("name", "id")


def posts_of(user: Any, org: Organization) -> QuerySet[Post]:
    return restrict(Post.objects.filter(organization=org).select_related("person"), user).order_by("role", "-started_on")


def org_search(
    user: Actor, *, q: str = "", levels: Sequence[str] = (), under_id: int | None = None, limit: int
) -> list[Organization]:
    """At most `limit` organizations in the user's scope whose name or code contains `q`, tree order.

    `under_id` keeps the subtree of that organization (e.g. a campaign's scope,
    which may lie above the user's own scope: only the user's part shows).
    """
    qs = restrict(Organization.objects.select_related("parent"), user)
    if under_id is not None:
        under_path = Organization.objects.filter(pk=under_id).values_list("path", flat=True).first()
        if under_path is None:
            return []
        qs = qs.filter(subtree_q(under_path))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if levels:
        qs = qs.filter(level__in=levels)
    return list(qs.order_by("path")[:limit])


def person_search(user: Actor, *, q: str = "", limit: int) -> list[Person]:
    """At most `limit` people in the user's scope whose name or unit contains `q`."""
    qs = restrict(Person.objects.all(), user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(unit__icontains=q))
    return list(qs.order_by("name", "id")[:limit])
