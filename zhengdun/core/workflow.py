"""The one workflow mechanism every stateful model moves through.

A model's state machine is data beside the model (`<app>/transitions.py`): a
`Workflow` naming the model, its state field, its event model and a table of
`Transition`s (from-states, to-state, permission, what must be supplied).
`Workflow.run` is the only writer of the state field. It

- checks the actor's scope (404) and permission (403),
- locks the row and compares the version the actor saw (409 when stale),
- lets the registered preparers turn what was supplied into field updates and
  the registered guards refuse the step (rules that belong to another app are
  guards that app registers, so no app imports upward),
- writes the state with a conditional UPDATE guarded by version and state, so
  exactly one of two concurrent deciders wins even where SELECT ... FOR UPDATE
  is a no-op (SQLite),
- writes one event row and one TRANSITION audit record, and runs the
  registered effects, all in the same transaction.

`Workflow.offers` is the one selector of the actions a user may take on an
object; pages and API both use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from zhengdun.core.actors import Actor
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.recording import record_transition
from zhengdun.core.scoping import scope_for
from zhengdun.core.snapshots import json_value, snapshot

ERR_UNKNOWN_ACTION = "未知的操作"
ERR_ILLEGAL = "当前状态为“{state}”，不能执行“{action}”"
ERR_NO_PERMISSION = "您没有执行“{action}”的权限"
ERR_NOTE_REQUIRED = "请填写意见或说明"
ERR_STALE = "该记录已被他人处理（当前状态：{state}），您的操作未生效，请刷新后重试"
ERR_NO_PREVIOUS = "找不到之前的状态，不能退回原状态"
ERR_OUT_OF_SCOPE = "不存在或无权访问"

PREVIOUS_LABEL = "原状态"

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    """One row of a state machine's table.

    `target` None sends the object back to the state it had before its current
    one (a refused removal returns a case to wherever it was). `requires` names
    what the step must be given (e.g. "filed_on"); the preparers registered on
    the workflow read those values from what is supplied.
    """

    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    permission: str
    note_required: bool = False
    requires: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class Step(Generic[M]):
    """What preparers, guards and effects see of the step being taken."""

    obj: M
    rule: Transition
    actor: Actor
    note: str
    supplied: Mapping[str, Any]
    updates: dict[str, Any] = field(default_factory=dict)
    # True while only asking whether the step is offered: nothing is supplied yet,
    # so a guard that judges supplied values stays silent.
    preview: bool = False
    source: str = ""
    target: str = ""


@dataclass(frozen=True)
class Offer:
    """An action offered to a user on one object, or shown as blocked with the reason."""

    transition: Transition
    target_label: str
    blocked: str = ""
    # Where the user can go to remove the block (e.g. 帮扶力量 for a missing contact leader).
    remedy_url: str = ""
    remedy_label: str = ""

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def label(self) -> str:
        return self.transition.label

    @property
    def allowed(self) -> bool:
        return not self.blocked


Hook = Callable[[Step[Any]], None]
Effect = Callable[[Step[Any], models.Model], None]
ScopeOf = Callable[[Any], str]


class Workflow(Generic[M]):
    def __init__(
        self,
        *,
        model: type[M],
        event_model: type[models.Model],
        event_field: str,
        transitions: Iterable[Transition],
        states: type[models.TextChoices],
        state_field: str = "state",
        version_field: str = "version",
    ) -> None:
        self.model = model
        self.event_model = event_model
        self.event_field = event_field
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.states = states
        self.state_field = state_field
        self.version_field = version_field
        self.by_action: dict[str, Transition] = {}
        for rule in self.transitions:
            if rule.action in self.by_action:
                raise ValueError(f"duplicate action {rule.action!r} in {model.__name__}'s workflow")
            unknown = [s for s in (*rule.sources, rule.target) if s is not None and s not in states.values]
            if unknown:
                raise ValueError(f"{model.__name__}.{rule.action}: unknown states {unknown}")
            self.by_action[rule.action] = rule
        self._preparers: dict[str, list[Hook]] = defaultdict(list)
        self._guards: dict[str, list[Hook]] = defaultdict(list)
        self._effects: dict[str, list[Effect]] = defaultdict(list)

    # Registration: the app that owns a rule registers it here.

    def _actions(self, actions: tuple[str, ...]) -> tuple[str, ...]:
        for action in actions:
            if action not in self.by_action:
                raise ValueError(f"{self.model.__name__} has no action {action!r}")
        return actions or tuple(self.by_action)

    def preparer(self, *actions: str) -> Callable[[Hook], Hook]:
        """Turn what was supplied into field updates (`step.updates`); raise ServiceError on bad input."""

        targets = self._actions(actions)

        def register(fn: Hook) -> Hook:
            for action in targets:
                if fn not in self._preparers[action]:
                    self._preparers[action].append(fn)
            return fn

        return register

    def guard(self, *actions: str) -> Callable[[Hook], Hook]:
        """A precondition; raise ServiceError (with a remedy link where there is a way forward) to refuse."""

        targets = self._actions(actions)

        def register(fn: Hook) -> Hook:
            for action in targets:
                if fn not in self._guards[action]:
                    self._guards[action].append(fn)
            return fn

        return register

    def effect(self, *actions: str) -> Callable[[Effect], Effect]:
        """Run inside the step's transaction after the state and the event are written."""

        targets = self._actions(actions)

        def register(fn: Effect) -> Effect:
            for action in targets:
                if fn not in self._effects[action]:
                    self._effects[action].append(fn)
            return fn

        return register

    # Reading.

    def state_of(self, obj: M) -> str:
        return str(getattr(obj, self.state_field))

    def state_label(self, value: str) -> str:
        try:
            return str(self.states(value).label)
        except ValueError:
            return value

    def rule(self, action: str) -> Transition:
        rule = self.by_action.get(action)
        if rule is None:
            raise ServiceError(ERR_UNKNOWN_ACTION)
        return rule

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def previous_state(self, obj: M) -> str:
        """The state the object had before it entered its current one."""
        current = self.state_of(obj)
        last = (
            self.event_model._default_manager.filter(**{self.event_field: obj.pk, "to_state": current})
            .order_by("-at", "-id")
            .values_list("from_state", flat=True)
            .first()
        )
        if not last:
            raise ServiceError(ERR_NO_PREVIOUS)
        return str(last)

    def target_label(self, obj: M, rule: Transition) -> str:
        if rule.target is not None:
            return self.state_label(rule.target)
        try:
            return f"{PREVIOUS_LABEL}（{self.state_label(self.previous_state(obj))}）"
        except ServiceError:
            return PREVIOUS_LABEL

    def offers(self, obj: M, actor: Actor, *, include_blocked: bool = True) -> list[Offer]:
        """The actions `actor` may take on `obj` now: state and permission filter them out,
        a guard's refusal keeps them listed as blocked with its reason."""
        offers: list[Offer] = []
        for rule in self.from_state(self.state_of(obj)):
            if not actor.has_perm(rule.permission):
                continue
            step: Step[M] = Step(obj=obj, rule=rule, actor=actor, note="", supplied={}, preview=True)
            step.source = self.state_of(obj)
            blocked, url, url_label = "", "", ""
            try:
                for guard in self._guards[rule.action]:
                    guard(step)
            except ServiceError as refusal:
                blocked, url, url_label = refusal.message, refusal.remedy_url, refusal.remedy_label
            if blocked and not include_blocked:
                continue
            offers.append(Offer(rule, self.target_label(obj, rule), blocked, url, url_label))
        return offers

    def events(self, obj: M) -> models.QuerySet[Any]:
        return self.event_model._default_manager.filter(**{self.event_field: obj.pk}).select_related("actor")

    # Writing.

    def run(
        self,
        obj: M,
        *,
        action: str,
        actor: Actor,
        scope_path: str,
        note: str = "",
        expected_version: int | None = None,
        supplied: Mapping[str, Any] | None = None,
        updates: Mapping[str, Any] | None = None,
        event_data: Mapping[str, Any] | None = None,
    ) -> M:
        """Move `obj` one step along the table. All or nothing.

        `scope_path` is the tree path of the organization the object hangs on;
        `expected_version` the version the actor saw (defaults to the one in
        `obj`); `updates` are field values the calling service has already
        validated and that must be written with the state.
        """
        rule = self.rule(action)
        if not scope_for(actor).covers_path(scope_path):
            from django.http import Http404

            raise Http404(ERR_OUT_OF_SCOPE)
        if not actor.has_perm(rule.permission):
            raise NotPermitted(ERR_NO_PERMISSION.format(action=rule.label))
        note = note.strip()
        seen = expected_version if expected_version is not None else getattr(obj, self.version_field)
        with transaction.atomic():
            current = self.model._default_manager.select_for_update().get(pk=obj.pk)
            if getattr(current, self.version_field) != seen:
                raise ConflictError(ERR_STALE.format(state=self.state_label(self.state_of(current))))
            source = self.state_of(current)
            if source not in rule.sources:
                raise ServiceError(ERR_ILLEGAL.format(state=self.state_label(source), action=rule.label))
            if rule.note_required and not note:
                raise ServiceError(ERR_NOTE_REQUIRED)
            step: Step[M] = Step(obj=current, rule=rule, actor=actor, note=note, supplied=supplied or {})
            step.updates.update(updates or {})
            step.source = source
            for prepare in self._preparers[action]:
                prepare(step)
            for guard in self._guards[action]:
                guard(step)
            step.target = rule.target if rule.target is not None else self.previous_state(current)
            before = snapshot(current)
            values: dict[str, Any] = {**step.updates, self.state_field: step.target}
            values[self.version_field] = F(self.version_field) + 1
            if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
                values["updated_at"] = timezone.now()
            changed = self.model._default_manager.filter(
                **{"pk": current.pk, self.version_field: seen, self.state_field: source}
            ).update(**values)
            if changed != 1:
                current.refresh_from_db()
                raise ConflictError(ERR_STALE.format(state=self.state_label(self.state_of(current))))
            current.refresh_from_db()
            step.obj = current
            data = {k: json_value(v) for k, v in {**step.updates, **(event_data or {})}.items()}
            event = self.event_model._default_manager.create(
                **{self.event_field: current},
                from_state=source,
                to_state=step.target,
                action=rule.action,
                actor=actor if isinstance(actor, models.Model) else None,
                note=note,
                data=data,
            )
            record_transition(
                current, actor=actor, before=before, after=snapshot(current), note=f"{rule.label}：{note}".rstrip("：")
            )
            for effect in self._effects[action]:
                effect(step, event)
        for f in self.model._meta.concrete_fields:
            setattr(obj, f.attname, getattr(current, f.attname))
        return obj

    def last_actor_id(self, obj: M, actions: Iterable[str]) -> Any:
        """The account that took the latest of `actions` on `obj` (None: never taken, or by the system)."""
        return (
            self.event_model._default_manager.filter(**{self.event_field: obj.pk, "action__in": list(actions)})
            .order_by("-at", "-id")
            .values_list("actor_id", flat=True)
            .first()
        )

    def record_creation(self, obj: M, *, actor: Actor, note: str = "", action: str = "create") -> models.Model:
        """The first event row of a newly created object (from nothing to its initial state)."""
        return self.event_model._default_manager.create(
            **{self.event_field: obj},
            from_state="",
            to_state=self.state_of(obj),
            action=action,
            actor=actor if isinstance(actor, models.Model) else None,
            note=note,
        )


def different_actor(
    workflow: Workflow[Any],
    *,
    message: str,
    after: Iterable[str] = (),
    field: str = "",
) -> Hook:
    """A guard for separation of duties (不相容职责分离): it refuses the step (403) when its
    actor is the account that took the latest of the steps `after` on this object, or
    the account the object's foreign key `field` names (e.g. "created_by").

    Register it with `workflow.guard(<actions>)(different_actor(workflow, ...))`; the
    refusal shows in `offers` as the step's blocked reason. The system actor, which is
    no account, is never refused.
    """
    actions = tuple(after)
    if actions:
        workflow._actions(actions)
    if field:
        workflow.model._meta.get_field(field)  # a typo fails at start-up, not in use
    if not actions and not field:
        raise ValueError("different_actor needs earlier steps (after=...) or a field")

    def guard(step: Step[Any]) -> None:
        me = step.actor.pk
        if me is None:
            return
        if field and getattr(step.obj, f"{field}_id") == me:
            raise NotPermitted(message)
        if actions and workflow.last_actor_id(step.obj, actions) == me:
            raise NotPermitted(message)

    guard.__name__ = guard.__qualname__ = f"different_actor_{'_'.join(actions) or field}"
    return guard
