"""The second-factor pages: passing it at sign-in, enrolling an authenticator app,
recovery codes, and the account's own security page (passkeys: passkey_views.py)."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengdun.accounts.models import User
from zhengdun.accounts.second_factor import passkeys, policy, services
from zhengdun.accounts.second_factor.forms import CodeForm
from zhengdun.accounts.second_factor.middleware import session_forget, session_passed
from zhengdun.core.errors import ServiceError
from zhengdun.core.http import AuthedRequest
from zhengdun.core.public.qr import qr_svg
from zhengdun.core.scoping import get_object_or_404


def account_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def passed(request: HttpRequest, device: Device) -> None:
    # A new session key once the second factor is passed, as at password sign-in.
    request.session.cycle_key()
    django_otp.login(request, device)
    session_passed(request.session, device)


def codes_page(request: HttpRequest, codes: list[str], *, enrolled: bool, by_passkey: bool = False) -> HttpResponse:
    # The codes are rendered in this response only; afterwards only their count is shown.
    context = {"codes": codes, "enrolled": enrolled, "by_passkey": by_passkey, "next": next_url(request)}
    return render(request, "accounts/second_factor/codes.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthedRequest) -> HttpResponse:
    user = account_of(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url(request))
    if not policy.is_enrolled(user):
        return redirect("second_factor:enrol") if policy.required_by_policy(user) else redirect(next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify(user=user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            form.add_error("code", exc.message)
        else:
            passed(request, device)
            left = services.recovery_codes_left(user)
            if left <= 3:
                messages.warning(request, f"剩余恢复码仅 {left} 个，请在“账号安全”页面重新生成")
            return redirect(next_url(request))
    context = {
        "form": form,
        "next": next_url(request),
        "second_factor_pending": True,
        "has_authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "has_passkeys": bool(passkeys.passkeys_of(user)),
    }
    return render(request, "accounts/second_factor/verify.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: AuthedRequest) -> HttpResponse:
    user = account_of(request)
    enrolled = policy.is_enrolled(user)
    if enrolled and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("second_factor:verify")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        messages.info(request, services.ERR_ALREADY_ENROLLED)
        return redirect("second_factor:overview")
    device = services.totp_begin(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except ServiceError as exc:
            form.add_error("code", exc.message)
        else:
            passed(request, device)
            return codes_page(request, codes, enrolled=True)
    secret = services.secret_of(device)
    context = {
        "form": form,
        "qr": qr_svg(device.config_url),
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        # An account with a passkey adds an authenticator beside it, by choice.
        "required": policy.required_by_policy(user) and not enrolled,
        "offer_passkey": not enrolled,
        "next": next_url(request),
        # Until enrolled, an account that must enrol sees no menu: it leads nowhere yet.
        "second_factor_pending": policy.required_by_policy(user) and not enrolled,
    }
    return render(request, "accounts/second_factor/enrol.html", context)


@never_cache
@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    user = account_of(request)
    context = {
        "enrolled": policy.is_enrolled(user),
        "has_authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "passkeys": passkeys.passkeys_of(user),
        "required": policy.required_by_policy(user),
        "codes_left": services.recovery_codes_left(user),
    }
    return render(request, "accounts/second_factor/overview.html", context)


@never_cache
@login_required
@require_POST
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(user=account_of(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("second_factor:overview")
    return codes_page(request, codes, enrolled=False)


@login_required
@require_POST
def remove(request: AuthedRequest) -> HttpResponse:
    user = account_of(request)
    try:
        services.authenticator_remove(user=user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("second_factor:overview")
    session_forget(request.session)
    if policy.is_enrolled(user):
        messages.success(request, "已移除身份验证器，登录时请使用通行密钥")
        return redirect("second_factor:overview")
    if policy.required_by_policy(user):
        messages.warning(request, "已移除身份验证器。您的账号必须使用双因素认证，请立即绑定新的身份验证器")
        return redirect("second_factor:enrol")
    messages.success(request, "已移除身份验证器，登录时不再需要验证码")
    return redirect("second_factor:overview")


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_POST
def reset(request: AuthedRequest, pk: int) -> HttpResponse:
    """An account manager clears the second factor of an account in scope (a lost phone)."""
    user = get_object_or_404(User.objects.select_related("organization"), request.user, pk=pk)
    try:
        services.second_factor_reset(actor=request.user, user=user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已重置账号“{user.username}”的双因素认证，其下次登录时需重新绑定")
    return redirect("accounts:list")
