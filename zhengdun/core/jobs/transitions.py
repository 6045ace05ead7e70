"""A job's state machine: only the system actor (a consumer) moves it."""

from __future__ import annotations

from zhengdun.core.jobs.models import Job, JobEvent, JobState
from zhengdun.core.workflow import Transition, Workflow

RUN_PERM = "core.run_job"

JOB_WORKFLOW: Workflow[Job] = Workflow(
    model=Job,
    event_model=JobEvent,
    event_field="job",
    states=JobState,
    transitions=[
        Transition("start", "开始执行", (JobState.QUEUED,), JobState.RUNNING, RUN_PERM),
        Transition("finish", "执行完成", (JobState.RUNNING,), JobState.DONE, RUN_PERM),
        Transition("fail", "执行失败", (JobState.QUEUED, JobState.RUNNING), JobState.FAILED, RUN_PERM),
    ],
)
