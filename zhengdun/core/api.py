"""What every app's API router shares: who is calling, paging, error bodies, workflow offers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from zhengdun.core.actors import Actor
from zhengdun.core.params import MAX_INT
from zhengdun.core.workflow import Offer

# A page of a list never holds more than this many rows, whatever is asked.
MAX_PAGE_SIZE = 200
# The database reads and discards every row before the offset: deeper than this,
# a caller narrows the list by its filters (e.g. under=) instead.
MAX_OFFSET = 10_000


class Page(LimitOffsetPagination):
    """limit/offset paging; a larger limit is cut down to MAX_PAGE_SIZE, an offset
    above MAX_OFFSET answers 422 (as one beyond what a database can take would
    overflow inside the query).

    `finish` (e.g. annotations with a subquery per row) is applied to the rows of
    the page only: their ids are chosen by offset first, so what is skipped is
    never annotated.
    """

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_INT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"至多 {MAX_OFFSET}；更靠后的数据请用筛选条件缩小范围")

    def __init__(self, finish: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)
        self.finish = finish

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any) -> Any:
        if self.finish is None:
            return super().paginate_queryset(queryset, pagination, request, **params)
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        return {self.items_attribute: list(self.finish(queryset.filter(pk__in=ids))), "count": self._items_count(queryset)}


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []
    remedy_url: str = ""


# Error statuses a write may answer with, for the OpenAPI document.
WRITE_ERRORS: dict[frozenset[int], type[Schema]] = {frozenset({400, 403, 404, 409}): ErrorOut}


class Ref(Schema):
    """A related object by id and name."""

    id: int
    name: str


def caller(request: HttpRequest) -> Actor:
    """The authenticated account; both auth classes put it on request.auth."""
    return request.auth  # type: ignore[attr-defined]  # ninja sets it at run time; HttpRequest does not declare it


class OfferOut(Schema):
    """An action of an object's workflow the caller may take now (core.workflow.Offer)."""

    action: str
    label: str
    target: str | None = Field(description="目标状态；为空表示退回原状态")
    target_label: str
    note_required: bool
    requires: list[str]


class BlockedOfferOut(OfferOut):
    """An action the caller holds the right for but cannot take yet, and why."""

    blocked: str = Field(description="不能执行的原因")
    remedy_url: str = Field("", description="解决办法所在页面")


def offer_out(offer: Offer) -> dict[str, Any]:
    t = offer.transition
    out: dict[str, Any] = {
        "action": t.action,
        "label": t.label,
        "target": t.target,
        "target_label": offer.target_label,
        "note_required": t.note_required,
        "requires": list(t.requires),
    }
    if not offer.allowed:
        out.update(blocked=offer.blocked, remedy_url=offer.remedy_url)
    return out
