"""The nation generator (bench/nation.py) on a tiny tree, so it cannot rot unnoticed."""

from __future__ import annotations

import pytest

from bench import nation
from zhengdun.accounts.models import User
from zhengdun.audit import chain
from zhengdun.cases.models import Case
from zhengdun.organizations.models import Organization
from zhengdun.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_it_builds_a_consistent_tree() -> None:
    built = nation.build(nation.SHAPES["tiny"])

    shape = nation.SHAPES["tiny"]
    assert Organization.objects.filter(level="village").count() == shape.total_villages == 12
    assert Organization.objects.filter(level="province").count() == 2
    assert nation.check() == []
    assert all(not problems for problems in Organization.objects.find_problems())
    root = Organization.objects.get(pk=built.root_id)
    assert list(Organization.objects.filter(depth=2).order_by("path").values_list("pk", flat=True)) == built.province_ids
    assert Organization.objects.filter(path__startswith=root.path).count() == Organization.objects.count()


def test_it_writes_cases_plans_users_and_a_chained_trail() -> None:
    built = nation.build(nation.SHAPES["county"])

    assert 0.05 <= Case.objects.count() / len(built.village_ids) <= 0.10
    assert Plan.objects.filter(status="approved").exists()
    assert set(User.objects.filter(username__startswith="bench_").values_list("username", flat=True)) == set(
        nation.USERS.values()
    )
    broken, _found, last = chain.walk([chain.Start(1, chain.GENESIS)], set())
    assert broken is None
    assert last is not None and last["seq"] == Case.objects.count()


def test_check_names_a_wrong_child_count_and_a_missing_parent() -> None:
    nation.build(nation.SHAPES["tiny"])
    town = Organization.objects.filter(level="township").first()
    assert town is not None
    Organization.objects.filter(pk=town.pk).update(numchild=99)
    Organization.objects.filter(pk=town.pk).update(path=town.path[:-4] + "ZZZZ")

    problems = nation.check()

    assert "下级数（numchild）与实际不符：1 个组织" in problems
    assert "上级路径不存在：3 个组织" in problems
    assert "上级外键与路径不符：3 个组织" in problems
