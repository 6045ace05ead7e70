"""Benchmark: workbook bombs against the roster and ledger readers, time and peak memory.

    .venv/bin/python bench/upload_bombs.py [--before] [--limit-seconds 20]

Builds the bombs of tests/core/workbook_bombs.py, then reads each one in a
fresh interpreter (so its peak resident memory is its own) with
roster.reader.read_roster and ledger.upload.read_ledger, which check the
workbook (core/xlsx_guard.py) before openpyxl opens it. Prints the bomb's
size, the answer, the wall time and the peak RSS.

--before also reads each bomb the way the readers did before the guard
(openpyxl, read-only, every row), in a child limited to --limit-seconds and
2 GB of address space, to show what the guard prevents; a child that hits
either limit is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengdun.settings")
os.environ.setdefault("ZHENGDUN_DATA_DIR", tempfile.mkdtemp(prefix="zhengdun-bench-"))

BOMBS = {
    "1M numbered blank rows": ("blank_rows", {"rows": 1_000_000}),
    "2M numbered blank rows (5 MB)": ("blank_rows", {"rows": 2_000_000}),
    "5M unnumbered blank rows": ("blank_rows", {"rows": 5_000_000, "numbered": False}),
    "row 1048576 after row 1": ("row_gap", {}),
    "dimension A1:XFD1048576": ("wide_dimension", {}),
    "dimension A1:XFD100": ("wide_dimension", {"ref": "A1:XFD100"}),
    "shared string 20M random chars": ("shared_string", {"chars": 20_000_000}),
    "shared string 30M repeated chars": ("shared_string", {"chars": 30_000_000, "repetitive": True}),
    "4 MB attribute": ("long_attribute", {}),
}
MEMORY_LIMIT = 2 * 1024**3
UNKNOWN = {"peak_mb": float("nan"), "grew_mb": float("nan")}


def child(path: str, reader: str) -> None:
    import django

    django.setup()
    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    answer = "accepted"
    try:
        if reader == "before":
            import io

            from openpyxl import load_workbook

            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
            answer = f"read {rows} rows"
        else:
            from zhengdun.core.xlsx_reading import FileRejected
            from zhengdun.ledger.upload import read_ledger
            from zhengdun.roster.reader import read_roster

            try:
                (read_roster if reader == "roster" else read_ledger)(data)
            except FileRejected as exc:
                answer = exc.message
    except MemoryError:
        answer = "MemoryError at 2 GB"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"answer": answer, "seconds": seconds, "peak_mb": peak / 1024, "grew_mb": (peak - before) / 1024}))


def run(path: str, reader: str, limit: float) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", path, reader]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {
            "answer": f"still reading after {limit:g} s (killed)",
            "seconds": limit,
            "peak_mb": float("nan"),
            "grew_mb": float("nan"),
        }
    lines = done.stdout.strip().splitlines()
    if not lines:
        return {
            "answer": f"died: {done.stderr.strip().splitlines()[-1:]}",
            "seconds": float("nan"),
            "peak_mb": float("nan"),
            "grew_mb": float("nan"),
        }
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--limit-seconds", type=float, default=20)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    import django

    django.setup()
    from tests.core import workbook_bombs

    readers = ["roster", "ledger"] + (["before"] if args.before else [])
    print("| bomb | packed | reader | answer | time | peak RSS (growth) |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, (builder, options) in BOMBS.items():
            path = Path(folder) / "bomb.xlsx"
            path.write_bytes(getattr(workbook_bombs, builder)(**options))
            size = path.stat().st_size / 1024**2
            for reader in readers:
                result = run(str(path), reader, args.limit_seconds if reader == "before" else 60)
                print(
                    f"| {label} | {size:.2f} MB | {reader} | {str(result['answer'])[:60]} | "
                    f"{result['seconds']:.3f} s | {result['peak_mb']:.0f} MB (+{result['grew_mb']:.0f}) |"
                )


if __name__ == "__main__":
    main()
