"""Issue 9 §3 cause 2: the top nodes of the home page and the tree are the roots of the user's scope,
read by path, not "whose parent the user does not see" (a NOT IN subquery PostgreSQL re-checks per row)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from zhengdun.accounts.models import User
from zhengdun.core.scoping import restrict
from zhengdun.organizations.models import Organization
from zhengdun.organizations.selectors import org_roots_for


def _whose_parent_is_unseen(user: Any) -> list[int]:
    seen = restrict(Organization.objects.all(), user)
    return list(seen.exclude(parent__in=seen).order_by("path").values_list("pk", flat=True))


@pytest.fixture
def root(world: Any) -> User:
    return User.objects.create_superuser(username="root", password="Zhengdun@Root-2026", organization=world.county_org)


@pytest.mark.parametrize("persona", ["county", "town1", "branch1", "leader1", "inspector1", "root"])
def test_the_roots_are_the_organizations_whose_parent_the_user_does_not_see(persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    roots = list(org_roots_for(user).values_list("pk", flat=True))
    assert roots == _whose_parent_is_unseen(user)
    assert roots


def test_a_contact_leader_sees_its_own_organization_and_the_linked_one_as_roots(world: Any, leader1: User) -> None:
    assert list(org_roots_for(leader1)) == sorted([world.office, world.village_n], key=lambda org: org.path)


def test_a_user_without_an_organization_sees_no_root(world: Any, town1: User) -> None:
    town1.organization = None
    town1.save()
    fresh = User.objects.get(pk=town1.pk)
    assert list(org_roots_for(fresh)) == []


@pytest.mark.parametrize("persona", ["county", "leader1", "root"])
def test_the_roots_are_read_without_a_subquery(persona: str, request: Any) -> None:
    plan = str(org_roots_for(request.getfixturevalue(persona)).explain()).upper()
    assert "SUBPLAN" not in plan and "SUBQUERY" not in plan, plan
    if connection.vendor == "sqlite" and persona != "root":
        assert "SCAN ORGANIZATIONS_ORGANIZATION" not in plan, plan
