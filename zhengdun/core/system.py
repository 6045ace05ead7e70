"""The system actor: who acts when a management command runs without --as.

It is not an account: nobody can sign in as it. It holds every permission
and the whole tree, and the audit trail names it "system".
"""

from __future__ import annotations

from typing import Any


class SystemActor:
    pk = None
    id = None
    username = "system"
    display_name = "系统"
    organization = None
    organization_id = None
    person_id = None
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


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)
