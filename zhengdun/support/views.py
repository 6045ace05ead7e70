"""The 帮扶力量 page of one organization, its forms, and the county overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengdun.core.http import AuthedRequest, submit_form
from zhengdun.core.scoping import get_object_or_404
from zhengdun.organizations.models import LINKING_ROLES, Organization, Post
from zhengdun.organizations.selectors import person_list
from zhengdun.support import checks, selectors, services
from zhengdun.support.forms import AssignForm, EndForm, SupportUnitForm
from zhengdun.support.models import SupportUnit


def _org(request: AuthedRequest, pk: int) -> Organization:
    return get_object_or_404(Organization.objects.select_related("parent"), request.user, pk=pk)


def _page(request: AuthedRequest, org: Organization, **forms: Any) -> HttpResponse:
    """The page, with any bound form that failed kept in place of its blank one."""
    people = person_list(request.user)
    context = {
        "org": org,
        "board": selectors.board(request.user, org),
        "assign_form": forms.get("assign_form") or AssignForm(people=people, keepers=selectors.keepers_for(request.user, org)),
        "unit_form": forms.get("unit_form") or SupportUnitForm(people=people),
    }
    return render(request, "support/board.html", context)


def _warn(request: HttpRequest, outcome: services.Outcome) -> None:
    """Flash what the change left open; submit_form has already flashed the success."""
    for warning in outcome.warnings:
        messages.warning(request, warning)


@login_required
@require_GET
def board(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _org(request, pk))


@login_required
@permission_required("organizations.add_post", raise_exception=True)
@require_POST
def add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    people = person_list(request.user)
    form = AssignForm(request.POST, people=people, keepers=selectors.keepers_for(request.user, org))
    outcome = submit_form(
        request,
        form,
        lambda data: services.assignment_add(
            organization=org,
            role=data["role"],
            actor=request.user,
            person=data["person"],
            new_person=form.new_person(),
            person_organization=data["keeper"],
            started_on=data["started_on"],
            note=data["note"],
            confirm_duplicate=data["confirm_duplicate"],
        ),
        success=lambda outcome: f"已安排{outcome.obj.get_role_display()}：{outcome.obj.person.name}",
    )
    if outcome is not None:
        _warn(request, outcome)
        return redirect("support:board", org.pk)
    return _page(request, org, assign_form=form)


@login_required
@permission_required("organizations.change_post", raise_exception=True)
@require_http_methods(["GET", "POST"])
def end(request: AuthedRequest, pk: int, post_id: int) -> HttpResponse:
    org = _org(request, pk)
    qs = Post.objects.filter(organization=org, role__in=checks.ASSIGNMENT_ROLES, ended_on__isnull=True)
    post = get_object_or_404(qs.select_related("person", "organization"), request.user, pk=post_id)
    linking = post.role in LINKING_ROLES
    form = EndForm(request.POST or None, reason_required=linking, due=checks.link_due(post) if linking else None)
    outcome = submit_form(
        request,
        form,
        lambda data: services.assignment_end(post=post, actor=request.user, ended_on=data["ended_on"], reason=data["reason"]),
        success=f"已结束{post.get_role_display()}{post.person.name}的任职",
    )
    if outcome is not None:
        _warn(request, outcome)
        return redirect("support:board", org.pk)
    title = f"结束{post.get_role_display()}：{post.person.name}"
    return render(request, "support/end.html", {"org": org, "form": form, "title": title})


@login_required
@permission_required("organizations.add_post", raise_exception=True)
@require_POST
def unit_add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    form = SupportUnitForm(request.POST, people=person_list(request.user))
    outcome = submit_form(
        request,
        form,
        lambda data: services.support_unit_add(
            organization=org,
            actor=request.user,
            unit_name=data["unit_name"],
            head=data["head"],
            started_on=data["started_on"],
            note=data["note"],
        ),
        success=lambda outcome: f"已新增联建部门：{outcome.obj.unit_name}",
    )
    if outcome is not None:
        _warn(request, outcome)
        return redirect("support:board", org.pk)
    return _page(request, org, unit_form=form)


@login_required
@permission_required("organizations.change_post", raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_end(request: AuthedRequest, pk: int, unit_id: int) -> HttpResponse:
    org = _org(request, pk)
    qs = SupportUnit.objects.filter(organization=org, ended_on__isnull=True)
    unit = get_object_or_404(qs, request.user, pk=unit_id)
    form = EndForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        lambda data: services.support_unit_end(unit=unit, actor=request.user, ended_on=data["ended_on"], reason=data["reason"]),
        success=f"已结束与“{unit.unit_name}”的联建关系",
    )
    if outcome is not None:
        _warn(request, outcome)
        return redirect("support:board", org.pk)
    title = f"结束联建：{unit.unit_name}"
    return render(request, "support/end.html", {"org": org, "form": form, "title": title})


@login_required
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    return render(request, "support/overview.html", {"overview": selectors.overview(request.user)})
