"""What every router shares: who is calling, paging, error bodies."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import LimitOffsetPagination

from zhengdun.accounts.models import User

# A page of a list never holds more than this many rows, whatever is asked.
MAX_PAGE_SIZE = 200


class Page(LimitOffsetPagination):
    """limit/offset paging; a larger limit is cut down to MAX_PAGE_SIZE."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


# Error statuses a write may answer with, for the OpenAPI document.
WRITE_ERRORS: dict[frozenset[int], type[Schema]] = {frozenset({400, 403, 404, 409}): ErrorOut}


class Ref(Schema):
    """A related object by id and name."""

    id: int
    name: str


def caller(request: HttpRequest) -> User:
    """The authenticated account; both auth classes put it on request.auth."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
