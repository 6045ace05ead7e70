"""Roster import pages: upload -> preview -> confirm, and the template download."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhengdun.core.errors import ServiceError
from zhengdun.core.http import AuthedRequest
from zhengdun.core.xlsx_reading import check_size
from zhengdun.roster import messages as msg
from zhengdun.roster import store
from zhengdun.roster.forms import UploadForm
from zhengdun.roster.plan import ImportPlan
from zhengdun.roster.services import (
    IMPORT_PERM,
    ImportRejected,
    default_year,
    import_roster,
    preview_roster,
)
from zhengdun.roster.template import TEMPLATE_FILE_NAME, build_template

ERR_EXPIRED = "导入文件已过期或不存在，请重新上传"
# A province's file changes tens of thousands of rows: the page lists the first ones, the
# summary counts all, and `manage.py import_orgs --dry-run` prints every one.
PREVIEW_ROWS = 200


def _preview(request: HttpRequest, plan: ImportPlan, *, file_name: str, token: str = "") -> HttpResponse:
    changed, errors = plan.changed_rows, plan.errors
    context = {
        "plan": plan,
        "changed_rows": changed[:PREVIEW_ROWS],
        "errors": errors[:PREVIEW_ROWS],
        "rows_left_out": msg.ROWS_LEFT_OUT.format(n=len(changed) - PREVIEW_ROWS) if len(changed) > PREVIEW_ROWS else "",
        "errors_left_out": msg.ERRORS_LEFT_OUT.format(n=len(errors) - PREVIEW_ROWS) if len(errors) > PREVIEW_ROWS else "",
        "file_name": file_name,
        "token": token,
        "rejected": msg.ERR_REJECTED.format(n=len(plan.errors)),
        "nothing_to_do": msg.NOTHING_TO_DO,
    }
    return render(request, "roster/preview.html", context)


@login_required
@permission_required(IMPORT_PERM, raise_exception=True)
def upload(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, initial={"year": default_year()})
    if request.method == "POST" and form.is_valid():
        uploaded, year = form.cleaned_data["file"], form.cleaned_data["year"]
        try:
            check_size(uploaded.size)
            data = uploaded.read()
            plan = preview_roster(data=data, actor=request.user, year=year)
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            token = ""
            if plan.ok and plan.changed_rows:
                token = store.save(request.user, data=data, file_name=uploaded.name, year=year)
            return _preview(request, plan, file_name=uploaded.name, token=token)
    return render(request, "roster/upload.html", {"form": form})


@login_required
@permission_required(IMPORT_PERM, raise_exception=True)
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    stored = store.load(request.user, request.POST.get("token", ""))
    if stored is None:
        messages.error(request, ERR_EXPIRED)
        return redirect("roster:upload")
    try:
        plan = import_roster(data=stored.data, file_name=stored.file_name, actor=request.user, year=stored.year)
    except ImportRejected as exc:
        store.discard(request.user, stored.token)
        return _preview(request, exc.plan, file_name=stored.file_name)
    except ServiceError as exc:
        store.discard(request.user, stored.token)
        messages.error(request, exc.message)
        return redirect("roster:upload")
    store.discard(request.user, stored.token)
    done = msg.DONE if plan.changed_rows else msg.NOTHING_TO_DO + "：" + msg.SUMMARY
    messages.success(request, done.format(created=plan.created, updated=plan.updated, unchanged=plan.unchanged))
    return redirect("roster:upload")


@login_required
@permission_required(IMPORT_PERM, raise_exception=True)
@require_GET
def template(request: AuthedRequest) -> FileResponse:
    return FileResponse(io.BytesIO(build_template()), as_attachment=True, filename=TEMPLATE_FILE_NAME)
