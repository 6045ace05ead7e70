"""The passkey pages: the options each ceremony's browser call takes (JSON, fetched by
accounts/static/accounts/passkeys.js), and the forms the script posts its answer with.
The verify and enrol pages host them, so an unverified session reaches the ones it needs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY

from zhengdun.accounts.models import User
from zhengdun.accounts.second_factor import passkeys, policy
from zhengdun.accounts.second_factor.middleware import session_forget
from zhengdun.accounts.second_factor.models import Passkey
from zhengdun.accounts.second_factor.views import account_of, codes_page, next_url, passed
from zhengdun.core.errors import ServiceError
from zhengdun.core.http import AuthedRequest

ERR_PENDING = "请先通过双因素认证，再添加通行密钥"
ERR_NO_PASSKEYS = "本账号还没有添加通行密钥"


def _json_options(options: str) -> HttpResponse:
    return HttpResponse(options, content_type="application/json; charset=utf-8")


def _refused(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _may_add(user: User) -> bool:
    # An account that has a second factor adds another only after passing it: else a
    # stolen password alone could add the thief's passkey.
    return not policy.is_enrolled(user) or bool(user.is_verified())  # type: ignore[attr-defined]


def _verify_url(request: HttpRequest) -> str:
    return f"{reverse('second_factor:verify')}?{urlencode({'next': next_url(request)})}"


@never_cache
@login_required
@require_POST
def register_options(request: AuthedRequest) -> HttpResponse:
    user = account_of(request)
    if not _may_add(user):
        return _refused(ERR_PENDING, 403)
    options, challenge = passkeys.registration_options(user=user, rp=passkeys.relying_party(request))
    passkeys.challenge_keep(request.session, purpose=passkeys.REGISTER, challenge=challenge)
    return _json_options(options)


@never_cache
@login_required
@require_POST
def register(request: AuthedRequest) -> HttpResponse:
    user = account_of(request)
    if not _may_add(user):
        messages.error(request, ERR_PENDING)
        return redirect(_verify_url(request))
    first = not policy.is_enrolled(user)
    challenge = passkeys.challenge_take(request.session, purpose=passkeys.REGISTER)
    try:
        passkey, codes = passkeys.passkey_register(
            user=user,
            name=request.POST.get("name", ""),
            credential=request.POST.get("credential", ""),
            challenge=challenge,
            rp=passkeys.relying_party(request),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        back = reverse("second_factor:enrol" if first else "second_factor:overview")
        return redirect(f"{back}?{urlencode({'next': next_url(request)})}" if first else back)
    if first:
        # Made just now with the passkey in hand: the session has passed with it.
        passed(request, passkey)
    if codes:
        return codes_page(request, codes, enrolled=first, by_passkey=True)
    messages.success(request, f"已添加通行密钥“{passkey.name}”")
    return redirect(next_url(request) if first else reverse("second_factor:overview"))


@never_cache
@login_required
@require_POST
def login_options(request: AuthedRequest) -> HttpResponse:
    user = account_of(request)
    if not passkeys.passkeys_of(user):
        return _refused(ERR_NO_PASSKEYS, 400)
    options, challenge = passkeys.authentication_options(user=user, rp=passkeys.relying_party(request))
    passkeys.challenge_keep(request.session, purpose=passkeys.LOGIN, challenge=challenge)
    return _json_options(options)


@never_cache
@login_required
@require_POST
def login(request: AuthedRequest) -> HttpResponse:
    user = account_of(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url(request))
    challenge = passkeys.challenge_take(request.session, purpose=passkeys.LOGIN)
    try:
        passkey = passkeys.passkey_verify(
            user=user, credential=request.POST.get("credential", ""), challenge=challenge, rp=passkeys.relying_party(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_verify_url(request))
    passed(request, passkey)
    return redirect(next_url(request))


@login_required
@require_POST
def remove(request: AuthedRequest, pk: int) -> HttpResponse:
    user = account_of(request)
    try:
        removed = passkeys.passkey_remove(user=user, passkey_id=pk)
    except Passkey.DoesNotExist:
        raise Http404(passkeys.ERR_NO_PASSKEY) from None
    if request.session.get(DEVICE_ID_SESSION_KEY) == removed:
        session_forget(request.session)
    if policy.required_by_policy(user) and not policy.is_enrolled(user):
        messages.warning(request, "已移除通行密钥。您的账号必须使用双因素认证，请立即绑定身份验证器或添加通行密钥")
        return redirect("second_factor:enrol")
    messages.success(request, "已移除通行密钥")
    return redirect("second_factor:overview")
