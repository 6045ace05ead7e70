"""Workbook bombs are refused before openpyxl opens them, with the limit they crossed.

Before the guard, the row and dimension bombs below each kept openpyxl busy
for minutes at gigabytes of memory (issue 8 §4). Timing figures live in
bench/upload_bombs.py; here: the refusal, its message, nothing written, and
the memory the refusal took.
"""

from __future__ import annotations

import functools
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core import workbook_bombs as bombs
from tests.roster.roster import org, xlsx
from zhengdun.audit.models import AuditEvent
from zhengdun.core import xlsx_guard as guard
from zhengdun.core.xlsx_guard import WorkbookRefused, check_workbook
from zhengdun.core.xlsx_reading import FileRejected
from zhengdun.ledger.upload import read_ledger
from zhengdun.organizations.models import Organization
from zhengdun.roster.reader import read_roster

NOT_XLSX = "不是 xlsx"
ROWS = guard.ERR_ROWS.format(limit=guard.MAX_ROWS)
MB = 1024 * 1024


@functools.cache
def bomb(name: str) -> bytes:
    return {
        # 1,000,000 numbered blank rows: 2.5 MB packed, 16 MB unpacked, ratio about 7.
        "blank_rows": lambda: bombs.blank_rows(1_000_000),
        # 2,000,000 numbered blank rows: a 5 MB upload, 33 MB unpacked.
        "five_megabytes": lambda: bombs.blank_rows(2_000_000),
        "unnumbered_rows": lambda: bombs.blank_rows(5_000_000, numbered=False),
        "row_gap": bombs.row_gap,
        "wide_dimension": bombs.wide_dimension,
        "long_string": lambda: bombs.shared_string(40_000),
        "huge_string": lambda: bombs.shared_string(30_000_000, repetitive=True),
        "many_parts": lambda: bombs.many_parts(guard.MAX_PARTS),
        "doctype": bombs.doctype,
        "long_attribute": bombs.long_attribute,
    }[name]()


REFUSALS = {
    "blank_rows": ROWS,
    "five_megabytes": guard.ERR_UNCOMPRESSED.format(size="33.3 MB", limit="32.0 MB"),
    "unnumbered_rows": guard.ERR_RATIO.format(part=bombs.SHEET, ratio=679),
    "row_gap": ROWS,
    "wide_dimension": ROWS,
    "long_string": guard.ERR_TEXT.format(limit=guard.MAX_TEXT_CHARS),
    "huge_string": guard.ERR_RATIO.format(part=bombs.STRINGS, ratio=1023),
    "many_parts": guard.ERR_PARTS.format(count=guard.MAX_PARTS + 9, limit=guard.MAX_PARTS),
    "doctype": guard.ERR_STRUCTURE,
    "long_attribute": guard.ERR_STRUCTURE,
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_it_refuses_each_bomb_with_the_limit_it_crossed(name):
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(bomb(name), not_xlsx=NOT_XLSX)
    assert refused.value.message == REFUSALS[name]


@pytest.mark.parametrize("name", ["blank_rows", "five_megabytes", "row_gap", "wide_dimension", "long_attribute"])
def test_it_refuses_the_roster_and_the_ledger_within_bounded_memory(name):
    data = bomb(name)
    for read in (read_roster, read_ledger):
        tracemalloc.start()
        try:
            with pytest.raises(FileRejected) as refused:
                read(data)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert refused.value.message == REFUSALS[name]
        assert peak < 20 * MB, f"{name}: {peak / MB:.1f} MB"


def test_it_counts_columns_and_cells_as_openpyxl_pads_them():
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(bombs.wide_dimension("A1:XFD3"), not_xlsx=NOT_XLSX)
    assert refused.value.message == guard.ERR_COLUMNS.format(limit=guard.MAX_COLUMNS)
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(bombs.wide_dimension(f"A1:CV{guard.MAX_CELLS // 100 + 1}"), not_xlsx=NOT_XLSX)
    assert refused.value.message == guard.ERR_CELLS.format(limit=guard.MAX_CELLS)


def test_it_passes_an_ordinary_roster_and_calls_garbage_not_xlsx():
    check_workbook(xlsx(*[org(f"V{n}", f"村{n}党支部", "T01", 党员数=n) for n in range(500)]), not_xlsx=NOT_XLSX)
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(b"PK\x03\x04 not really a zip", not_xlsx=NOT_XLSX)
    assert refused.value.message == NOT_XLSX


@pytest.fixture
def uploads(settings, tmp_path) -> Path:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR


def _written(uploads: Path) -> list[Path]:
    return [path for path in uploads.rglob("*") if path.is_file()] if uploads.exists() else []


def test_the_roster_import_page_refuses_a_bomb_and_writes_nothing(as_user, world, town1, uploads):
    client = as_user(town1)
    organizations, events = Organization.objects.count(), AuditEvent.objects.count()
    response = client.post(reverse("roster:upload"), {"file": SimpleUploadedFile("名册.xlsx", bomb("blank_rows")), "year": 2025})
    assert response.status_code == 200
    assert ROWS in response.content.decode()
    assert response.context["form"].errors["file"] == [ROWS]
    assert Organization.objects.count() == organizations and AuditEvent.objects.count() == events
    assert _written(uploads) == []


def test_the_ledger_upload_page_refuses_a_bomb_and_writes_nothing(as_user, world, campaign, town1, uploads):
    client = as_user(town1)
    events = AuditEvent.objects.count()
    url = f"{reverse('ledger:upload')}?campaign={campaign.pk}"
    response = client.post(url, {"file": SimpleUploadedFile("台账.xlsx", bomb("row_gap"))})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [ROWS]
    assert AuditEvent.objects.count() == events
    assert _written(uploads) == []
