"""The plan's measures, each a task with an owner, a deadline and a measurable
result. They are edited with the plan while it is a draft or returned; once
submitted they are frozen in the version under review."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record, snapshot
from zhengdun.core.actors import Actor
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.scoping import ensure_org_in_scope
from zhengdun.organizations.models import Person
from zhengdun.plans.models import Plan, PlanStatus, Task, TaskStatus
from zhengdun.plans.selectors import measure_owners
from zhengdun.plans.transitions import TASK_WORKFLOW

ERR_NO_CHANGE = "您没有修改整顿方案的权限"
ERR_LOCKED = "方案当前状态为“{status}”，不能修改整改措施"
ERR_LOCKED_APPROVED = "方案已批准，不能直接修改整改措施：请先修改并保存方案正文（方案转为草稿，须重新审核），再调整措施"
ERR_TITLE = "请填写整改措施"
ERR_TITLE_LONG = "整改措施不能超过 300 个字，详细内容请写在“具体内容”中"
ERR_OWNER = "请填写责任人"
ERR_OWNER_LONG = "责任人不能超过 50 个字"
ERR_OWNER_PERSON = "所选责任人不在您的管辖范围内"
ERR_DEADLINE = "请填写完成时限"
ERR_DEADLINE_PAST = "完成时限不能早于今天"
ERR_DEADLINE_LATE = "完成时限不能晚于本次整顿工作的结束年度（{year} 年底）"
ERR_TARGET = "请填写可衡量的目标，如“流转土地 60 亩种植艾草，年增收 4.5 万元”"
ERR_TARGET_LONG = "可衡量的目标不能超过 200 个字"
ERR_NOT_MEASURABLE = "目标须可衡量：请在目标中写明数量（如“60 亩”“4.5 万元”），或填写目标值和计量单位"
ERR_VALUE = "目标值应为不小于 0 的数字"
ERR_UNIT = "填写了目标值，请同时填写计量单位"
ERR_STALE = "该整改措施已被他人修改，您的修改没有保存，请刷新后重试"
ERR_HAS_WORK = "该措施已有进度、佐证材料或延期申请，不能删除"

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
# A number, or a Chinese numeral followed by a measure word: "60 亩", "每月一次", "两名".
MEASURABLE = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万半]+\s*[个次人户亩元名项场件期天年月周季批栋间条座所家%％]")
FIELDS = ["order", "title", "detail", "owner_name", "owner", "deadline", "target", "target_value", "unit"]


def _check_plan(plan: Plan, actor: Actor) -> Plan:
    ensure_org_in_scope(actor, plan.case.organization)
    if not actor.has_perm("plans.change_plan"):
        raise NotPermitted(ERR_NO_CHANGE)
    current = Plan.objects.select_for_update(of=("self",)).select_related("case__campaign").get(pk=plan.pk)
    if current.status == PlanStatus.APPROVED:
        raise ServiceError(ERR_LOCKED_APPROVED)
    if current.status not in EDITABLE:
        raise ServiceError(ERR_LOCKED.format(status=current.get_status_display()))
    return current


def _value(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(ERR_VALUE) from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e12"):
        raise ServiceError(ERR_VALUE)
    return number.quantize(Decimal("0.01"))


def _deadline(value: Any, plan: Plan, unchanged: datetime.date | None) -> datetime.date:
    if value in (None, ""):
        raise ServiceError(ERR_DEADLINE)
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ServiceError(ERR_DEADLINE) from None
    # An old deadline kept as it was is no new promise; only new dates are checked.
    if value != unchanged and value < timezone.localdate():
        raise ServiceError(ERR_DEADLINE_PAST)
    end_year = plan.case.campaign.end_year
    if value > datetime.date(end_year, 12, 31):
        raise ServiceError(ERR_DEADLINE_LATE.format(year=end_year))
    return value


def _clean(plan: Plan, actor: Actor, data: dict[str, Any], unchanged: datetime.date | None) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    owner = data.get("owner")
    owner_name = (data.get("owner_name") or "").strip() or (owner.name if owner is not None else "")
    target = (data.get("target") or "").strip()
    unit = (data.get("unit") or "").strip()
    if not title:
        raise ServiceError(ERR_TITLE)
    if len(title) > 300:
        raise ServiceError(ERR_TITLE_LONG)
    if not owner_name:
        raise ServiceError(ERR_OWNER)
    if len(owner_name) > 50:
        raise ServiceError(ERR_OWNER_LONG)
    if owner is not None and not measure_owners(actor, plan.case.organization).filter(pk=owner.pk).exists():
        raise ServiceError(ERR_OWNER_PERSON)
    deadline = _deadline(data.get("deadline"), plan, unchanged)
    if not target:
        raise ServiceError(ERR_TARGET)
    if len(target) > 200:
        raise ServiceError(ERR_TARGET_LONG)
    target_value = _value(data.get("target_value"))
    if target_value is not None and not unit:
        raise ServiceError(ERR_UNIT)
    if target_value is None and not MEASURABLE.search(target):
        raise ServiceError(ERR_NOT_MEASURABLE)
    return {
        "title": title,
        "detail": (data.get("detail") or "").replace("\r\n", "\n").strip(),
        "owner_name": owner_name,
        "owner": owner,
        "deadline": deadline,
        "target": target,
        "target_value": target_value,
        "unit": unit[:20],
    }


def measure_save(
    *,
    plan: Plan,
    actor: Actor,
    task_id: int | None,
    title: str,
    owner_name: str,
    deadline: datetime.date | str | None,
    target: str,
    detail: str = "",
    owner: Person | None = None,
    target_value: Decimal | str | None = None,
    unit: str = "",
    order: int | None = None,
    expected_version: int | None = None,
) -> Task:
    """Add a measure (task_id None) or change one. `expected_version` is the
    task's version the actor edited; someone else's change is not written over."""
    data: dict[str, Any] = dict(title=title, owner_name=owner_name, deadline=deadline, target=target, detail=detail, owner=owner)
    data.update(target_value=target_value, unit=unit)
    with transaction.atomic():
        current = _check_plan(plan, actor)
        if task_id is None:
            fields = _clean(current, actor, data, None)
            if order is None:
                order = (Task.objects.filter(plan=current).aggregate(n=Max("order"))["n"] or 0) + 1
            added = Task.objects.create(plan=current, order=order, **fields)
            record(Action.CREATE, added, actor=actor, after=snapshot(added, FIELDS), note=f"添加整改措施：{current}")
            TASK_WORKFLOW.record_creation(added, actor=actor, note="添加整改措施")
            return added
        task = Task.objects.select_for_update().filter(plan=current, pk=task_id).first()
        if task is None:
            raise Http404("不存在或无权访问")
        if expected_version is not None and task.version != expected_version:
            raise ConflictError(ERR_STALE)
        fields = _clean(current, actor, data, task.deadline)
        if order is not None:
            fields["order"] = order
        before = snapshot(task, FIELDS)
        changed = Task.objects.filter(pk=task.pk, version=task.version).update(
            **fields, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            raise ConflictError(ERR_STALE)
        task.refresh_from_db()
        after = snapshot(task, FIELDS)
        keys = [k for k in after if before.get(k) != after[k]]
        if keys:
            record(
                Action.UPDATE,
                task,
                actor=actor,
                before={k: before.get(k) for k in keys},
                after={k: after[k] for k in keys},
                note=f"修改整改措施：{current}",
            )
    return task


def measure_delete(*, plan: Plan, actor: Actor, task_id: int) -> None:
    with transaction.atomic():
        current = _check_plan(plan, actor)
        task = Task.objects.select_for_update().filter(plan=current, pk=task_id).first()
        if task is None:
            raise Http404("不存在或无权访问")
        # Work already reported against a measure is a record; it is not deleted with it.
        # Deleted evidence counts too: it is kept for its retention period, and a deleted
        # measure would take it along, leaving its file on disk with no row to purge it by.
        if (
            task.status != TaskStatus.NOT_STARTED
            or task.progress
            or task.actual_value is not None
            or task.evidence(manager="all_objects").exists()
            or task.extensions.exists()
        ):
            raise ServiceError(ERR_HAS_WORK)
        before = snapshot(task, FIELDS)
        record(Action.DELETE, task, actor=actor, before=before, note=f"删除整改措施：{current}")
        task.delete()
