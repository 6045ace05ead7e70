"""Who acts: a signed-in account or the system actor (core.system).

Services type their `actor` with this Protocol rather than with the User model,
so core and every app below accounts can name the actor without importing it,
and management commands can act as the system. Members are read-only
properties so that both a model's fields and the system actor's constants
satisfy them.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Actor(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def username(self) -> str: ...

    @property
    def organization_id(self) -> int | None: ...

    @property
    def person_id(self) -> int | None: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...
