from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengdun.dashboard.selectors import summary_for
from zhengdun.dashboard.todo import todo_for


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    groups = todo_for(request.user)
    context = {
        "groups": groups,
        "waiting": sum(group.total for group in groups),
        "summary": summary_for(request.user),
    }
    return render(request, "dashboard/home.html", context)
