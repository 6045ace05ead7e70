"""Pages of the sign-in rules: one's own password and sessions, the security policy."""

from django import shortcuts
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhengdun.accounts import policy
from zhengdun.accounts.models import User
from zhengdun.accounts.security import passwords, selectors, services
from zhengdun.accounts.security.forms import PasswordChangeForm, PolicyForm
from zhengdun.core.http import AuthedRequest, submit_form


def _me(request: AuthedRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    user = _me(request)
    form = PasswordChangeForm(request.POST or None)
    reason = ""
    if user.must_change_password and not user.is_demo:
        reason = "管理员为您设置了密码，请先修改为只有您知道的密码，然后才能继续使用系统。"
    elif passwords.must_change(user):
        reason = f"您的密码已使用超过 {policy.current().password_max_age_days} 天，请先修改密码，然后才能继续使用系统。"
    changed = submit_form(
        request,
        form,
        lambda data: services.password_change(
            user=user,
            old_password=data["old_password"],
            new_password=data["new_password"],
            keep_session_key=request.session.session_key,
        ),
        success="密码已修改，您的其他登录会话和访问令牌已失效",
    )
    if changed is not None:
        old_key = request.session.session_key
        update_session_auth_hash(request, changed)
        services.session_moved(old_key=old_key, new_key=request.session.session_key)
        return redirect("home")
    return render(request, "accounts/security/password_change.html", {"form": form, "title": "修改密码", "reason": reason})


@never_cache
@login_required
def sessions(request: AuthedRequest) -> HttpResponse:
    context = {"sessions": selectors.own_sessions(_me(request)), "current": request.session.session_key}
    return render(request, "accounts/security/sessions.html", context)


@login_required
@require_POST
def session_end(request: AuthedRequest, pk: int) -> HttpResponse:
    # Sessions belong to their account alone: another's is not found.
    others = selectors.own_sessions(_me(request)).exclude(session_key=request.session.session_key)
    found = shortcuts.get_object_or_404(others, pk=pk)
    services.session_end(actor=request.user, session=found)
    messages.success(request, f"已结束 {found.ip or '未知地址'} 上的登录会话")
    return redirect("accounts:sessions")


@never_cache
@login_required
@permission_required("accounts.manage_security_policy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def security_policy(request: AuthedRequest) -> HttpResponse:
    initial = {**services.dataclass_values(policy.current()), "version": selectors.policy_version()}
    form = PolicyForm(request.POST or None, initial=initial)
    saved = submit_form(
        request,
        form,
        lambda data: services.policy_update(actor=request.user, **data),
        success="已保存安全策略",
    )
    if saved is not None:
        return redirect("accounts:security_policy")
    return render(request, "accounts/security/policy.html", {"form": form, "title": "安全策略"})
