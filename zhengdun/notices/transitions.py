"""The state machine of a public comment, as data, on the one workflow mechanism
(core.workflow): answered, chosen to show under the plan, or kept off the page.

Answering again (a better answer, or one to a comment that was hidden) takes
the comment off the public page until it is chosen to show again, so nothing
reaches the public that nobody chose to show.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from zhengdun.core.errors import ServiceError
from zhengdun.core.public.text import ERR_CONTROL_CHARS, clean_text, has_control_chars
from zhengdun.core.workflow import Step, Transition, Workflow
from zhengdun.notices.models import CommentEvent, PublicComment
from zhengdun.notices.models import CommentStatus as S

ANSWER_PERM = "notices.answer_comment"
ANSWER_MAX = 1000
ERR_ANSWER_EMPTY = "请填写答复内容"
ERR_ANSWER_LONG = f"答复内容不能超过 {ANSWER_MAX} 个字"

TRANSITIONS: tuple[Transition, ...] = (
    Transition("answer", "答复群众意见", (S.NEW, S.ANSWERED, S.SHOWN, S.HIDDEN), S.ANSWERED, ANSWER_PERM, requires=("answer",)),
    Transition("show", "在公示页显示", (S.ANSWERED,), S.SHOWN, ANSWER_PERM),
    Transition("withdraw", "不在公示页显示", (S.SHOWN,), S.ANSWERED, ANSWER_PERM),
    Transition("hide", "不予公开", (S.NEW, S.ANSWERED, S.SHOWN), S.HIDDEN, ANSWER_PERM),
)

COMMENT_WORKFLOW: Workflow[PublicComment] = Workflow(
    model=PublicComment, event_model=CommentEvent, event_field="comment", transitions=TRANSITIONS, states=S, state_field="status"
)


def clean_answer(value: str) -> str:
    """The answer as it will be shown, or the reason it cannot be."""
    answer = clean_text(value)
    if has_control_chars(answer):
        raise ServiceError(ERR_CONTROL_CHARS)
    if not answer:
        raise ServiceError(ERR_ANSWER_EMPTY)
    if len(answer) > ANSWER_MAX:
        raise ServiceError(ERR_ANSWER_LONG)
    return answer


@COMMENT_WORKFLOW.preparer("answer")
def _answer(step: Step[PublicComment]) -> None:
    step.updates["answer"] = clean_answer(str(step.supplied.get("answer") or ""))
    step.updates["answered_by"] = step.actor if isinstance(step.actor, models.Model) else None
    step.updates["answered_at"] = timezone.now()
