"""Writes to a plan: drafting, editing, submission and the two review levels.

Measures (the plan's task rows) are in measures.py, the 四必审 in
four_reviews.py. Every write here is atomic and audited; a stale `version`
is refused rather than written over. The status moves only along the plan's
table (plans/transitions.py).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from zhengdun.accounts.models import User
from zhengdun.audit.models import Action
from zhengdun.audit.services import record, snapshot
from zhengdun.campaigns.models import Criterion
from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.core.actors import Actor
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.plans import drafting
from zhengdun.plans.models import Plan, PlanReview, PlanSeen, PlanStatus, PlanVersion, ReviewDecision, ReviewLevel, Task
from zhengdun.plans.selectors import plan_content
from zhengdun.plans.signals import plan_version_frozen
from zhengdun.plans.transitions import PLAN_WORKFLOW, REVIEW_ACTIONS

ERR_NO_ADD = "您没有制定整顿方案的权限"
ERR_NO_CHANGE = "您没有修改整顿方案的权限"
ERR_CASE_STATE = "整顿对象当前状态为“{state}”，认定备案后才能制定整顿方案"
ERR_PLAN_EXISTS = "该整顿对象已有整顿方案，不能重复制定，请在原方案上修改"
ERR_NO_FINDINGS = "该整顿对象没有排查发现，不能据此生成方案，请从空白方案开始"
ERR_STALE = "该方案已被他人修改，您的修改没有保存。请刷新页面，在最新内容上重新修改"
ERR_REVIEW_STALE = "该方案已被他人修改或审核，您的操作没有生效，请刷新后重试"
ERR_NOT_EDITABLE = "方案当前状态为“{status}”，审核期间不能修改"
ERR_TITLE = "请填写方案标题"
ERR_TITLE_LONG = "方案标题不能超过 200 个字"
ERR_CRITERIA = "所选认定标准不属于本次整顿工作"
ERR_SUBMIT_STATE = "方案当前状态为“{status}”，不能提交审核"
ERR_SUBMIT_INCOMPLETE = "方案还不完整，不能提交审核"
ERR_SUBMIT_PROBLEMS = "请填写存在的问题"
ERR_SUBMIT_GOALS = "请填写整顿目标"
ERR_SUBMIT_MEASURES = "请至少添加一项整改措施（含责任人、完成时限和可衡量的目标）"
ERR_LEVEL = "未知的审核层级"
ERR_DECISION = "请选择审核结论：通过或退回修改"
ERR_NO_REVIEW = {
    ReviewLevel.TOWNSHIP: "您没有乡镇（街道）审核整顿方案的权限",
    ReviewLevel.COUNTY: "您没有县级审批整顿方案的权限",
}
ERR_REVIEW_STATE = "方案当前状态为“{status}”，不能进行{level}"
ERR_COMMENTS_REQUIRED = "退回修改须填写审核意见，写明需要修改的内容"

# Cases that are not (or no longer) on the list have no plan to draft.
NO_PLAN_STATES = (CaseState.SCREENED, CaseState.PROPOSED, CaseState.REMOVED, CaseState.DELISTED)
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.APPROVED)
SUBMITTABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
REVIEW_PERMISSION = {ReviewLevel.TOWNSHIP: "plans.review_plan", ReviewLevel.COUNTY: "cases.approve_plan"}
REVIEW_FROM = {ReviewLevel.TOWNSHIP: PlanStatus.SUBMITTED, ReviewLevel.COUNTY: PlanStatus.TOWNSHIP_REVIEWED}
# The public link token is not part of the trail: reading the trail must not publish the plan.
AUDITED = [f.name for f in Plan._meta.concrete_fields if f.name not in {"public_token", "updated_at"}]


def _snap(plan: Plan) -> dict[str, Any]:
    data = snapshot(plan, AUDITED)
    data["criteria"] = sorted(plan.criteria.values_list("code", flat=True))
    return data


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _require(actor: Actor, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise NotPermitted(message)


def _clean_text(value: str) -> str:
    # Browsers send CRLF; stored text keeps LF so versions compare line by line.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


@transaction.atomic
def plan_create(*, case: Case, actor: Actor, from_findings: bool = False) -> Plan:
    """Start the plan of a listed organization, blank or from its screening findings.

    Either way the facts the system already holds are filled in: households,
    population, members, the latest collective income, the leading group from
    the active posts, the title and the issuing body.
    """
    org = case.organization
    ensure_org_in_scope(actor, org)
    _require(actor, "plans.add_plan", ERR_NO_ADD)
    case = Case.objects.select_for_update(of=("self",)).select_related("organization__parent", "campaign").get(pk=case.pk)
    if case.state in NO_PLAN_STATES:
        raise ServiceError(ERR_CASE_STATE.format(state=case.get_state_display()))
    if Plan.objects.filter(case=case).exists():
        raise ServiceError(ERR_PLAN_EXISTS)
    findings = drafting.findings_of(case) if from_findings else []
    if from_findings and not findings:
        raise ServiceError(ERR_NO_FINDINGS)
    facts = drafting.basic_facts(case.organization)
    plan = Plan(
        case=case,
        title=drafting.title_for(case.organization),
        issuing_body=case.organization.parent.name if case.organization.parent else "",
        households=facts.households,
        population=facts.population,
        member_count=facts.member_count,
        income_wan=facts.income_wan,
        basic_facts=facts.text,
        problems=drafting.problems_text(findings),
        leading_group=drafting.leading_group(case.organization),
        created_by=_account(actor),
    )
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ServiceError(ERR_PLAN_EXISTS) from None
    if findings:
        plan.criteria.set([f.criterion for f in findings])
    note = "据排查发现起草整顿方案" if from_findings else "起草整顿方案"
    record(Action.CREATE, plan, actor=actor, after=_snap(plan), note=note)
    PLAN_WORKFLOW.record_creation(plan, actor=actor, note=note)
    return plan


def _criteria_for(plan: Plan, criteria_ids: list[int]) -> list[Criterion]:
    wanted = set(criteria_ids)
    found = list(Criterion.objects.filter(campaign_id=plan.case.campaign_id, pk__in=wanted))
    if len(found) != len(wanted):
        raise ServiceError(ERR_CRITERIA)
    return found


def plan_update(
    *,
    plan: Plan,
    actor: Actor,
    expected_version: int,
    title: str | None = None,
    basic_facts: str | None = None,
    problems: str | None = None,
    causes: str | None = None,
    goals: str | None = None,
    measures_text: str | None = None,
    steps: str | None = None,
    requirements: str | None = None,
    leading_group: str | None = None,
    criteria_ids: list[int] | None = None,
) -> Plan:
    """Edit the plan's text. Arguments left as None keep their value.

    An approved plan may be edited: it goes back to draft and through both
    reviews again, while `approved_version` keeps pointing at the text the
    county approved, so its tasks keep running meanwhile.
    """
    ensure_org_in_scope(actor, plan.case.organization)
    _require(actor, "plans.change_plan", ERR_NO_CHANGE)
    given = dict(
        basic_facts=basic_facts,
        problems=problems,
        causes=causes,
        goals=goals,
        measures_text=measures_text,
        steps=steps,
        requirements=requirements,
        leading_group=leading_group,
    )
    updates: dict[str, Any] = {name: _clean_text(value) for name, value in given.items() if value is not None}
    if title is not None:
        updates["title"] = _clean_text(title)
        if not updates["title"]:
            raise ServiceError(ERR_TITLE)
        if len(updates["title"]) > 200:
            raise ServiceError(ERR_TITLE_LONG)
    criteria = _criteria_for(plan, criteria_ids) if criteria_ids is not None else None
    with transaction.atomic():
        current = Plan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
        if current.version != expected_version:
            raise ConflictError(ERR_STALE)
        if current.status not in EDITABLE:
            raise ServiceError(ERR_NOT_EDITABLE.format(status=current.get_status_display()))
        reopened = current.status == PlanStatus.APPROVED
        if reopened:
            # The status goes back to draft along the table (its event and audit); the text follows.
            PLAN_WORKFLOW.run(current, action="reopen", actor=actor, scope_path=current.case.organization.path)
            expected_version = current.version
        before = _snap(current)
        # The version in the WHERE clause is the guard on every database.
        changed = Plan.objects.filter(pk=current.pk, version=expected_version).update(
            **updates, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            raise ConflictError(ERR_STALE)
        if criteria is not None:
            current.criteria.set(criteria)
        current.refresh_from_db()
        old, new = _changed(before, _snap(current))
        note = "修改已批准的方案，方案转为草稿，须重新审核" if reopened else "修改整顿方案"
        record(Action.UPDATE, current, actor=actor, before=old, after=new, note=note)
    plan.refresh_from_db()
    return plan


def _missing_for_submit(plan: Plan) -> list[str]:
    missing = []
    if not plan.problems.strip():
        missing.append(ERR_SUBMIT_PROBLEMS)
    if not plan.goals.strip():
        missing.append(ERR_SUBMIT_GOALS)
    if not Task.objects.filter(plan=plan).exists():
        missing.append(ERR_SUBMIT_MEASURES)
    return missing


def _account(actor: Actor) -> Any:
    """The account behind `actor`; None for the system actor (a management command, the demo)."""
    return actor if isinstance(actor, User) else None


def _next_version(plan: Plan, actor: Actor, reason: str) -> PlanVersion:
    number = (PlanVersion.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    return PlanVersion.objects.create(
        plan=plan, number=number, content=plan_content(plan), reason=reason, created_by=_account(actor)
    )


def plan_submit(*, plan: Plan, actor: Actor, expected_version: int) -> Plan:
    """Freeze the plan as a new version and send it to the township for review."""
    ensure_org_in_scope(actor, plan.case.organization)
    _require(actor, "plans.change_plan", ERR_NO_CHANGE)
    with transaction.atomic():
        current = Plan.objects.select_for_update(of=("self",)).select_related("case__campaign").get(pk=plan.pk)
        if current.version != expected_version:
            raise ConflictError(ERR_STALE)
        if current.status not in SUBMITTABLE:
            raise ServiceError(ERR_SUBMIT_STATE.format(status=current.get_status_display()))
        missing = _missing_for_submit(current)
        if missing:
            raise ServiceError(f"{ERR_SUBMIT_INCOMPLETE}：{'；'.join(missing)}", errors=missing)
        number = (PlanVersion.objects.filter(plan=current).aggregate(n=Max("number"))["n"] or 0) + 1
        PLAN_WORKFLOW.run(
            current,
            action="submit",
            actor=actor,
            scope_path=current.case.organization.path,
            note=f"第 {number} 版",
            expected_version=expected_version,
            event_data={"version_number": number},
        )
        version = _next_version(current, actor, "提交审核")
        plan_version_frozen.send(sender=Plan, plan=current, version=version, actor=actor)
    plan.refresh_from_db()
    return plan


def plan_review(
    *,
    plan: Plan,
    actor: Actor,
    level: str,
    decision: str,
    comments: str = "",
    expected_version: int | None = None,
) -> PlanReview:
    """One review of the submitted version: the township's, then the county's.

    The review points at the version it read. The county's approval also moves
    an identified case to "plan approved" (an effect of the plan's table, in the
    same transaction, through the case's own table).
    """
    if level not in ReviewLevel.values:
        raise ServiceError(ERR_LEVEL)
    level = ReviewLevel(level)
    ensure_org_in_scope(actor, plan.case.organization)
    _require(actor, REVIEW_PERMISSION[level], ERR_NO_REVIEW[level])
    if decision not in ReviewDecision.values:
        raise ServiceError(ERR_DECISION)
    comments = _clean_text(comments)
    if decision == ReviewDecision.RETURN and not comments:
        raise ServiceError(ERR_COMMENTS_REQUIRED)
    with transaction.atomic():
        current = Plan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(ERR_REVIEW_STALE)
        if current.status != REVIEW_FROM[level]:
            raise ServiceError(ERR_REVIEW_STATE.format(status=current.get_status_display(), level=level.label))
        reviewed = PlanVersion.objects.filter(plan=current).order_by("-number").first()
        if reviewed is None:  # A submitted plan always has a version; guard the invariant anyway.
            raise ServiceError(ERR_REVIEW_STATE.format(status=current.get_status_display(), level=level.label))
        approves = decision == ReviewDecision.PASS and level == ReviewLevel.COUNTY
        PLAN_WORKFLOW.run(
            current,
            action=REVIEW_ACTIONS[(level, decision)],
            actor=actor,
            scope_path=current.case.organization.path,
            note=f"第 {reviewed.number} 版；{comments}".rstrip("；"),
            expected_version=current.version,
            updates={"approved_version": reviewed} if approves else None,
            event_data={"version_number": reviewed.number},
        )
        review = PlanReview.objects.create(
            plan=current, version=reviewed, level=level, decision=decision, comments=comments, reviewer=actor
        )
    plan.refresh_from_db()
    return review


def plan_mark_seen(*, plan: Plan, user: Actor, version_number: int) -> None:
    """Remember the version a reviewer last looked at.

    A read marker, not a change to the plan: it is not audited, or every page
    view would fill the trail.
    """
    PlanSeen.objects.update_or_create(plan=plan, user=user, defaults={"version_number": version_number})
