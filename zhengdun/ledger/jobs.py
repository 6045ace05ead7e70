"""The ledger export as a background job: run by a consumer, as its owner's scope and masking."""

from __future__ import annotations

from django.http import Http404

from zhengdun.accounts.models import User
from zhengdun.campaigns.models import Campaign
from zhengdun.core.errors import ServiceError
from zhengdun.core.jobs import registry
from zhengdun.core.jobs.models import Job
from zhengdun.core.jobs.services import job_file_path
from zhengdun.core.masking import can_see_personal_info
from zhengdun.core.scoping import get_object_or_404
from zhengdun.ledger import messages as msg
from zhengdun.ledger import services
from zhengdun.organizations.models import Organization


def run_export(job: Job, progress: registry.Progress) -> registry.Outcome:
    owner = None
    if job.owner_id is not None:
        owner = User.objects.select_related("organization").filter(pk=job.owner_id, is_active=True).first()
    if owner is None:
        raise ServiceError(msg.ERR_JOB_OWNER)
    # The scope is checked again when the job runs: the owner may have moved since asking.
    try:
        campaign = get_object_or_404(Campaign.objects.select_related("scope"), owner, pk=job.params["campaign"])
        unit = get_object_or_404(Organization.objects.all(), owner, pk=job.params["unit"])
    except Http404:
        raise ServiceError(msg.ERR_JOB_SCOPE) from None
    out = job_file_path(job, ".xlsx")
    try:
        rows, file_name = services.ledger_export_to(
            actor=owner, campaign=campaign, under=unit, listing=job.params["listing"], out=out, progress=progress
        )
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    unmasked = can_see_personal_info(owner)
    phones = msg.PHONES_UNMASKED if unmasked else msg.PHONES_MASKED
    return registry.Outcome(
        summary=msg.JOB_DONE.format(rows=rows, phones=phones),
        result={"rows": rows, "personal_info": unmasked},
        file=out,
        file_name=file_name,
    )


def register() -> None:
    registry.register(services.EXPORT_JOB, label="导出台账", run=run_export)
