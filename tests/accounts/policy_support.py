"""Setting the security policy in a test: the settings' defaults with the changes a test names."""

from __future__ import annotations

import dataclasses
from typing import Any

from zhengdun.accounts import policy
from zhengdun.accounts.security.services import policy_update


def set_policy(actor: Any, *, version: int = 0, **changes: Any) -> Any:
    values = dataclasses.asdict(policy.defaults()) | changes
    return policy_update(actor=actor, version=version, **values)
