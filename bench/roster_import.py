"""Benchmark: the roster import (花名册) of a province in one file.

    .venv/bin/python bench/roster_import.py [--villages 28599] [--counties 100] [--townships 1300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengdun_bench .venv/bin/python bench/roster_import.py

Builds a scratch database (a temporary SQLite file unless DATABASE_URL is set;
on PostgreSQL it uses that database as is, so point it at a scratch one) with
one national root, and a workbook of one province -> counties -> townships ->
villages (30,000 rows by default), every village with a secretary, a phone,
counts and income. Then, as the system actor:

- read: read_roster alone (the workbook guard and the streamed values, no database);
- openpyxl: the same file through openpyxl's read-only values, for comparison;
- first import: everything new;
- re-import of the same file: nothing to write;
- changed import: every village's member count and income changed.

Each prints wall seconds and rows per second, the CPU seconds of this process
(on a shared machine the fairer figure; PostgreSQL's own work is not in it),
queries, and the peak memory (tracemalloc, in a separate run of the same step
rolled back, so the timing is not slowed); the tree is checked with treebeard's
find_problems afterwards.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengdun.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["ZHENGDUN_DATA_DIR"] = tempfile.mkdtemp(prefix="zhengdun-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

HEADER = [
    *("组织编码", "组织名称", "上级组织", "组织类型", "所属领域"),
    *("书记姓名", "书记电话", "党员数", "户数", "人口", "集体经济收入(万元)"),
]
ROOT = "CN"


def roster(*, counties: int, townships: int, villages: int, changed: bool = False) -> bytes:
    """A province's roster workbook, written as Excel writes one (with its dimension)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["P01", "某省委", ROOT, "党委", "机关", None, None, 500, None, None, None])
    for c in range(counties):
        sheet.append([f"C{c:03}", f"第{c}县委", "P01", "党委", "农村", None, None, 300, None, None, None])
    for t in range(townships):
        sheet.append([f"T{t:05}", f"第{t}乡镇党委", f"C{t % counties:03}", "党委", "农村", None, None, 120, None, None, None])
    for v in range(villages):
        members = 20 + v % 40 + (1 if changed else 0)
        income = f"{(v % 500) / 10 + (1 if changed else 0):.1f}"
        sheet.append(
            [
                f"V{v:06}",
                f"第{v}村党支部",
                f"T{v % townships:05}",
                "党支部",
                "农村",
                f"书记{v}",
                f"139{v:08}",
                members,
                100 + v % 300,
                400 + v % 1200,
                income,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def openpyxl_values(data: bytes) -> int:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def peak_memory(step: Callable[[], Any]) -> float:
    """The step's peak memory in MB, measured in a transaction rolled back afterwards."""
    tracemalloc.start()
    try:
        with transaction.atomic():
            step()
            transaction.set_rollback(True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def timed(label: str, rows: int, step: Callable[[], Any], results: list[str]) -> float:
    memory = peak_memory(step)
    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        step()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    figures = f"{seconds:.2f} | {rows / seconds:,.0f} | {cpu:.2f} | {rows / cpu:,.0f} | {len(queries)} | {memory:.0f}"
    line = f"| {label} | {rows:,} | {figures} |"
    print(line, flush=True)
    results.append(line)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--townships", type=int, default=1300)
    parser.add_argument("--villages", type=int, default=28_599)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from zhengdun.core.system import SYSTEM
    from zhengdun.organizations.choices import Level
    from zhengdun.organizations.models import Organization
    from zhengdun.roster.reader import read_roster
    from zhengdun.roster.services import import_roster

    if not Organization.objects.filter(code=ROOT).exists():
        Organization.objects.add_root(instance=Organization(code=ROOT, name="全国", level=Level.PROVINCE))
    sizes = {"counties": args.counties, "townships": args.townships, "villages": args.villages}
    first, changed = roster(**sizes), roster(**sizes, changed=True)
    rows = 1 + args.counties + args.townships + args.villages
    print(f"{rows:,} rows, {len(first) / 1024 / 1024:.1f} MB; database {connection.vendor}")
    results = [
        "| step | rows | seconds | rows/s | CPU s (this process) | rows per CPU s | queries | peak MB (tracemalloc) |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def run(data: bytes) -> Callable[[], Any]:
        return lambda: import_roster(data=data, file_name="某省名册.xlsx", actor=SYSTEM, year=2025)

    read = timed("read only (guard + streamed values)", rows, lambda: read_roster(first), results)
    timed("openpyxl read-only values, for comparison", rows, lambda: openpyxl_values(first), results)
    created = timed("first import (all new)", rows, run(first), results)
    timed("re-import, unchanged", rows, run(first), results)
    timed("import, every village changed", rows, run(changed), results)
    problems = Organization.objects.find_problems()
    print("tree problems:", [len(p) for p in problems])
    print("\n".join(results))
    print(f"first import / read: {created / read:.1f}x")


if __name__ == "__main__":
    main()
