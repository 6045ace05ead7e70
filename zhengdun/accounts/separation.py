"""三员分立: the three separated administrators reach only the work of their own role.

Two locks, so that neither alone holds the rule: a read limit in the scoping
chokepoint (a separated administrator reads only the models of its role, so
exports, to-do lists and background reads give it nothing else), and a gate on
pages (every page of another app of this project answers 403). The API refuses
them in zhengdun/api/auth.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from zhengdun.accounts.roles import ADMIN_APPS, ADMIN_READS, Role, separated_role

# The public notice pages (/p/…) open for anyone, signed in or not.
PUBLIC_NAMESPACE = "public"
ERR_ADMIN_PAGE = "三员分立：{role}只能办理本角色的工作，不能查看或办理业务数据"


def refusal(role: str) -> str:
    return ERR_ADMIN_PAGE.format(role=Role(role).label)


def admin_read_limit(user: Any, model: type[Model]) -> bool:
    """core.scoping read limit: False for a model outside the administrator's role."""
    role = separated_role(user)
    return role is None or model._meta.label_lower in ADMIN_READS[role]


class SeparatedAdminGate:
    """Pages of this project's other apps answer 403 to a separated administrator.
    Third-party pages (sign-in, second factor) stay open: they are the account's own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        role = separated_role(user)
        match = request.resolver_match
        if role is None or (match is not None and match.namespace == PUBLIC_NAMESPACE):
            return
        module = getattr(view_func, "__module__", "") or ""
        parts = module.split(".")
        if parts[0] == "zhengdun" and len(parts) > 1 and parts[1] not in ADMIN_APPS:
            raise PermissionDenied(refusal(role))
