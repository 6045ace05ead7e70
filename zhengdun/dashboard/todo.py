"""The to-do list of the home page: what waits for the signed-in user.

Each kind of work is one small provider function below, listed in SOURCES.
A provider returns None when the user can never have that kind of work (no
permission), else a TodoGroup: at most `limit` items, newest first, and the
count of all of them with a link to the full list. Every provider reads
through the scoping chokepoint (core.scoping.restrict or a scoped selector)
and runs one query whatever the data: the window count rides on the query
that fetches the items. A later issue adds its kind of work (reports due,
inquiries to answer, surveys to open) as one more provider here.

The other apps' models and selectors are imported here and nowhere else in
the dashboard, so a model that moves to another app is fixed in this block.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, F, Model, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from zhengdun.cases.models import CaseEvent
from zhengdun.cases.selectors import case_list
from zhengdun.cases.states import CaseState
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import STEPLEN, restrict, scope_for
from zhengdun.notices.models import CommentStatus
from zhengdun.notices.selectors import comment_list
from zhengdun.plans.models import Plan, PlanReview, PlanStatus, ReviewDecision, Task, TaskStatus
from zhengdun.plans.selectors import not_passable_by_own_hand, plan_list
from zhengdun.rectification.selectors import extensions_to_decide, mark_overdue
from zhengdun.screening.models import Conclusion

PERM_IDENTIFY = "cases.identify_case"
PERM_PROPOSE = "cases.propose_case"
PERM_TOWNSHIP_REVIEW = "plans.review_plan"
PERM_COUNTY_APPROVAL = "cases.approve_plan"
PERM_CHANGE_PLAN = "plans.change_plan"
PERM_DECIDE_EXTENSION = "rectification.decide_extension"
PERM_ANSWER_COMMENT = "notices.answer_comment"

LIMIT = 5
DUE_WITHIN_DAYS = 7

# The total of the filtered rows, computed before LIMIT in the same query.
TOTAL = Window(Count("pk"))


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: what, about which organization, since when, and where to do it."""

    title: str
    organization: str
    url: str
    action: str
    at: datetime.datetime | datetime.date
    detail: str = ""
    urgent: bool = False

    @property
    def when(self) -> str:
        """Since when it waits (a moment), or by when it is due (a task's deadline)."""
        if isinstance(self.at, datetime.datetime):
            return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M}"
        return f"完成时限 {self.at:%Y-%m-%d}"


@dataclass(frozen=True)
class TodoGroup:
    key: str
    label: str
    items: list[TodoItem]
    total: int
    more_url: str

    @property
    def rest(self) -> int:
        return self.total - len(self.items)


M = TypeVar("M", bound=Model)

Provider = Callable[[Actor, int], "TodoGroup | None"]


def _group(key: str, label: str, rows: Sequence[Any], items: list[TodoItem], more_url: str) -> TodoGroup:
    total = getattr(rows[0], "todo_total", 0) if rows else 0
    return TodoGroup(key=key, label=label, items=items, total=total, more_url=more_url)


def _below_returner(qs: QuerySet[M], user: Actor) -> QuerySet[M]:
    """Keep what was returned from a level above the user's own organizations
    (the returner's organization, annotated as `returned_from`, is a strict
    ancestor): what the county returns waits for the township and the villages
    below it, never for the county itself. A return whose account is gone
    waits for everyone who can see it."""
    scope = scope_for(user)
    if scope.unrestricted:
        return qs
    above = sorted({root[:i] for root in scope.roots for i in range(STEPLEN, len(root), STEPLEN)})
    return qs.filter(Q(returned_from__isnull=True) | Q(returned_from__in=above))


def _annotation(row: Model, name: str) -> Any:
    """A value the provider's query annotated on the row (the model does not declare it)."""
    return getattr(row, name)


def _org_id(user: Actor) -> int:
    # 0 matches no organization: a user without one is the level above nothing.
    return user.organization_id or 0


def _latest_event(action: str, field: str) -> Subquery:
    events = CaseEvent.objects.filter(case=OuterRef("pk"), action=action).order_by("-at", "-id")
    return Subquery(events.values(field)[:1])


def proposals_to_decide(user: Actor, limit: int) -> TodoGroup | None:
    """Proposed organizations (拟定) waiting for identification (认定)."""
    if not user.has_perm(PERM_IDENTIFY):
        return None
    qs = case_list(user, state=CaseState.PROPOSED).annotate(
        proposed_at=Coalesce(_latest_event("propose", "at"), F("updated_at")), todo_total=TOTAL
    )
    rows = list(qs.order_by("-proposed_at", "-id")[:limit])
    items = [
        TodoItem(
            title=f"拟定整顿对象待认定（{c.campaign.name}）",
            organization=c.organization.name,
            url=reverse("cases:detail", args=[c.pk]),
            action="去认定",
            at=_annotation(c, "proposed_at"),
            detail=c.main_problems.splitlines()[0] if c.main_problems else "",
        )
        for c in rows
    ]
    return _group("proposals", "待认定的拟定对象", rows, items, reverse("identification:queue"))


