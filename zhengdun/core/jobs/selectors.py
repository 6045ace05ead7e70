"""Reading jobs: a user reads the jobs they started, inside their scope (else 404)."""

from __future__ import annotations

from zhengdun.core.actors import Actor
from zhengdun.core.jobs.models import Job
from zhengdun.core.scoping import get_object_or_404


def job_of_owner(user: Actor, pk: int) -> Job:
    return get_object_or_404(Job.objects.filter(owner_id=user.pk), user, pk=pk)
