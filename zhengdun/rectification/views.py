"""Task pages: the board of a plan, one task with its evidence and extension
requests, the requests waiting for me, and everything overdue in my subtree."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.forms import Form
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhengdun.audit.selectors import events_for_object
from zhengdun.audit.services import record_download
from zhengdun.core.errors import ConflictError, ServiceError
from zhengdun.core.http import AuthedRequest, paginate
from zhengdun.plans.models import Task, TaskStatus
from zhengdun.plans.transitions import TASK_WORKFLOW
from zhengdun.rectification import selectors
from zhengdun.rectification import services as tasks
from zhengdun.rectification.forms import EvidenceForm, ExtensionDecisionForm, ExtensionRequestForm, TaskProgressForm
from zhengdun.rectification.models import ExtensionStatus
from zhengdun.rectification.rules import is_above
from zhengdun.rectification.transitions import EXTENSION_WORKFLOW
from zhengdun.rectification.uploads import serve


@login_required
@require_GET
def task_board(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    rows = selectors.mark_overdue(selectors.plan_tasks(request.user, plan))
    return render(request, "rectification/task_board.html", {"plan": plan, "tasks": rows, "today": timezone.localdate()})


def _detail(request: AuthedRequest, task: Task, status: int = 200, **forms: Form) -> HttpResponse:
    """The task page, with any bound form that failed kept as the user filled it.

    What the user may do to the task's status and to a pending extension comes
    from the two tables' offers, the same ones the API returns; a step held back
    by a rule (done without evidence) is shown with its reason and the way forward.
    """
    user = request.user
    selectors.mark_overdue([task])
    approved = task.plan.approved_version_id is not None
    offers = TASK_WORKFLOW.offers(task, user) if approved else []
    reachable = [task.status, *[o.transition.target for o in offers if o.allowed and o.transition.target]]
    may_edit = approved and user.has_perm("plans.change_task") and (task.status != TaskStatus.DONE or len(reachable) > 1)
    extensions = list(selectors.task_extensions(user, task))
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    decisions = [o for o in EXTENSION_WORKFLOW.offers(pending, user) if o.allowed] if pending else []
    initial = {"version": task.version, "status": task.status, "progress": task.progress, "actual_value": task.actual_value}
    context: dict[str, Any] = {
        "task": task,
        "evidence": selectors.task_evidence(user, task),
        "reports": selectors.task_reports(user, task)[: selectors.RECENT_REPORTS],
        "extensions": extensions,
        "can_progress": may_edit,
        "blocked": [o for o in offers if not o.allowed],
        "can_upload": approved and user.has_perm("rectification.add_evidence"),
        "can_remove_any": is_above(user, task.plan.case.organization.path)
        and user.has_perm("plans.change_task")
        and task.status != TaskStatus.DONE,
        "can_request": approved
        and user.has_perm("rectification.add_extensionrequest")
        and task.status != TaskStatus.DONE
        and not pending,
        "can_decide": bool(decisions),
        "pending": pending,
        "progress_form": forms.get("progress_form") or TaskProgressForm(initial=initial, statuses=reachable),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "extension_form": forms.get("extension_form") or ExtensionRequestForm(),
        "decision_form": ExtensionDecisionForm(),
        "events": events_for_object(user, task)[:20] if user.has_perm("audit.view_auditevent") else [],
    }
    return render(request, "rectification/task_detail.html", context, status=status)


@login_required
@require_GET
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.task_get(request.user, pk))


@login_required
@permission_required("plans.change_task", raise_exception=True)
@require_POST
def task_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(request.user, pk)
    form = TaskProgressForm(request.POST)
    if not form.is_valid():
        return _detail(request, task, status=400, progress_form=form)
    data = form.cleaned_data
    try:
        tasks.task_progress(
            task=task,
            actor=request.user,
            expected_version=data["version"],
            status=data["status"],
            progress=data["progress"],
            actual_value=data["actual_value"],
            note=data["note"],
        )
    except ConflictError as exc:
        # The page is out of date: show the current task rather than the stale form.
        messages.error(request, exc.message)
        return redirect("rectification:task_detail", task.pk)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _detail(request, task, status=exc.status, progress_form=form)
    messages.success(request, "已保存任务进度")
    return redirect("rectification:task_detail", task.pk)


@login_required
@permission_required("rectification.add_evidence", raise_exception=True)
@require_POST
def evidence_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, task, status=400, evidence_form=form)
    try:
        evidence = tasks.evidence_add(
            task=task, actor=request.user, uploaded_file=form.cleaned_data["file"], note=form.cleaned_data["note"]
        )
    except ServiceError as exc:
        form.add_error("file", exc.message)
        return _detail(request, task, status=exc.status, evidence_form=form)
    messages.success(request, f"已上传佐证材料：{evidence.original_name}")
    return redirect("rectification:task_detail", task.pk)


@login_required
@require_GET
def evidence_file(request: AuthedRequest, pk: int) -> FileResponse:
    evidence = selectors.evidence_get(request.user, pk)
    response = serve(evidence)
    record_download(actor=request.user, obj=evidence, file_name=evidence.original_name)
    return response


@login_required
@require_POST
def evidence_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get(request.user, pk)
    try:
        tasks.evidence_remove(evidence=evidence, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除佐证材料：{evidence.original_name}")
    return redirect("rectification:task_detail", evidence.task_id)


@login_required
@permission_required("rectification.add_extensionrequest", raise_exception=True)
@require_POST
def extension_request(request: AuthedRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(request.user, pk)
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        return _detail(request, task, status=400, extension_form=form)
    try:
        tasks.extension_request(
            task=task, actor=request.user, new_deadline=form.cleaned_data["new_deadline"], reason=form.cleaned_data["reason"]
        )
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _detail(request, task, status=exc.status, extension_form=form)
    messages.success(request, "已提交延期申请，等待上级审批")
    return redirect("rectification:task_detail", task.pk)


@login_required
@permission_required("rectification.decide_extension", raise_exception=True)
@require_POST
def extension_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    extension = selectors.extension_get(request.user, pk)
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或不同意")
    else:
        approve = form.cleaned_data["decision"] == "approve"
        try:
            tasks.extension_decide(request=extension, actor=request.user, approve=approve, note=form.cleaned_data["note"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已{'同意' if approve else '不同意'}延期：{extension.task}")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("rectification:extensions")


@login_required
@require_GET
def extensions(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, selectors.extensions_to_decide(request.user))
    return render(request, "rectification/task_extensions.html", {"page": page, "decision_form": ExtensionDecisionForm()})


@login_required
@require_GET
def overdue(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, selectors.overdue_tasks(request.user))
    # Mark the rows of this page once; the template iterates the same list.
    return render(request, "rectification/task_overdue.html", {"page": page, "rows": selectors.mark_overdue(page.object_list)})
