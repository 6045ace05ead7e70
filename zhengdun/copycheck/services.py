"""The check at submission: index the frozen plan, compare it, store what was found.

Run by the plans app's `plan_version_frozen` signal, inside the submission's
transaction (receiver connected in CopycheckConfig.ready()). The index and
the stored result are derived data: the submission's own audit record shows
the score it set on the plan, nothing else is audited.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhengdun.copycheck.index import find_matches, index_plan
from zhengdun.copycheck.models import SubmissionCheck
from zhengdun.core.actors import Actor
from zhengdun.plans.models import Plan, PlanVersion


def check_on_submit(*, plan: Plan) -> Decimal | None:
    """Index the submitted plan, store its closest match (the score, the
    source, the copied sections) and return the score; None when nothing
    shares a band with it or its text is too short to judge."""
    fp = index_plan(plan)
    top = find_matches(fp, campaign_id=plan.case.campaign_id, exclude_plan_id=plan.pk, limit=1) if fp else []
    if not top:
        SubmissionCheck.objects.filter(plan=plan).delete()
        return None
    match = top[0]
    SubmissionCheck.objects.update_or_create(
        plan=plan,
        defaults={
            "score": match.score,
            "source_plan": match.plan,
            "source_sample": match.sample,
            "sections": [{"key": s.key, "heading": s.heading, "share": str(s.share)} for s in match.copied],
        },
    )
    return match.score


def on_plan_version_frozen(sender: type[Plan], *, plan: Plan, version: PlanVersion, actor: Actor, **kwargs: Any) -> None:
    """Receiver of plans.signals.plan_version_frozen: the plan keeps its highest score as `similarity`."""
    plan.similarity = check_on_submit(plan=plan)
    Plan.objects.filter(pk=plan.pk).update(similarity=plan.similarity)
