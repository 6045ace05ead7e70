"""Ledger writes and audited exports.

    file = ledger_export(actor=user, campaign=c, under=town)          # bytes + name, audited
    plan = ledger_preview(data=..., campaign=c, actor=user)            # writes nothing
    plan = ledger_upload(data=..., file_name=..., campaign=c, actor=user, seen_versions=plan.seen_versions())

An upload writes 主要问题 and 整改措施 through cases.services.case_update, so
each change keeps its version check and its own audit row; one IMPORT row
sums the upload up. Any unmatched or conflicting row refuses the whole file.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.campaigns.models import Campaign
from zhengdun.cases.services import case_update
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.core.jobs.models import Job
from zhengdun.core.jobs.services import job_enqueue
from zhengdun.core.masking import can_see_personal_info
from zhengdun.core.xlsx_reading import FileRejected
from zhengdun.ledger import messages as msg
from zhengdun.ledger import xlsx
from zhengdun.ledger.plan import UploadPlan, build_plan
from zhengdun.ledger.selectors import Ledger, Listing, iter_ledger_rows, ledger_count, ledger_for
from zhengdun.ledger.upload import read_ledger
from zhengdun.organizations.models import Organization

VIEW_PERM = "cases.view_case"
UPLOAD_PERM = "cases.propose_case"
EXPORT_JOB = "ledger_export"


@dataclass(frozen=True)
class LedgerFile:
    data: bytes
    file_name: str
    ledger: Ledger


class UploadRejected(ServiceError):
    """At least one row is unmatched or conflicting; nothing was written."""

    def __init__(self, plan: UploadPlan) -> None:
        super().__init__(plan.rejected_message, errors=[str(p) for p in plan.problems])
        self.plan = plan


def filled_by(actor: Any) -> str:
    """填报人及联系方式: the exporting account's name and its own phone."""
    name = getattr(actor, "display_name", "") or getattr(actor, "username", "")
    phone = getattr(actor, "phone", "")
    return f"{name} {phone}".strip()


def _check_view(actor: Any) -> None:
    if not actor.has_perm(VIEW_PERM):
        raise NotPermitted(msg.ERR_NOT_PERMITTED_VIEW)


def _record_export(
    actor: Any,
    head: xlsx.Head,
    *,
    fmt: str,
    rows: int,
    phones_unmasked: bool,
    organizations: list[str] | None,
) -> None:
    """The export's audit row. A streamed export names its subtree and listing rather than
    every organization (which would hold a province's codes in memory); that reads back the same."""
    phones = msg.PHONES_UNMASKED if phones_unmasked else msg.PHONES_MASKED
    after: dict[str, Any] = {
        "export": "ledger",
        "format": fmt,
        "campaign": head.campaign.pk,
        "unit": head.unit.code,
        "listing": head.listing,
        "rows": rows,
        "phones_unmasked": phones_unmasked,
    }
    if organizations is not None:
        after["organizations"] = organizations
    record(
        Action.EXPORT,
        head.campaign,
        actor=actor,
        after=after,
        note=msg.NOTE_EXPORT.format(campaign=head.campaign.name, unit=head.unit.name, rows=rows, phones=phones, fmt=fmt),
        object_repr=f"台账 {head.campaign.name} {head.unit.name}",
        org_path=head.unit.path,
    )


def _record_ledger(actor: Any, ledger: Ledger, *, fmt: str) -> None:
    _record_export(
        actor,
        xlsx.Head(ledger.campaign, ledger.unit, ledger.listing),
        fmt=fmt,
        rows=len(ledger.rows),
        phones_unmasked=ledger.phones_unmasked,
        organizations=[row.organization_code for row in ledger.rows],
    )


@transaction.atomic
def ledger_export(
    *, actor: Any, campaign: Campaign, under: Organization, listing: str = Listing.CURRENT, on: datetime.date | None = None
) -> LedgerFile:
    """The ledger workbook for a subtree; the export is audited with the phones' masking."""
    _check_view(actor)
    ledger = ledger_for(actor, campaign, under=under, listing=listing)
    filled_on = on or timezone.localdate()
    data = xlsx.build(ledger, xlsx.SheetInfo(filled_by=filled_by(actor), filled_on=filled_on))
    _record_ledger(actor, ledger, fmt="xlsx")
    return LedgerFile(data=data, file_name=xlsx.file_name(ledger, filled_on), ledger=ledger)


@transaction.atomic
def ledger_export_rows(*, actor: Any, campaign: Campaign, under: Organization, listing: str = Listing.CURRENT) -> Ledger:
    """The same rows for the API: a machine copy of personal data is an export too."""
    _check_view(actor)
    ledger = ledger_for(actor, campaign, under=under, listing=listing)
    _record_ledger(actor, ledger, fmt="json")
    return ledger


