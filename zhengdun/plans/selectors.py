"""Reads of plans, always through the scoping chokepoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from zhengdun.cases.models import Case
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import get_object_or_404, restrict
from zhengdun.core.workflow import Offer
from zhengdun.organizations.models import Organization, Person, Post
from zhengdun.plans.models import (
    SECTIONS,
    FourReview,
    FourReviewItem,
    Plan,
    PlanEvent,
    PlanReview,
    PlanSeen,
    PlanVersion,
    ReviewLevel,
    Task,
)
from zhengdun.plans.transitions import PLAN_WORKFLOW, REVIEW_PAGE_OF

# Taken by saving an edit of an approved plan (plan_update), never offered as a button of its own.
NOT_OFFERED = ("reopen",)

PLAN_RELATED = ("case", "case__organization", "case__organization__parent", "case__campaign", "approved_version")


def plan_list(user: Any, *, status: str = "", campaign_id: int | None = None, q: str = "") -> QuerySet[Plan]:
    qs = restrict(Plan.objects.select_related(*PLAN_RELATED), user).annotate(task_count=Count("tasks", distinct=True))
    if status:
        qs = qs.filter(status=status)
    if campaign_id:
        qs = qs.filter(case__campaign_id=campaign_id)
    if q:
        qs = qs.filter(case__organization__name__icontains=q)
    return qs.order_by("case__organization__path", "id")


def plan_get(user: Any, pk: int) -> Plan:
    """The plan, or 404 when it is missing or outside the user's subtree."""
    return get_object_or_404(Plan.objects.select_related(*PLAN_RELATED), user, pk=pk)


def case_get(user: Any, case_id: int) -> Case:
    return get_object_or_404(
        Case.objects.select_related("organization", "organization__parent", "campaign", "screening_record"), user, pk=case_id
    )


def plan_tasks(plan: Plan) -> QuerySet[Task]:
    return Task.objects.filter(plan=plan).select_related("owner").order_by("order", "id")


def measure_owners(user: Actor, organization: Organization) -> QuerySet[Person]:
    """The people `user` may name as owner of a measure of `organization`'s plan.

    Within the user's scope: the people kept by the organization or a level above it
    (its township, its county), and those holding a current post on one of them (a
    first secretary, a township's organizer). Post holders on the organization itself
    come first, then the nearer levels. The form's choices, the API's check and the
    service's check are this one set.
    """
    step = organization.steplen
    levels = [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]
    posted = Exists(Post.objects.active().filter(organization__path__in=levels, person=OuterRef("pk")))
    posted_here = Exists(Post.objects.active().filter(organization=organization, person=OuterRef("pk")))
    qs = restrict(Person.objects.filter(Q(organization__path__in=levels) | posted), user)
    return qs.annotate(posted_here=posted_here).order_by("-posted_here", "-organization__depth", "name", "id")


def plan_versions(plan: Plan) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(plan=plan).select_related("created_by").order_by("number")


def plan_version_get(plan: Plan, number: int) -> PlanVersion:
    """A stored version of a plan the caller already reached through scoping."""
    version = PlanVersion.objects.filter(plan=plan, number=number).select_related("created_by").first()
    if version is None:
        raise Http404("不存在或无权访问")
    return version


def plan_reviews(plan: Plan) -> QuerySet[PlanReview]:
    return PlanReview.objects.filter(plan=plan).select_related("reviewer", "version").order_by("at", "id")


def plan_with_details(user: Any, pk: int) -> Plan:
    """One plan with everything its page shows, in a fixed number of queries."""
    qs = Plan.objects.select_related(*PLAN_RELATED).prefetch_related(
        "criteria",
        Prefetch("tasks", queryset=Task.objects.select_related("owner").order_by("order", "id")),
        Prefetch("versions", queryset=PlanVersion.objects.select_related("created_by").order_by("number")),
        Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewer", "version").order_by("at", "id")),
    )
    return get_object_or_404(qs, user, pk=pk)


def plan_offers(user: Actor, plan: Plan) -> list[Offer]:
    """The steps of the plan's table the user may take now (or sees blocked), for page and API alike."""
    return [o for o in PLAN_WORKFLOW.offers(plan, user) if o.action not in NOT_OFFERED]


def review_links(offers: list[Offer]) -> list[dict[str, str]]:
    """One review page per level among the offers ("乡镇（街道）审核（通过/退回）"), in table order."""
    levels: list[str] = []
    for offer in offers:
        level = REVIEW_PAGE_OF.get(offer.action)
        if offer.allowed and level and level not in levels:
            levels.append(level)
    return [{"level": level, "label": f"{ReviewLevel(level).label}（通过/退回）"} for level in levels]


def latest_version(plan: Plan) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan=plan).order_by("-number").first()


def seen_version_number(plan: Plan, user: Any) -> int | None:
    return PlanSeen.objects.filter(plan=plan, user=user).values_list("version_number", flat=True).first()


def plan_content(plan: Plan, tasks: list[Task] | None = None) -> dict[str, Any]:
    """Everything a version freezes: sections, measures and criteria codes.

    The same shape serves snapshots and the "what changed" comparison, so a
    working copy compares with any stored version.
    """
    rows = tasks if tasks is not None else list(plan_tasks(plan))
    return {
        "title": plan.title,
        "sections": {name: getattr(plan, name) for name, _ in SECTIONS},
        "measures": [
            {
                "id": t.pk,
                "order": t.order,
                "title": t.title,
                "detail": t.detail,
                "owner_name": t.owner_name,
                "deadline": t.deadline.isoformat(),
                "target": t.target,
                "target_value": None if t.target_value is None else str(t.target_value),
                "unit": t.unit,
            }
            for t in rows
        ],
        "criteria": sorted(c.code for c in plan.criteria.all()),
    }


@dataclass(frozen=True)
class ChecklistRow:
    item: str
    label: str
    review: FourReview | None

    @property
    def done(self) -> bool:
        return self.review is not None


def four_review_checklist(user: Any, case: Case, year: int | None = None) -> list[ChecklistRow]:
    """Seed 003's 四必审 for one case and year: each item done or missing."""
    year = year or timezone.localdate().year
    done = {r.item: r for r in restrict(FourReview.objects.filter(case=case, year=year).select_related("reviewed_by"), user)}
    return [ChecklistRow(item=value, label=label, review=done.get(value)) for value, label in FourReviewItem.choices]


def not_passable_by_own_hand(qs: QuerySet[Plan], user: Actor) -> QuerySet[Plan]:
    """Leave out the plans `user` drafted or last submitted: separation of duties
    (plans/guards.py) has someone else pass them, so they wait on nobody's list as theirs."""
    last_submitter = PlanEvent.objects.filter(plan=OuterRef("pk"), action="submit").order_by("-at", "-id").values("actor_id")[:1]
    return (
        qs.annotate(last_submitter_id=Subquery(last_submitter)).exclude(created_by_id=user.pk).exclude(last_submitter_id=user.pk)
    )
