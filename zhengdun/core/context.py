"""Who is acting, from where, in which request: read by the audit trail.

Set by RequestContextMiddleware for web and API requests; management
commands and background jobs set it with `acting_as`.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from zhengdun.core.actors import Actor


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_ip: str = ""
    user: Actor | None = None


_current: ContextVar[RequestContext] = ContextVar("zhengdun_request_context", default=RequestContext())  # noqa: B039 - frozen


def current() -> RequestContext:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(*, user: Actor | None = None, request_id: str | None = None, client_ip: str = "") -> Iterator[RequestContext]:
    ctx = RequestContext(request_id=request_id or new_request_id(), client_ip=client_ip, user=user)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_user(user: Actor) -> None:
    """Name the user of the request being served (after login or token auth)."""
    ctx = _current.get()
    if not ctx.request_id:
        return  # Outside a request or acting_as block there is nothing to name.
    _current.set(RequestContext(request_id=ctx.request_id, client_ip=ctx.client_ip, user=user))