def export_is_large(*, actor: Any, campaign: Campaign, under: Organization, listing: str = Listing.CURRENT) -> int:
    """The number of rows when the export is to run as a job (more than EXPORT_JOB_ROWS), else 0."""
    _check_view(actor)
    rows = ledger_count(actor, campaign, under=under, listing=listing)
    return rows if rows > settings.EXPORT_JOB_ROWS else 0


def ledger_export_job(
    *, actor: Any, campaign: Campaign, under: Organization, listing: str = Listing.CURRENT, rows: int = 0
) -> Job:
    """Start the export as a background job (or find the same one still running)."""
    _check_view(actor)
    total = rows or ledger_count(actor, campaign, under=under, listing=listing)
    job, _created = job_enqueue(
        kind=EXPORT_JOB,
        key=f"campaign={campaign.pk};unit={under.pk};listing={listing};owner={actor.pk}",
        # Each request is its own period: a new export after one is done reads the data anew,
        # while a second click during the run finds the running one.
        period=timezone.now().strftime("%Y%m%d%H%M%S%f"),
        owner=actor,
        org_path=under.path,
        label=msg.JOB_LABEL.format(campaign=campaign.name, unit=under.name),
        params={"campaign": campaign.pk, "unit": under.pk, "listing": listing},
        total=total,
    )
    return job


def ledger_export_to(
    *,
    actor: Any,
    campaign: Campaign,
    under: Organization,
    out: Path,
    listing: str = Listing.CURRENT,
    progress: xlsx.Progress | None = None,
    on: datetime.date | None = None,
) -> tuple[int, str]:
    """Stream the workbook into `out` in constant memory; returns (rows, file name). Audited."""
    _check_view(actor)
    head = xlsx.Head(campaign, under, listing)
    filled_on = on or timezone.localdate()
    rows = iter_ledger_rows(actor, campaign, under=under, listing=listing)
    count = xlsx.write(out, head, rows, xlsx.SheetInfo(filled_by=filled_by(actor), filled_on=filled_on), progress)
    with transaction.atomic():
        _record_export(actor, head, fmt="xlsx", rows=count, phones_unmasked=can_see_personal_info(actor), organizations=None)
    return count, xlsx.file_name(head, filled_on)


def ledger_preview(*, data: bytes, campaign: Campaign, actor: Any) -> UploadPlan:
    """The plan for this file; its `problems` list every failing row. Writes nothing."""
    if not actor.has_perm(UPLOAD_PERM):
        raise NotPermitted(msg.ERR_NOT_PERMITTED_UPLOAD)
    sheet = read_ledger(data)
    if sheet.meta is not None and sheet.meta.campaign_id != campaign.pk:
        raise FileRejected(msg.ERR_OTHER_CAMPAIGN.format(other=sheet.meta.campaign_name))
    return build_plan(sheet=sheet, campaign=campaign, actor=actor)


@transaction.atomic
def ledger_upload(
    *, data: bytes, file_name: str, campaign: Campaign, actor: Any, seen_versions: dict[int, int] | None = None
) -> UploadPlan:
    """Apply the file, all of it or nothing.

    `seen_versions` is what the preview showed (case id -> version): a case
    changed by someone else since then is refused rather than overwritten.
    """
    # Planned again inside the transaction: cases may have changed since the preview.
    plan = ledger_preview(data=data, campaign=campaign, actor=actor)
    if not plan.ok:
        raise UploadRejected(plan)
    if seen_versions is not None:
        for item in plan.changed_rows:
            if seen_versions.get(item.case.pk) != item.case.version:
                raise ConflictError(msg.ERR_CHANGED_SINCE_PREVIEW.format(org=item.case.organization.name))
    if not plan.changed_rows:
        return plan
    for item in plan.changed_rows:
        case_update(
            case=item.case,
            actor=actor,
            expected_version=item.case.version,
            main_problems=item.main_problems,
            measures=item.measures,
            is_key=item.case.is_key,
        )
    organization = getattr(actor, "organization", None)
    counts = {"changed": plan.changed, "unchanged": plan.unchanged}
    record(
        Action.IMPORT,
        campaign,
        actor=actor,
        after={"import": "ledger", "file": file_name, "cases": [item.case.pk for item in plan.changed_rows], **counts},
        note=msg.NOTE_IMPORT.format(file=file_name, campaign=campaign.name, **counts),
        object_repr=f"台账 {file_name}",
        org_path=organization.path if organization is not None else campaign.scope.path,
    )
    return plan
