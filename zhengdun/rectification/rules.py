"""Who stands above whom, the one rule behind reopening done tasks and deciding extensions."""

from __future__ import annotations

from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted
from zhengdun.plans.models import Task, TaskStatus
from zhengdun.rectification.models import ExtensionRequest

ERR_DONE_LOCKED = "任务已完成，只有乡镇（街道）或县级可以重新打开或修改"
ERR_DONE_NEEDS_EVIDENCE = "完成任务须上传佐证材料"


def is_above(actor: Actor, org_path: str) -> bool:
    """Whether the actor sits at a level above the organization (its township or county)."""
    if actor.is_superuser:
        return True
    organization = getattr(actor, "organization", None)
    own = organization.path if actor.organization_id and organization is not None else ""
    return bool(own) and org_path.startswith(own) and len(own) < len(org_path)


def ensure_may_change_done(actor: Actor, task: Task) -> None:
    """A done task is changed (or reopened) only by the level above its organization."""
    if task.status == TaskStatus.DONE and not is_above(actor, task.plan.case.organization.path):
        raise NotPermitted(ERR_DONE_LOCKED)


def requester_path(extension: ExtensionRequest) -> str:
    """The organization that asked: the requester's own, or the task's when the account is gone."""
    requester = extension.requested_by
    if requester is not None and requester.organization is not None:
        return requester.organization.path
    return extension.task.plan.case.organization.path
