from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengdun.core.http import AuthedRequest
from zhengdun.dashboard.selectors import summary_for
from zhengdun.dashboard.todo import todo_for


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    groups = todo_for(user)
    context = {
        "groups": groups,
        "waiting": sum(group.total for group in groups),
        "summary": summary_for(user),
    }
    return render(request, "dashboard/home.html", context)
