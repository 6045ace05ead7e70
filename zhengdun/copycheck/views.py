"""Side-by-side pages of a plan and a similar plan or shipped sample."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from zhengdun.copycheck.score import SECTION_COPIED_PERCENT
from zhengdun.copycheck.selectors import (
    ERR_NOT_REVIEWER,
    OUT_OF_SCOPE_NOTE,
    Comparison,
    can_compare,
    compare_with_plan,
    compare_with_sample,
)
from zhengdun.core.http import AuthedRequest
from zhengdun.core.scoping import get_object_or_404
from zhengdun.plans.models import Plan


def highlight(text: str, marks: list[tuple[int, int, int]]) -> SafeString:
    """`text` escaped, with each (start, end, number) span wrapped in <mark>.

    Spans of the second text may overlap (two passages of the first text can
    repeat one passage of the second): the later one is cut to what is left.
    """
    parts: list[SafeString] = []
    pos = 0
    for start, end, number in sorted(marks):
        start = max(start, pos)
        if start >= end:
            continue
        parts.append(escape(text[pos:start]))
        parts.append(
            format_html(
                '<mark class="zd-shared" data-passage="{}" title="相同段落 {}">{}</mark>', number, number, text[start:end]
            )
        )
        pos = end
    parts.append(escape(text[pos:]))
    return format_html_join("", "{}", ((part,) for part in parts))


def _reviewed_plan(request: AuthedRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("case__campaign", "case__organization__parent"), request.user, pk=pk)
    if not can_compare(request.user):
        raise PermissionDenied(ERR_NOT_REVIEWER)
    return plan


def _render(request: HttpRequest, comparison: Comparison) -> HttpResponse:
    context = {
        "c": comparison,
        "left": highlight(comparison.left, [(p.a[0], p.a[1], p.number) for p in comparison.passages]),
        "right": highlight(comparison.right, [(p.b[0], p.b[1], p.number) for p in comparison.passages]),
        "out_of_scope_note": OUT_OF_SCOPE_NOTE,
        "section_copied": SECTION_COPIED_PERCENT,
    }
    return render(request, "copycheck/similar_pair.html", context)


@login_required
@require_GET
def similar(request: AuthedRequest, pk: int, other_id: int) -> HttpResponse:
    plan = _reviewed_plan(request, pk)
    return _render(request, compare_with_plan(request.user, plan, other_id))


@login_required
@require_GET
def similar_sample(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    plan = _reviewed_plan(request, pk)
    return _render(request, compare_with_sample(plan, name))