def _plans_waiting(user: Actor, status: str) -> QuerySet[Plan]:
    """Plans waiting in `status` for a decision `user` may take: not the plans of its own hand."""
    qs = not_passable_by_own_hand(plan_list(user, status=status), user)
    return qs.annotate(todo_total=TOTAL).order_by("-updated_at", "-id")


def township_reviews(user: Actor, limit: int) -> TodoGroup | None:
    """Submitted plans of the organizations directly under the user's own:
    the level above an organization reviews its plan (a county reviews the
    plan of an office branch directly under it, a township its villages')."""
    if not user.has_perm(PERM_TOWNSHIP_REVIEW):
        return None
    qs = _plans_waiting(user, PlanStatus.SUBMITTED)
    if not user.is_superuser:
        qs = qs.filter(case__organization__parent_id=_org_id(user))
    rows = list(qs[:limit])
    items = [
        TodoItem(
            title=f"整顿方案待乡镇（街道）审核：{p.title}",
            organization=p.case.organization.name,
            url=reverse("plans:review", args=[p.pk, "township"]),
            action="去审核",
            at=p.updated_at,
        )
        for p in rows
    ]
    more = f"{reverse('plans:list')}?status={PlanStatus.SUBMITTED}"
    return _group("township_reviews", "待乡镇（街道）审核的方案", rows, items, more)


def county_approvals(user: Actor, limit: int) -> TodoGroup | None:
    """Plans the township passed, waiting for the county's approval."""
    if not user.has_perm(PERM_COUNTY_APPROVAL):
        return None
    rows = list(_plans_waiting(user, PlanStatus.TOWNSHIP_REVIEWED)[:limit])
    items = [
        TodoItem(
            title=f"整顿方案待县级审批：{p.title}",
            organization=p.case.organization.name,
            url=reverse("plans:review", args=[p.pk, "county"]),
            action="去审批",
            at=p.updated_at,
        )
        for p in rows
    ]
    more = f"{reverse('plans:list')}?status={PlanStatus.TOWNSHIP_REVIEWED}"
    return _group("county_approvals", "待县级审批的方案", rows, items, more)


def returned_plans(user: Actor, limit: int) -> TodoGroup | None:
    """Plans sent back for revision, for those below the level that returned them."""
    if not user.has_perm(PERM_CHANGE_PLAN):
        return None
    returns = PlanReview.objects.filter(plan=OuterRef("pk"), decision=ReviewDecision.RETURN).order_by("-at", "-id")
    qs = plan_list(user, status=PlanStatus.RETURNED).annotate(
        returned_at=Subquery(returns.values("at")[:1]),
        return_reason=Subquery(returns.values("comments")[:1]),
        returned_from=Subquery(returns.values("reviewer__organization__path")[:1]),
    )
    qs = _below_returner(qs, user).annotate(todo_total=TOTAL)
    rows = list(qs.order_by(F("returned_at").desc(nulls_last=True), "-id")[:limit])
    items = [
        TodoItem(
            title=f"整顿方案被退回修改：{p.title}",
            organization=p.case.organization.name,
            url=reverse("plans:edit", args=[p.pk]),
            action="去修改",
            at=_annotation(p, "returned_at") or p.updated_at,
            detail=_annotation(p, "return_reason") or "",
            urgent=True,
        )
        for p in rows
    ]
    more = f"{reverse('plans:list')}?status={PlanStatus.RETURNED}"
    return _group("returned_plans", "被退回修改的方案", rows, items, more)


def returned_screenings(user: Actor, limit: int) -> TodoGroup | None:
    """Proposals the county returned (the case is back in "screened"), for those
    below the level that returned them, to screen again or let go: until it is
    proposed again or its record is concluded "not weak"."""
    if not user.has_perm(PERM_PROPOSE):
        return None
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-id")
    qs = (
        case_list(user, state=CaseState.SCREENED)
        .select_related("screening_record")
        .annotate(
            last_action=Subquery(last.values("action")[:1]),
            returned_at=Subquery(last.values("at")[:1]),
            return_reason=Subquery(last.values("note")[:1]),
            returned_from=Subquery(last.values("actor__organization__path")[:1]),
        )
        .filter(last_action="return")
        .exclude(screening_record__conclusion=Conclusion.NOT_WEAK)
    )
    qs = _below_returner(qs, user).annotate(todo_total=TOTAL)
    rows = list(qs.order_by(F("returned_at").desc(), "-id")[:limit])
    items = []
    for c in rows:
        record = c.screening_record
        url = (
            reverse("screening:record", args=[record.round_id, c.organization_id])
            if record is not None
            else reverse("cases:detail", args=[c.pk])
        )
        items.append(
            TodoItem(
                title=f"拟定被退回（{c.campaign.name}）",
                organization=c.organization.name,
                url=url,
                action="重新排查",
                at=_annotation(c, "returned_at"),
                detail=_annotation(c, "return_reason"),
                urgent=True,
            )
        )
    return _group("returned_screenings", "被退回的拟定对象", rows, items, f"{reverse('cases:list')}?state={CaseState.SCREENED}")


