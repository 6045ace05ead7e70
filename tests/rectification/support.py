"""Building blocks for the task tests: an approved plan made with the ORM, and real files."""

from __future__ import annotations

import datetime
import io
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhengdun.cases.models import Case
from zhengdun.cases.states import CaseState
from zhengdun.organizations.models import Organization
from zhengdun.plans.models import Plan, PlanStatus, PlanVersion, Task
from zhengdun.rectification.models import Evidence, ExtensionRequest


def approved_plan(campaign: Any, organization: Organization, *, approved: bool = True) -> Plan:
    """A plan in force for a rectifying case, made directly so these tests need no plan services."""
    case = Case.objects.create(campaign=campaign, organization=organization, state=CaseState.RECTIFYING)
    plan = Plan.objects.create(case=case, title=f"{organization.name}整顿提升工作实施方案", status=PlanStatus.DRAFT)
    if approved:
        version = PlanVersion.objects.create(plan=plan, number=1, content={}, reason="县级审批通过")
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED, approved_version=version)
        plan.refresh_from_db()
    return plan


def make_task(plan: Plan, *, days_left: int = 30, order: int = 1, **extra: Any) -> Task:
    values: dict[str, Any] = {
        "title": "流转土地种植艾草",
        "owner_name": "王建国",
        "deadline": timezone.localdate() + datetime.timedelta(days=days_left),
        "target": "流转土地 60 亩种植艾草",
        "target_value": 60,
        "unit": "亩",
    }
    values.update(extra)
    return Task.objects.create(plan=plan, order=order, **values)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes() -> bytes:
    """A real 2x2 red PNG, written by hand (no Pillow here)."""
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("东关村党支部主题党日活动记录")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["户主", "务工收入（元）"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(names: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _scoping_rows(campaign: Any, organization: Organization) -> dict[str, int]:
    """One of each task object under `organization`; no file on disk is needed to be refused."""
    task = make_task(approved_plan(campaign, organization))
    evidence = Evidence.objects.create(
        task=task, file="evidence/none", original_name="a.png", content_type="image/png", size=1, sha256="0" * 64
    )
    extension = ExtensionRequest.objects.create(
        task=task, old_deadline=task.deadline, new_deadline=task.deadline + datetime.timedelta(days=1), reason="x"
    )
    return {"plan": task.plan_id, "task": task.pk, "evidence": evidence.pk, "extension": extension.pk}


def web_scoping_objects(campaign: Any, organization: Organization) -> dict[str, int]:
    """Kwargs of the task pages for tests/web/test_scoping_every_url.py."""
    rows = _scoping_rows(campaign, organization)
    by_name = {
        "task_detail": "task",
        "task_progress": "task",
        "evidence_upload": "task",
        "extension_request": "task",
        "evidence": "evidence",
        "evidence_delete": "evidence",
        "extension_decide": "extension",
    }
    return {"plan_id": rows["plan"], **{f"rectification:{name}": rows[kind] for name, kind in by_name.items()}}


def api_scoping_ids(campaign: Any, organization: Organization) -> dict[str, int]:
    """Path ids of the task routes for tests/api/test_scoping_every_route.py."""
    rows = _scoping_rows(campaign, organization)
    return {f"{kind}_id": pk for kind, pk in rows.items()}
