"""Small helpers shared by views: paging, and running a form through a service with its errors shown on the form."""

from collections.abc import Callable
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


def paginate(request: HttpRequest, qs: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


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