def extensions(user: Actor, limit: int) -> TodoGroup | None:
    """Extension requests (延期申请) from below, waiting for the user's decision."""
    if not user.has_perm(PERM_DECIDE_EXTENSION):
        return None
    qs = extensions_to_decide(user).annotate(todo_total=TOTAL).order_by("-requested_at", "-id")
    rows = list(qs[:limit])
    items = [
        TodoItem(
            title=f"延期申请：{e.task.title}（{e.old_deadline:%Y-%m-%d} 延至 {e.new_deadline:%Y-%m-%d}）",
            organization=e.task.plan.case.organization.name,
            url=reverse("rectification:extensions"),
            action="去审批",
            at=e.requested_at,
            detail=e.reason,
        )
        for e in rows
    ]
    return _group("extensions", "待审批的延期申请", rows, items, reverse("rectification:extensions"))


def comments(user: Actor, limit: int) -> TodoGroup | None:
    """Public comments on published plans, for the level directly above the
    plan's organization (the one that published it) to answer."""
    if not user.has_perm(PERM_ANSWER_COMMENT):
        return None
    qs = comment_list(user, status=CommentStatus.NEW)
    if not user.is_superuser:
        qs = qs.filter(plan__case__organization__parent_id=_org_id(user))
    rows = list(qs.annotate(todo_total=TOTAL).order_by("-created_at", "-id")[:limit])
    items = [
        TodoItem(
            title=f"群众意见待答复：{c.plan.title}",
            organization=c.plan.case.organization.name,
            url=f"{reverse('notices:notice', args=[c.plan_id])}#comment-{c.pk}",
            action="去答复",
            at=c.created_at,
            detail=c.body[:60],
        )
        for c in rows
    ]
    return _group("comments", "待答复的群众意见", rows, items, f"{reverse('notices:comments')}?status={CommentStatus.NEW}")


def _due_text(deadline: datetime.date, overdue_days: int) -> str:
    return f"已逾期 {overdue_days} 天" if overdue_days else f"将于 {deadline:%Y-%m-%d} 到期"


def tasks_due(user: Actor, limit: int) -> TodoGroup | None:
    """Tasks of approved plans due within a week or overdue, not done: those the
    user's person owns and those of the user's own organizations (its own and,
    for a contact leader, the ones it is linked to), not of the whole subtree."""
    today = timezone.localdate()
    mine = Q(plan__case__organization__path__in=scope_for(user).roots)
    if user.person_id:
        mine |= Q(owner_id=user.person_id)
    qs = (
        restrict(Task.objects.select_related("plan__case__organization"), user)
        .filter(mine, plan__approved_version__isnull=False, deadline__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS))
        .exclude(status=TaskStatus.DONE)
        .annotate(todo_total=TOTAL)
    )
    # Most urgent first: the longest overdue on top, then the next deadline.
    rows = mark_overdue(qs.order_by("deadline", "id")[:limit], today)
    items = [
        TodoItem(
            title=f"整改任务{_due_text(t.deadline, _annotation(t, 'overdue_days'))}：{t.title}",
            organization=t.plan.case.organization.name,
            url=reverse("rectification:task_detail", args=[t.pk]),
            action="去报进展",
            at=t.deadline,
            detail=f"责任人：{t.owner_name}；进度 {t.progress}%",
            urgent=bool(_annotation(t, "overdue_days")),
        )
        for t in rows
    ]
    return _group("tasks", "7 天内到期和已逾期的整改任务", rows, items, reverse("rectification:overdue"))


SOURCES: tuple[Provider, ...] = (
    proposals_to_decide,
    township_reviews,
    county_approvals,
    returned_plans,
    returned_screenings,
    extensions,
    comments,
    tasks_due,
)


def todo_for(user: Actor, *, limit: int = LIMIT) -> list[TodoGroup]:
    """The groups of work the user can have, in SOURCES order (empty ones included)."""
    return [group for provider in SOURCES if (group := provider(user, limit)) is not None]
