from typing import Any

from django.db.models import Count, QuerySet

from zhengdun.cases.models import Case, CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.core.actors import Actor
from zhengdun.core.scoping import restrict


def case_list(user: Actor, *, campaign_id: int | None = None, state: str = "", q: str = "") -> QuerySet[Case]:
    qs = restrict(Case.objects.select_related("organization", "organization__parent", "campaign"), user)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(organization__name__icontains=q)
    return qs.order_by("organization__path", "campaign_id")


def case_events(user: Actor, case: Case) -> QuerySet[CaseEvent]:
    return restrict(CaseEvent.objects.filter(case=case).select_related("actor"), user).order_by("at", "id")


def state_counts(user: Actor) -> list[dict[str, Any]]:
    rows = restrict(Case.objects.all(), user).values("state").annotate(n=Count("id"))
    labels = dict(CaseState.choices)
    order = [s for s, _ in CaseState.choices]
    return sorted(
        ({"state": r["state"], "label": labels.get(r["state"], r["state"]), "n": r["n"]} for r in rows),
        key=lambda r: order.index(r["state"]) if r["state"] in order else 99,
    )
