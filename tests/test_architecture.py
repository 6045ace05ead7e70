"""Layers point down only (core → organizations, accounts → campaigns → cases →
feature apps → dashboard and demo); the contract is in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_app_imports_a_layer_above_it() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_app_is_in_the_layer_contract() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    named = {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}
    apps = {p.parent.name for p in (ROOT / "zhengdun").glob("*/apps.py")}
    assert {f"zhengdun.{app}" for app in apps} <= named


SKELETON = ("models.py", "services.py", "selectors.py", "forms.py", "api.py", "views.py", "urls.py", "templates")
# core is the toolbox every app stands on and api only assembles the apps' routers:
# neither is a part of the domain with pages of its own.
NOT_DOMAIN_APPS = {"core", "api"}


def test_every_app_has_the_same_skeleton() -> None:
    missing = {
        app.name: [part for part in SKELETON if not (app / part).exists()]
        for app in sorted(p.parent for p in (ROOT / "zhengdun").glob("*/apps.py"))
        if app.name not in NOT_DOMAIN_APPS
    }
    assert {app: parts for app, parts in missing.items() if parts} == {}
