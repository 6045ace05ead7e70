from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from zhengdun.audit.selectors import events_for_object
from zhengdun.audit.services import record_personal_read
from zhengdun.core.errors import ServiceError
from zhengdun.core.http import AuthedRequest, keyset_paginate, paginate, querystring_without_page, submit_form
from zhengdun.core.masking import can_see_personal_info
from zhengdun.core.params import parse_id, parse_path
from zhengdun.core.scoping import get_object_or_404, restrict
from zhengdun.core.widgets import SEARCH_LIMIT
from zhengdun.organizations import selectors, services
from zhengdun.organizations.choices import ASSIGNMENT_ROLES, Domain, Level
from zhengdun.organizations.forms import (
    EconomyForm,
    EndPostForm,
    MoveForm,
    OrganizationForm,
    PersonCreateForm,
    PersonForm,
    PostForm,
    organization_label,
    person_label,
)
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post

PEOPLE_LIST_PAGE = "人员名单（页面）"


@login_required
def tree(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    domain = request.GET.get("domain", "")
    context = {"roots": selectors.org_roots_for(request.user), "levels": Level.choices, "domains": Domain.choices}
    if q or level or domain:
        context["page"] = keyset_paginate(
            request,
            selectors.org_filtered(request.user, q=q, level=level, domain=domain),
            key="path",
            parse=parse_path,
            finish=selectors.with_secretary,
        )
        context["qs"] = querystring_without_page(request)
    return render(request, "organizations/tree.html", context)


@login_required
def children(request: AuthedRequest, pk: int) -> HttpResponse:
    """htmx: the next level of the tree under one node."""
    org = get_object_or_404(Organization.objects.all(), request.user, pk=pk)
    return render(request, "organizations/_children.html", {"nodes": selectors.org_children(request.user, org)})


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(selectors.with_secretary(Organization.objects.select_related("parent")), request.user, pk=pk)
    ancestors = restrict(Organization.objects.filter(path__in=[org.path[:i] for i in range(4, len(org.path), 4)]), request.user)
    context = {
        "org": org,
        "ancestors": ancestors.order_by("path"),
        "children": selectors.org_children(request.user, org),
        "posts": selectors.posts_of(request.user, org),
        "economy": EconomyRecord.objects.filter(organization=org).order_by("-year"),
        # Cases belong to a higher layer: read through the reverse relation, scoped, without importing them.
        "cases": restrict(org.cases.select_related("campaign"), request.user).order_by("campaign_id"),
        "events": events_for_object(request.user, org)[:20],
        "now": timezone.localdate(),
    }
    return render(request, "organizations/detail.html", context)


@login_required
@permission_required("organizations.add_organization", raise_exception=True)
@require_http_methods(["GET", "POST"])
def add_child(request: AuthedRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(Organization.objects.all(), request.user, pk=pk)
    form = OrganizationForm(request.POST or None)
    org = submit_form(
        request,
        form,
        lambda data: services.org_create(parent=parent, actor=request.user, **data),
        success=lambda org: f"已新建组织“{org.name}”",
    )
    if org is not None:
        return redirect("organizations:detail", org.pk)
    return render(request, "organizations/form.html", {"form": form, "parent": parent, "title": f"在“{parent.name}”下新建组织"})


@login_required
@permission_required("organizations.change_organization", raise_exception=True)
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization.objects.select_related("parent"), request.user, pk=pk)
    form = OrganizationForm(request.POST or None, instance=org)
    saved = submit_form(
        request,
        form,
        # Validation has already written the posted values onto `org`: the service gets an untouched copy.
        lambda data: services.org_update(org=Organization.objects.get(pk=org.pk), actor=request.user, **data),
        success="已保存",
    )
    if saved is not None:
        return redirect("organizations:detail", org.pk)
    return render(request, "organizations/form.html", {"form": form, "org": org, "title": f"修改“{org.name}”"})


@login_required
@permission_required("organizations.move_organization", raise_exception=True)
@require_http_methods(["GET", "POST"])
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization.objects.select_related("parent"), request.user, pk=pk)
    form = MoveForm(
        request.POST or None, organizations=restrict(Organization.objects.select_related("parent"), request.user).order_by("path")
    )
    moved = submit_form(
        request,
        form,
        lambda data: services.org_move(org=org, new_parent=data["new_parent"], actor=request.user),
        success=lambda moved: f"已将“{org.name}”及其下级组织调整到“{form.cleaned_data['new_parent'].name}”之下",
    )
    if moved is not None:
        return redirect("organizations:detail", org.pk)
    return render(request, "organizations/move.html", {"form": form, "org": org})


