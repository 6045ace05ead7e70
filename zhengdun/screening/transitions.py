"""A screening round's status (排查中 / 已结束) as data, on core.workflow.

Closing is refused while a record still waits for a conclusion (待研判), and
asks for confirmation, saying how many, while organizations of the round have
no record at all: closing ends the registering of records.
"""

from __future__ import annotations

from zhengdun.core.errors import NeedsConfirmation, ServiceError
from zhengdun.core.workflow import Step, Transition, Workflow
from zhengdun.screening.models import Conclusion, RoundStatus, ScreeningRound, ScreeningRoundEvent
from zhengdun.screening.signs import grassroots

ERR_PENDING_RECORDS = "以下组织的研判结论仍为“待研判”，请研判后再结束排查：{names}"
ERR_UNSCREENED = "本轮排查还有 {count} 个组织未登记排查记录，结束后不能再登记。确定结束本轮排查吗？"

TRANSITIONS: tuple[Transition, ...] = (
    Transition("close", "结束排查", (RoundStatus.OPEN,), RoundStatus.CLOSED, "cases.add_case"),
)

ROUND_WORKFLOW: Workflow[ScreeningRound] = Workflow(
    model=ScreeningRound,
    event_model=ScreeningRoundEvent,
    event_field="round",
    transitions=TRANSITIONS,
    states=RoundStatus,
    state_field="status",
)


def unscreened_count(rnd: ScreeningRound) -> int:
    """Grassroots organizations of the round without a record in it."""
    return grassroots(rnd.jurisdiction).exclude(screening_records__round=rnd).count()


@ROUND_WORKFLOW.guard("close")
def _no_pending_conclusion(step: Step[ScreeningRound]) -> None:
    pending = list(
        step.obj.records.filter(conclusion=Conclusion.PENDING)
        .order_by("organization__path")
        .values_list("organization__name", flat=True)
    )
    if pending:
        raise ServiceError(ERR_PENDING_RECORDS.format(names="、".join(pending)), errors=pending)


@ROUND_WORKFLOW.guard("close")
def _confirm_unscreened(step: Step[ScreeningRound]) -> None:
    # While only offering the step nothing is confirmed yet: the count is asked for when it is taken.
    if step.preview or step.supplied.get("confirm"):
        return
    count = unscreened_count(step.obj)
    if count:
        raise NeedsConfirmation(ERR_UNSCREENED.format(count=count))
