"""Small helpers shared by views: paging, and running a form through a service with its errors shown on the form."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from zhengdun.core.actors import Actor
from zhengdun.core.errors import ServiceError

PAGE_SIZE = 50

T = TypeVar("T")


def paginate(
    request: HttpRequest,
    qs: QuerySet[Any] | Sequence[Any],
    per_page: int = PAGE_SIZE,
    *,
    finish: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
) -> Page:
    """The page `?page=` of `qs`. `finish` (annotations, aggregates per row) is applied
    to the page's rows only, after they are chosen, so rows skipped are not computed."""
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    if finish is not None and isinstance(qs, QuerySet):
        ids = [row.pk for row in page.object_list]
        page.object_list = list(finish(qs.filter(pk__in=ids))) if ids else []
    return page


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in ("page", "after", "before"):
        params.pop(key, None)
    return params.urlencode()


@dataclass
class KeysetPage:
    """One page of a list read by its key, without OFFSET and without COUNT.

    A deep page costs what the first page costs: the database seeks to the key
    in its index instead of reading and throwing away every earlier row, and
    no total is counted over the whole subtree. The pager offers 上一页/下一页.
    """

    object_list: list[Any]
    has_next: bool
    has_previous: bool
    next_key: str = ""
    previous_key: str = ""

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def keyset_paginate(
    request: HttpRequest,
    qs: QuerySet[Any],
    *,
    key: str,
    parse: Callable[[str], Any | None],
    descending: bool = False,
    finish: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
    per_page: int = PAGE_SIZE,
) -> KeysetPage:
    """The page of `qs` after `?after=<key>` or before `?before=<key>`, ordered by the unique `key`.

    The page's rows are chosen by their keys alone; `finish` (annotations,
    subqueries per row) is applied to those rows only, so a costly annotation is
    computed for the page and never for the rows skipped. `parse` turns the
    query string's value into a key, or None for a value that is not one (read
    as the first page, as Paginator.get_page reads a bad page number).
    """
    after = parse(request.GET.get("after", "")) if request.GET.get("after") else None
    before = parse(request.GET.get("before", "")) if request.GET.get("before") and after is None else None
    forward = before is None
    # Going back reads the rows just before the key in reverse order, then turns them around.
    reverse = descending == forward
    order = f"-{key}" if reverse else key
    picked = qs.order_by(order)
    if after is not None:
        picked = picked.filter(**{f"{key}__{'lt' if descending else 'gt'}": after})
    elif before is not None:
        picked = picked.filter(**{f"{key}__{'gt' if descending else 'lt'}": before})
    keys = list(picked.values_list(key, flat=True)[: per_page + 1])
    more = len(keys) > per_page
    keys = keys[:per_page]
    rows_qs = qs.filter(**{f"{key}__in": keys})
    if finish is not None:
        rows_qs = finish(rows_qs)
    rows = list(rows_qs.order_by(f"-{key}" if descending else key)) if keys else []
    if forward:
        has_next, has_previous = more, after is not None
    else:
        has_next, has_previous = True, more
    return KeysetPage(
        object_list=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_key=str(getattr(rows[-1], key)) if rows else "",
        previous_key=str(getattr(rows[0], key)) if rows else "",
    )


def refuse(form: forms.BaseForm, exc: ServiceError) -> None:
    """Show a service's refusal on the form, with the link to the way forward when there is one."""
    form.add_error(None, exc.message)
    if exc.remedy_url:
        form.remedy_url = exc.remedy_url  # type: ignore[attr-defined]
        form.remedy_label = exc.remedy_label  # type: ignore[attr-defined]


def submit_form(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
) -> T | None:
    """Run `action` on a posted, valid form and return what it returned, after
    flashing `success`; otherwise return None so the view re-renders the form.

    A ServiceError becomes a form-wide error, so the user sees the rule that
    refused the change next to what they typed. `action` must return the saved
    object (never None), since None means "show the form again". Views that
    answer errors differently (a 409 redirect, a status code) keep their own
    try/except.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ServiceError as exc:
        refuse(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


class AuthedRequest(HttpRequest):
    """The request a view behind login_required receives: its user is signed in.

    Views type `request` with this so that `request.user` is an Actor and can be
    handed to services without a cast; the login_required decorator is what
    makes it true.
    """

    user: Actor  # type: ignore[assignment]