@login_required
@permission_required("organizations.change_organization", raise_exception=True)
@require_http_methods(["POST"])
def set_economy(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization.objects.all(), request.user, pk=pk)
    form = EconomyForm(request.POST)
    if form.is_valid():
        try:
            services.economy_set(org=org, actor=request.user, **form.cleaned_data)
            messages.success(request, "已保存集体经济收入")
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("organizations:detail", org.pk)


@login_required
def people(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.person_list(request.user, q=q))
    record_personal_read(
        actor=request.user,
        what=PEOPLE_LIST_PAGE,
        unmasked=can_see_personal_info(request.user),
        details={"q": q, "page": page.number},
    )
    return render(request, "organizations/people.html", {"page": page, "q": q, "qs": querystring_without_page(request)})


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("organization"), request.user, pk=pk)
    posts = restrict(Post.objects.filter(person=person).select_related("organization"), request.user)
    context = {"person": person, "posts": posts, "events": events_for_object(request.user, person)[:20]}
    return render(request, "organizations/person_detail.html", context)


@login_required
@permission_required("organizations.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization.objects.all(), request.user, pk=pk)
    form = PersonCreateForm(request.POST or None)
    person = submit_form(
        request,
        form,
        lambda data: services.person_create(organization=org, actor=request.user, **data),
        success=lambda person: f"已登记人员“{person.name}”",
    )
    if person is not None:
        return redirect("organizations:person", person.pk)
    return render(request, "organizations/form.html", {"form": form, "title": f"在“{org.name}”登记人员"})


@login_required
@permission_required("organizations.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("organization"), request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    saved = submit_form(
        request,
        form,
        # As in edit: the service gets a copy that validation has not written onto.
        lambda data: services.person_update(person=Person.objects.get(pk=pk), actor=request.user, **data),
        success="已保存",
    )
    if saved is not None:
        return redirect("organizations:person", pk)
    return render(request, "organizations/form.html", {"form": form, "title": f"修改人员“{person.name}”"})


@login_required
@permission_required("organizations.add_post", raise_exception=True)
@require_http_methods(["GET", "POST"])
def post_add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization.objects.all(), request.user, pk=pk)
    form = PostForm(request.POST or None, people=selectors.person_list(request.user))

    def assign(data: dict[str, Any]) -> Post:
        return services.post_assign(
            person=data["person"],
            organization=org,
            role=data["role"],
            actor=request.user,
            started_on=data["started_on"],
            note=data["note"],
        )

    if submit_form(request, form, assign, success="已安排任职") is not None:
        return redirect("organizations:detail", org.pk)
    assignment_roles = "、".join(role.label for role in ASSIGNMENT_ROLES)
    context = {"form": form, "org": org, "assignment_roles": assignment_roles, "title": f"为“{org.name}”安排任职"}
    return render(request, "organizations/post_add.html", context)


@login_required
@permission_required("organizations.change_post", raise_exception=True)
@require_http_methods(["GET", "POST"])
def post_end(request: AuthedRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("organization", "person"), request.user, pk=pk)
    form = EndPostForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    ended = submit_form(
        request, form, lambda data: services.post_end(post=post, actor=request.user, **data), success="已结束任职"
    )
    if ended is not None:
        return redirect("organizations:detail", post.organization_id)
    return render(request, "organizations/form.html", {"form": form, "title": f"结束任职：{post}"})


@login_required
@require_GET
def search(request: AuthedRequest) -> HttpResponse:
    """htmx, for SearchSelect: <option>s of the organizations in scope matching q (at most SEARCH_LIMIT)."""
    levels = [v for v in request.GET.getlist("level") if v in Level.values]
    found = selectors.org_search(
        request.user,
        q=request.GET.get("q", "").strip(),
        levels=levels,
        under_id=parse_id(request.GET.get("under")),
        limit=SEARCH_LIMIT,
    )
    return render(request, "core/widgets/_options.html", {"options": [(o.pk, organization_label(o)) for o in found]})


@login_required
@require_GET
def people_search(request: AuthedRequest) -> HttpResponse:
    """htmx, for SearchSelect: <option>s of the people in scope matching q (at most SEARCH_LIMIT)."""
    found = selectors.person_search(request.user, q=request.GET.get("q", "").strip(), limit=SEARCH_LIMIT)
    return render(request, "core/widgets/_options.html", {"options": [(p.pk, person_label(p)) for p in found]})
