"""A choice of one object among many, searched as you type.

A county holds hundreds of people and a province thousands of organizations:
a plain <select> would render them all. SearchSelect renders a real <select>
holding only the chosen object and the first few, plus a search box; typing in
the box asks a search endpoint (htmx) for the matching <option>s, which replace
the select's. Without JavaScript the first few and the chosen one remain, and
the form still posts the select's value. The field's queryset still decides
what is valid, so a value outside it is refused whatever the page offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.http import urlencode

# Options rendered with the page; the search endpoint answers at most SEARCH_LIMIT.
INITIAL_OPTIONS = 20
SEARCH_LIMIT = 20


class SearchSelect(forms.Select):
    template_name = "core/widgets/search_select.html"

    def __init__(
        self,
        *,
        search_url: str,
        params: Mapping[str, str | list[str]] | None = None,
        placeholder: str = "输入名称搜索",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.search_url = search_url  # a URL name; reversed when rendered
        self.params = dict(params or {})
        self.placeholder = placeholder

    def __deepcopy__(self, memo: dict[int, Any]) -> SearchSelect:
        # Each form gets its own widget; its search filters must not leak into the next form.
        obj = super().__deepcopy__(memo)
        obj.params = dict(self.params)
        return obj

    def _bounded_choices(self, value: list[Any]) -> list[Any]:
        if not isinstance(self.choices, ModelChoiceIterator):  # plain choices: already a short list
            return list(self.choices)
        iterator = self.choices
        field = iterator.field
        qs = iterator.queryset
        chosen = [v for v in value if v not in ("", None)]
        shown = list(qs.filter(pk__in=chosen)) if chosen else []
        shown += list(qs.exclude(pk__in=[o.pk for o in shown])[:INITIAL_OPTIONS])
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        return empty + [iterator.choice(obj) for obj in shown]

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        full = self.choices
        self.choices = self._bounded_choices(value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = full

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        url = reverse(self.search_url)
        if self.params:
            url += "?" + urlencode(self.params, doseq=True)
        context["widget"].update(search_url=url, placeholder=self.placeholder)
        return context
