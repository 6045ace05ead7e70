"""The audit app sits just above core: every app writes to it, so it imports none of them."""

import re
from pathlib import Path

import zhengdun.audit

AUDIT = Path(zhengdun.audit.__file__).parent


def test_the_audit_app_imports_only_core_and_itself():
    upward = []
    for path in AUDIT.rglob("*.py"):
        for module in re.findall(r"^\s*(?:from|import)\s+(zhengdun\.\w+)", path.read_text(), re.MULTILINE):
            if module not in {"zhengdun.core", "zhengdun.audit"}:
                upward.append(f"{path.relative_to(AUDIT)}: {module}")
    assert upward == []
