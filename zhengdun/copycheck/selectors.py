"""What a reviewer may see of copy detection.

A plan is compared with every plan of its campaign, including plans outside
the reviewer's subtree (a township's plan copied from another township's
village is exactly the case to catch). The reviewer then learns the score,
the copied sections and the other organization's name, which the campaign's
list of organizations already shows county-wide and which is what the
reviewer needs to ask about it, but reads the other plan's full text only if
that plan is in the reviewer's own scope. Shipped samples are public
documents: always readable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.http import Http404

from zhengdun.copycheck.index import (
    Match,
    indexed_hashes,
    plan_fingerprint,
    plan_names,
    sample_title,
    similar_plans,
    stored_sample,
)
from zhengdun.copycheck.models import SubmissionCheck
from zhengdun.copycheck.score import Score, score
from zhengdun.copycheck.text import Passage, shared_passages
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted
from zhengdun.core.scoping import scope_for
from zhengdun.plans.models import Plan

ERR_NOT_REVIEWER = "只有方案审核、审批人员可以查看方案雷同比对"
OUT_OF_SCOPE_NOTE = "该方案不在您的管辖范围内，无法查看全文"
NOT_FOUND = "不存在或无权访问"
SHOWN_MATCHES = 5


def can_compare(user: Actor | None) -> bool:
    return bool(user and (user.has_perm("plans.review_plan") or user.has_perm("cases.approve_plan")))


def ensure_can_compare(user: Actor) -> None:
    if not can_compare(user):
        raise NotPermitted(ERR_NOT_REVIEWER)


def _in_scope(user: Actor, plan: Plan) -> bool:
    return scope_for(user).covers_path(plan.case.organization.path)


@dataclass(frozen=True)
class SeenMatch:
    match: Match
    in_scope: bool

    @property
    def percent(self) -> str:
        return self.match.result.percent


@dataclass(frozen=True)
class SeenCheck:
    """The check stored at the last submission. Its source is named when it
    is a sample, in the user's scope, or at or above the threshold (then it
    is a copy to report, as in the list); otherwise only the score is shown."""

    check: SubmissionCheck
    source_title: str
    named: bool
    in_scope: bool

    @property
    def percent(self) -> str:
        return f"{self.check.score * 100:.1f}%"

    @property
    def headings(self) -> list[str]:
        return [s["heading"] for s in self.check.sections]


def submitted_check(user: Actor, plan: Plan) -> SeenCheck | None:
    check = SubmissionCheck.objects.select_related("source_plan__case__organization__parent").filter(plan=plan).first()
    if check is None:
        return None
    threshold = plan.case.campaign.plan_similarity_threshold
    source = check.source_plan
    if source is None:
        sample = stored_sample(check.source_sample) if check.source_sample else None
        title = sample_title(sample[1], check.source_sample) if sample else check.source_sample
        return SeenCheck(check=check, source_title=title, named=bool(title), in_scope=True)
    in_scope = _in_scope(user, source)
    return SeenCheck(check=check, source_title=source.title, named=in_scope or check.score >= threshold, in_scope=in_scope)


@dataclass(frozen=True)
class SimilarBox:
    plan: Plan
    threshold: Decimal
    matches: list[SeenMatch] = field(default_factory=list)
    submitted: SeenCheck | None = None

    @property
    def threshold_percent(self) -> str:
        return f"{self.threshold * 100:.0f}%"


def similar_box(user: Actor, plan: Plan, min_score: Decimal | None = None) -> SimilarBox:
    """Matches at or above the campaign's threshold (or `min_score`), as `user` may see them.

    A lower `min_score` lists more of the user's own plans and samples, never
    another subtree's plan below the threshold: that one is no copy to report.
    """
    threshold = plan.case.campaign.plan_similarity_threshold
    matches = similar_plans(plan, limit=SHOWN_MATCHES, min_score=threshold if min_score is None else min_score)
    seen = [SeenMatch(m, m.plan is None or _in_scope(user, m.plan)) for m in matches]
    return SimilarBox(
        plan=plan,
        threshold=threshold,
        matches=[m for m in seen if m.in_scope or m.match.score >= threshold],
        submitted=submitted_check(user, plan),
    )


@dataclass(frozen=True)
class Comparison:
    plan: Plan
    result: Score
    threshold: Decimal
    other_title: str
    left: str
    right: str
    in_scope: bool
    other: Plan | None = None
    sample: str = ""
    passages: list[Passage] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        return self.result.value

    @property
    def percent(self) -> str:
        return self.result.percent


def _score_against(plan: Plan, theirs: np.ndarray | None) -> tuple[Score, str]:
    fp = plan_fingerprint(plan)
    if theirs is None or not fp.judged:
        raise Http404(NOT_FOUND)
    return score(fp.units, fp.union, theirs), fp.display


def compare_with_plan(user: Actor, plan: Plan, other_id: int) -> Comparison:
    """Side by side with another plan of the same campaign.

    An out-of-scope plan is shown (name, score and copied sections only) just
    when it would be listed, i.e. at or above the threshold, so the page
    cannot be used to probe the names and scores of arbitrary plans by id.
    """
    other = (
        Plan.objects.select_related("case__organization__parent")
        .filter(pk=other_id, case__campaign_id=plan.case.campaign_id)
        .exclude(pk=plan.pk)
        .first()
    )
    if other is None:
        raise Http404(NOT_FOUND)
    result, left = _score_against(plan, indexed_hashes(other))
    threshold = plan.case.campaign.plan_similarity_threshold
    in_scope = _in_scope(user, other)
    if not in_scope and result.value < threshold:
        raise Http404(NOT_FOUND)
    right = plan_fingerprint(other).display if in_scope else ""
    return Comparison(
        plan=plan,
        result=result,
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
    found = stored_sample(name)
    if found is None:
        raise Http404(NOT_FOUND)
    theirs, text = found
    result, left = _score_against(plan, theirs)
    return Comparison(
        plan=plan,
        result=result,
        threshold=plan.case.campaign.plan_similarity_threshold,
        other_title=sample_title(text, name),
        left=left,
        right=text,
        in_scope=True,
        sample=name,
        passages=shared_passages(left, text, names_a=plan_names(plan)),
    )
