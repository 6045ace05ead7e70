"""Each account manages its own API tokens here; nobody else's."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhengdun.accounts.models import ApiToken
from zhengdun.accounts.token_services import MAX_DAYS, token_create, token_revoke
from zhengdun.core.errors import ServiceError


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, required=False, help_text="如：县里数据大屏、报表脚本")
    days = forms.IntegerField(
        label="有效天数", min_value=1, max_value=MAX_DAYS, required=False, help_text="留空表示长期有效，直到吊销"
    )


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    raw = ""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = token_create(
                user=request.user, actor=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenForm()
    own = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    # The raw token is rendered in this response only; it is not stored anywhere.
    context = {"tokens": own, "form": form, "raw": raw, "now": timezone.now()}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    # Tokens belong to their account alone: another's token is not found.
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    try:
        token_revoke(token=token, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已吊销尾号为 {token.hint} 的令牌")
    return redirect("accounts:tokens")
