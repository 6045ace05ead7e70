"""A job's page (its progress bar polled by htmx) and its file, for the job's owner only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from zhengdun.core.errors import ServiceError
from zhengdun.core.http import AuthedRequest
from zhengdun.core.jobs import selectors, services

# How often the page asks for the job's progress while it runs.
POLL_SECONDS = 1


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_of_owner(request.user, pk)
    # htmx polls the status block alone; it stops polling once the job is done or failed.
    template = "jobs/_status.html" if request.headers.get("HX-Request") else "jobs/detail.html"
    return render(request, template, {"job": job, "poll_seconds": POLL_SECONDS})


@login_required
@require_GET
def download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    job = selectors.job_of_owner(request.user, pk)
    try:
        path = services.job_download(job=job, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("jobs:detail", pk=job.pk)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)
    response["Cache-Control"] = "private, no-store"
    return response
