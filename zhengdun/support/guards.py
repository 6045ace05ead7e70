"""Rules of the support app that reach lower apps' writes (imported in SupportConfig.ready).

- The identification step of a case: a key case needs a contact leader
  (seed 001). This guard is the only place the rule refuses anything; the
  cases app does not know it.
- The generic end of a post (organizations.services.post_end): the warnings
  of the link and withdrawal rules go into its audit note.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from zhengdun.cases.models import Case
from zhengdun.cases.transitions import CASE_WORKFLOW
from zhengdun.core.errors import ServiceError
from zhengdun.core.workflow import Step
from zhengdun.organizations.models import Post
from zhengdun.organizations.signals import post_ending
from zhengdun.support import checks

ERR_KEY_NEEDS_LEADER = "重点整顿对象须先明确联系领导，请先在“帮扶力量”中安排联系领导"
REMEDY_KEY_NEEDS_LEADER = "前往“帮扶力量”安排联系领导"


@CASE_WORKFLOW.guard("identify")
def key_case_needs_contact_leader(step: Step[Case]) -> None:
    """Seed 001: a key case has a county leader linked to it before it is identified.

    Previews (the offers a page shows) skip it: whether the case is key is only
    known once the form is submitted, so the step stays offered and the refusal
    comes with its link to 帮扶力量.
    """
    if step.preview or not step.obj.campaign.key_requires_contact_leader:
        return
    if checks.key_case_missing_contact_leader(step.obj, is_key=step.updates.get("is_key", step.obj.is_key)):
        raise ServiceError(
            ERR_KEY_NEEDS_LEADER,
            remedy_url=reverse("support:board", args=[step.obj.organization_id]),
            remedy_label=REMEDY_KEY_NEEDS_LEADER,
        )


def _post_end_warnings(sender: Any, *, post: Post, ended_on: datetime.date, **kwargs: Any) -> list[str]:
    return checks.early_end_warnings(post, ended_on) + checks.withdrawal_warnings(post)


post_ending.connect(_post_end_warnings, sender=Post, dispatch_uid="support.post_end_warnings")
