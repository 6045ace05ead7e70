"""What a reviewer may see of copy detection.

A plan is compared with every plan of its campaign, including plans outside
the reviewer's subtree (a township's plan copied from another township's
village is exactly the case to catch). The reviewer then learns the score and
the other organization's name, which the campaign's list of organizations
already shows county-wide and which is what the reviewer needs to ask about
it, but reads the other plan's full text only if that plan is in the
reviewer's own scope. Shipped samples are public documents: always readable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404

from zhengdun.core.errors import NotPermitted
from zhengdun.core.scoping import scope_for
from zhengdun.plans.models import Plan
from zhengdun.plans.similarity import (
    Match,
    estimate,
    indexed_signature,
    plan_display_text,
    plan_names,
    plan_signature,
    sample_signature,
    sample_title,
    similar_plans,
)
from zhengdun.plans.similarity_text import Passage, shared_passages

ERR_NOT_REVIEWER = "只有方案审核、审批人员可以查看方案雷同比对"
OUT_OF_SCOPE_NOTE = "该方案不在您的管辖范围内，无法查看全文"
NOT_FOUND = "不存在或无权访问"
SHOWN_MATCHES = 5


def can_compare(user: Any) -> bool:
    return bool(user and (user.has_perm("plans.review_plan") or user.has_perm("cases.approve_plan")))


def ensure_can_compare(user: Any) -> None:
    if not can_compare(user):
        raise NotPermitted(ERR_NOT_REVIEWER)


def _in_scope(user: Any, plan: Plan) -> bool:
    return scope_for(user).covers_path(plan.case.organization.path)


@dataclass(frozen=True)
class SeenMatch:
    match: Match
    in_scope: bool

    @property
    def percent(self) -> str:
        return f"{self.match.score * 100:.1f}%"


@dataclass(frozen=True)
class SimilarBox:
    plan: Plan
    threshold: Decimal
    matches: list[SeenMatch] = field(default_factory=list)

    @property
    def threshold_percent(self) -> str:
        return f"{self.threshold * 100:.0f}%"


def similar_box(user: Any, plan: Plan, min_score: Decimal | None = None) -> SimilarBox:
    """Matches at or above the campaign's threshold (or `min_score`), as `user` may see them.

    A lower `min_score` lists more of the user's own plans and samples, never
    another subtree's plan below the threshold: that one is no copy to report.
    """
    threshold = plan.case.campaign.plan_similarity_threshold
    matches = similar_plans(plan, limit=SHOWN_MATCHES, min_score=threshold if min_score is None else min_score)
    seen = [SeenMatch(m, m.plan is None or _in_scope(user, m.plan)) for m in matches]
    return SimilarBox(plan=plan, threshold=threshold, matches=[m for m in seen if m.in_scope or m.match.score >= threshold])


@dataclass(frozen=True)
class Comparison:
    plan: Plan
    score: Decimal
    threshold: Decimal
    other_title: str
    left: str
    right: str
    in_scope: bool
    other: Plan | None = None
    sample: str = ""
    passages: list[Passage] = field(default_factory=list)

    @property
    def percent(self) -> str:
        return f"{self.score * 100:.1f}%"


def compare_with_plan(user: Any, plan: Plan, other_id: int) -> Comparison:
    """Side by side with another plan of the same campaign.

    An out-of-scope plan is shown (name and score only) just when it would be
    listed, i.e. at or above the threshold, so the page cannot be used to
    probe the names and scores of arbitrary plans by id.
    """
    other = (
        Plan.objects.select_related("case__organization__parent")
        .filter(pk=other_id, case__campaign_id=plan.case.campaign_id)
        .exclude(pk=plan.pk)
        .first()
    )
    mine = plan_signature(plan)
    theirs = indexed_signature(other) if other is not None else None
    if other is None or mine is None or theirs is None:
        raise Http404(NOT_FOUND)
    score = estimate(mine, theirs)
    threshold = plan.case.campaign.plan_similarity_threshold
    in_scope = _in_scope(user, other)
    if not in_scope and score < threshold:
        raise Http404(NOT_FOUND)
    left = plan_display_text(plan)
    right = plan_display_text(other) if in_scope else ""
    return Comparison(
        plan=plan,
        score=score,
        threshold=threshold,
        other_title=other.title,
        left=left,
        right=right,
        in_scope=in_scope,
        other=other,
        passages=shared_passages(left, right, names_a=plan_names(plan), names_b=plan_names(other)) if in_scope else [],
    )


def compare_with_sample(plan: Plan, name: str) -> Comparison:
    """Side by side with a shipped sample: public documents, always readable."""
    found = sample_signature(name)
    mine = plan_signature(plan)
    if found is None or mine is None:
        raise Http404(NOT_FOUND)
    theirs, text = found
    left = plan_display_text(plan)
    return Comparison(
        plan=plan,
        score=estimate(mine, theirs),
        threshold=plan.case.campaign.plan_similarity_threshold,
        other_title=sample_title(text, name),
        left=left,
        right=text,
        in_scope=True,
        sample=name,
        passages=shared_passages(left, text, names_a=plan_names(plan)),
    )
