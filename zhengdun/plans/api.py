"""Plans (整顿方案): drafting, measures, submission, reviews, versions, 四必审
and the plan as a Word document."""

import io
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from zhengdun.core.api import WRITE_ERRORS, ErrorOut, Page, caller
from zhengdun.core.errors import ServiceError
from zhengdun.core.scoping import get_object_or_404
from zhengdun.organizations.models import Person
from zhengdun.plans import four_reviews, measures, selectors, services
from zhengdun.plans.diff import diff_contents
from zhengdun.plans.documents import docx_filename, plan_docx
from zhengdun.plans.models import Plan, PlanStatus, PlanVersion
from zhengdun.plans.schemas import (
    DiffOut,
    FourReviewIn,
    FourReviewRowOut,
    MeasureIn,
    MeasureOut,
    MeasurePatch,
    PlanCreateIn,
    PlanDetailOut,
    PlanListOut,
    PlanPatch,
    ReviewIn,
    ReviewOut,
    VersionDetailOut,
    VersionIn,
)

router = Router(tags=["整顿方案"])

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return selectors.plan_with_details(caller(request), plan_id)


def _owner(request: HttpRequest, plan: Plan, owner_id: int | None) -> Person | None:
    if owner_id is None:
        return None
    owner = selectors.measure_owners(caller(request), plan.case.organization).filter(pk=owner_id).first()
    if owner is None:
        raise ServiceError(measures.ERR_OWNER_PERSON)
    return owner


@router.get("/plans", response=list[PlanListOut], summary="整顿方案列表")
@paginate(Page)
def plan_list(request: HttpRequest, status: PlanStatus | None = None, campaign: int | None = None, q: str = "") -> Any:
    return selectors.plan_list(caller(request), status=status or "", campaign_id=campaign, q=q)


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="整顿方案详情")
def plan_detail(request: HttpRequest, plan_id: int) -> Any:
    return _plan(request, plan_id)


@router.post("/cases/{case_id}/plan", response={201: PlanDetailOut, **WRITE_ERRORS}, summary="制定整顿方案")
def plan_create(request: HttpRequest, case_id: int, payload: PlanCreateIn) -> Any:
    case = selectors.case_get(caller(request), case_id)
    plan = services.plan_create(case=case, actor=caller(request), from_findings=payload.from_findings)
    return Status(201, _plan(request, plan.pk))


@router.patch("/plans/{plan_id}", response={200: PlanDetailOut, **WRITE_ERRORS}, summary="修改整顿方案")
def plan_update(request: HttpRequest, plan_id: int, payload: PlanPatch) -> Any:
    fields = payload.dict(exclude={"version"})
    services.plan_update(plan=_plan(request, plan_id), actor=caller(request), expected_version=payload.version, **fields)
    return _plan(request, plan_id)


@router.post("/plans/{plan_id}/measures", response={201: MeasureOut, **WRITE_ERRORS}, summary="添加整改措施")
def measure_add(request: HttpRequest, plan_id: int, payload: MeasureIn) -> Any:
    plan = _plan(request, plan_id)
    data = payload.dict(exclude={"owner_id"})
    task = measures.measure_save(
        plan=plan, actor=caller(request), task_id=None, owner=_owner(request, plan, payload.owner_id), **data
    )
    return Status(201, task)


@router.patch("/plans/{plan_id}/measures/{task_id}", response={200: MeasureOut, **WRITE_ERRORS}, summary="修改整改措施")
def measure_update(request: HttpRequest, plan_id: int, task_id: int, payload: MeasurePatch) -> Any:
    plan = _plan(request, plan_id)
    task = next((t for t in plan.tasks.all() if t.pk == task_id), None)
    if task is None:
        raise Http404("不存在或无权访问")
    given = payload.dict(exclude_unset=True, exclude={"version", "owner_id"})
    data = {f: getattr(task, f) for f in measures.FIELDS if f != "owner"} | given
    owner = _owner(request, plan, payload.owner_id) if "owner_id" in payload.model_fields_set else task.owner
    saved = measures.measure_save(
        plan=plan, actor=caller(request), task_id=task.pk, expected_version=payload.version, owner=owner, **data
    )
    return saved


