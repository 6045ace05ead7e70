"""Who acts: a signed-in account or the system actor (core.system).

Services type their `actor` with this Protocol rather than with the User model,
so core and every app below accounts can name the actor without importing it,
and management commands can act as the system.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Actor(Protocol):
    pk: Any
    username: str
    organization_id: int | None
    person_id: int | None
    is_active: bool
    is_superuser: bool

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...
