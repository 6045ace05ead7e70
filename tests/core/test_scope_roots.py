"""Core imports no app: the apps that widen a user's reach register scope root providers."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from zhengdun.core import scoping
from zhengdun.core.scoping import add_scope_roots, forget, scope_for

CORE = Path(scoping.__file__).resolve().parent


def test_a_contact_leader_reaches_its_linked_organization_through_the_registered_provider(world: Any, leader1: Any) -> None:
    scope = scope_for(leader1)
    assert scope.covers_path(world.village_n.path)
    assert scope.covers_path(world.office.path)
    assert not scope.covers_path(world.village_m.path)


def test_a_provider_registered_twice_is_asked_once(world: Any, town2: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoping, "_root_providers", list(scoping._root_providers))
    asked: list[str] = []

    def town1_too(user: Any) -> list[str]:
        asked.append(user.username)
        return [world.town1_org.path]

    add_scope_roots(town1_too)
    add_scope_roots(town1_too)
    forget(town2)
    scope = scope_for(town2)
    assert asked == ["town2"]
    assert scope.covers_path(world.village_e.path) and scope.covers_path(world.village_m.path)


def test_core_imports_no_app() -> None:
    upward = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            upward += [
                f"{path.relative_to(CORE)}: {name}"
                for name in names
                if name.startswith("zhengdun.") and not name.startswith("zhengdun.core")
            ]
    assert upward == []