@router.delete("/plans/{plan_id}/measures/{task_id}", response={204: None, **WRITE_ERRORS}, summary="删除整改措施")
def measure_delete(request: HttpRequest, plan_id: int, task_id: int) -> Any:
    measures.measure_delete(plan=_plan(request, plan_id), actor=caller(request), task_id=task_id)
    return Status(204, None)


@router.post("/plans/{plan_id}/submit", response={200: PlanDetailOut, **WRITE_ERRORS}, summary="提交审核")
def plan_submit(request: HttpRequest, plan_id: int, payload: VersionIn) -> Any:
    services.plan_submit(plan=_plan(request, plan_id), actor=caller(request), expected_version=payload.version)
    return _plan(request, plan_id)


@router.post("/plans/{plan_id}/reviews", response={201: ReviewOut, **WRITE_ERRORS}, summary="审核（乡镇审核或县级审批）")
def plan_review(request: HttpRequest, plan_id: int, payload: ReviewIn) -> Any:
    review = services.plan_review(
        plan=_plan(request, plan_id),
        actor=caller(request),
        level=payload.level,
        decision=payload.decision,
        comments=payload.comments,
        expected_version=payload.version,
    )
    return Status(201, review)


@router.get("/plans/{plan_id}/versions/{number}", response=VersionDetailOut, summary="方案的某一版本")
def plan_version(request: HttpRequest, plan_id: int, number: int) -> Any:
    return selectors.plan_version_get(selectors.plan_get(caller(request), plan_id), number)


@router.get("/plans/{plan_id}/diff", response=DiffOut, summary="自某一版本以来的修改")
def plan_diff(request: HttpRequest, plan_id: int, since: int | None = None) -> Any:
    """Without `since`, from the version the caller last saw on the plan page."""
    plan = _plan(request, plan_id)
    since = since or selectors.seen_version_number(plan, caller(request))
    if since is None:
        return {"since": None, "sections": []}
    base = selectors.plan_version_get(plan, since)
    current = selectors.plan_content(plan, list(plan.tasks.all()))
    return {"since": since, "sections": [d.__dict__ for d in diff_contents(base.content, current)]}


@router.get("/cases/{case_id}/four-reviews", response=list[FourReviewRowOut], summary="“四必审”清单")
def four_review_list(request: HttpRequest, case_id: int, year: int | None = None) -> Any:
    case = selectors.case_get(caller(request), case_id)
    return [
        {
            "item": row.item,
            "label": row.label,
            "done": row.done,
            "reviewed_on": row.review.reviewed_on if row.review else None,
            "reviewed_by": str(row.review.reviewed_by or "") if row.review else "",
            "note": row.review.note if row.review else "",
        }
        for row in selectors.four_review_checklist(caller(request), case, year)
    ]


@router.post("/cases/{case_id}/four-reviews", response={201: list[FourReviewRowOut], **WRITE_ERRORS}, summary="登记“四必审”")
def four_review_record(request: HttpRequest, case_id: int, payload: FourReviewIn) -> Any:
    case = selectors.case_get(caller(request), case_id)
    four_reviews.four_review_record(case=case, actor=caller(request), **payload.dict())
    return Status(201, four_review_list(request, case_id, payload.year))


@router.get(
    "/plans/{plan_id}/docx",
    response={200: None, 404: ErrorOut},
    summary="方案 Word 文档（GB/T 9704-2012 版式）",
    openapi_extra={"responses": {200: {"description": "Word 文档", "content": {DOCX_TYPE: {}}}}},
)
def plan_docx_download(request: HttpRequest, plan_id: int, version: int | None = None) -> Any:
    plan = selectors.plan_get(caller(request), plan_id)
    chosen = None
    if version is not None:
        chosen = get_object_or_404(PlanVersion.objects.filter(plan=plan), caller(request), number=version)
    return FileResponse(io.BytesIO(plan_docx(plan, chosen)), as_attachment=True, filename=docx_filename(plan, chosen))
