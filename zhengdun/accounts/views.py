from typing import cast

from django import shortcuts
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhengdun.accounts import selectors, services
from zhengdun.accounts.forms import TokenForm, UserForm
from zhengdun.accounts.models import User
from zhengdun.accounts.roles import Role
from zhengdun.core.errors import ServiceError
from zhengdun.core.http import AuthedRequest, paginate, querystring_without_page, submit_form
from zhengdun.core.scoping import get_object_or_404, restrict
from zhengdun.organizations.models import Organization


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_list(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, selectors.user_list(request.user))
    context = {
        "page": page,
        "qs": querystring_without_page(request),
        "roles": dict(Role.choices),
        "locked": selectors.locked_usernames(u.username for u in page.object_list),
    }
    return render(request, "accounts/list.html", context)


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_POST
def user_unlock(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("organization"), request.user, pk=pk)
    try:
        services.user_unlock(actor=request.user, user=user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已解除账号“{user.username}”的登录锁定")
    return redirect("accounts:list")


def _org_or_error(request: HttpRequest, form: UserForm) -> Organization | None:
    org = restrict(Organization.objects.filter(code=form.cleaned_data["org_code"].strip()), request.user).first()
    if org is None:
        form.add_error("org_code", "在您的管辖范围内找不到该编码的组织")
    return org


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_http_methods(["GET", "POST"])
def user_add(request: AuthedRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (org := _org_or_error(request, form)):
        created = submit_form(
            request,
            form,
            lambda data: services.user_create(
                actor=request.user,
                username=data["username"],
                display_name=data["display_name"],
                phone=data["phone"],
                organization=org,
                roles=data["roles"],
                password=data["password"],
                is_active=data["is_active"],
            ),
            success=lambda created: f"已创建账号“{created.username}”",
        )
        if created is not None:
            return redirect("accounts:list")
    return render(request, "organizations/form.html", {"form": form, "title": "新建账号"})


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("organization"), request.user, pk=pk)
    initial = {
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "is_active": user.is_active,
        "org_code": user.organization.code if user.organization else "",
        "roles": user.role_codes,
    }
    form = UserForm(request.POST or None, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid() and (org := _org_or_error(request, form)):
        saved = submit_form(
            request,
            form,
            lambda data: services.user_update(
                actor=request.user,
                user=user,
                display_name=data["display_name"],
                phone=data["phone"],
                organization=org,
                roles=data["roles"],
                is_active=data["is_active"],
                password=data["password"],
            ),
            success="已保存账号",
        )
        if saved is not None:
            return redirect("accounts:list")
    return render(request, "organizations/form.html", {"form": form, "title": f"修改账号“{user.username}”"})


@never_cache
@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required: a signed-in account
    raw = ""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.token_create(
                user=user,
                actor=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                access=form.cleaned_data["access"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenForm()
    # The raw token is rendered in this response only; it is not stored anywhere.
    context = {"tokens": selectors.own_tokens(user), "form": form, "raw": raw, "now": timezone.now()}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    # Tokens belong to their account alone: another's token is not found.
    token = shortcuts.get_object_or_404(selectors.own_tokens(cast(User, request.user)), pk=token_id)
    try:
        services.token_revoke(token=token, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已吊销尾号为 {token.hint} 的令牌")
    return redirect("accounts:tokens")
