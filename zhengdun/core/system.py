"""The system actor: who acts when a management command runs without --as.

It is not an account: nobody can sign in as it. It holds every permission
and the whole tree, and the audit trail names it "system".
"""

from __future__ import annotations

from typing import Any

from zhengdun.core.actors import Actor


class SystemActor:
    pk = None
    id = None
    username = "system"
    display_name = "系统"
    organization = None
    organization_id: int | None = None
    person_id: int | None = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = False

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True

    def has_perms(self, perms: Any, obj: Any = None) -> bool:
        return True

    def __str__(self) -> str:
        return self.display_name


SYSTEM: Actor = SystemActor()


def is_system(actor: Actor | None) -> bool:
    return isinstance(actor, SystemActor)
