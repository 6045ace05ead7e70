"""What every uploaded workbook goes through before its rows mean anything.

The size check, the limits of xlsx_guard.py, opening the file with the errors openpyxl raises on anything
that is not an .xlsx, finding the header line by its names, and a cell as
the text a person typed. What the rows mean stays with each feature
(roster/reader.py, ledger/upload.py). Nothing here touches the
database.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from zhengdun.core.errors import ServiceError
from zhengdun.core.xlsx_guard import WorkbookRefused, check_workbook
from zhengdun.core.xlsx_stream import SheetUnreadable, first_sheet_values

# The same words for every upload, so they live here rather than in each feature's messages.
ERR_TOO_LARGE = "文件过大：导入文件不能超过 {limit}"
ERR_MISSING_HEADERS = "缺少必需的列：{names}"
ERR_DUPLICATE_HEADER = "列“{name}”出现了不止一次"

# A county's sheet sometimes carries a title line or two above the header.
HEADER_SEARCH_ROWS = 10

Line = TypeVar("Line", bound=Sequence[Any])


class FileRejected(ServiceError):
    """The file cannot be read at all; the message says why."""


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number; 0 when the file as a whole is wrong
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


def size_limit_text() -> str:
    limit = settings.MAX_UPLOAD_BYTES
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


def check_size(size: int) -> None:
    if size > settings.MAX_UPLOAD_BYTES:
        raise FileRejected(ERR_TOO_LARGE.format(limit=size_limit_text()))


@contextmanager
def open_workbook(data: bytes, *, not_xlsx: str, data_only: bool) -> Iterator[Workbook]:
    """The workbook (read-only, closed afterwards), with at least one worksheet.

    Raises FileRejected: too large, beyond the limits of xlsx_guard (checked
    before openpyxl sees the file), or `not_xlsx` when openpyxl cannot read it.
    `data_only` reads formulas' cached results instead of the formulas.
    """
    check_size(len(data))
    try:
        check_workbook(data, not_xlsx=not_xlsx)
    except WorkbookRefused as exc:
        raise FileRejected(exc.message) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise FileRejected(not_xlsx) from None
    try:
        if not workbook.worksheets:
            raise FileRejected(not_xlsx)
        yield workbook
    finally:
        workbook.close()


def sheet_lines(data: bytes, *, not_xlsx: str) -> Iterator[tuple[Any, ...]]:
    """The first worksheet's lines as tuples of values (what openpyxl's values_only and
    data_only give), streamed by xlsx_stream: for imports of many rows.

    Raises FileRejected as open_workbook does: the size and the guard's limits
    now, `not_xlsx` while reading when a part is missing or malformed.
    """
    check_size(len(data))
    try:
        check_workbook(data, not_xlsx=not_xlsx)
    except WorkbookRefused as exc:
        raise FileRejected(exc.message) from None
    return _lines(data, not_xlsx)


def _lines(data: bytes, not_xlsx: str) -> Iterator[tuple[Any, ...]]:
    try:
        yield from first_sheet_values(data)
    except SheetUnreadable:
        raise FileRejected(not_xlsx) from None


def normalize_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", text)


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: numbers without ".0", full-width spaces as spaces, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # codes and phones typed into number cells
    return str(value).replace("\u3000", " ").strip()


@dataclass(frozen=True)
class Header:
    """The columns a sheet has, and how its header line is told from a title above it."""

    columns: tuple[tuple[str, str, bool], ...]  # (key, header, required)
    anchors: tuple[str, ...]  # a line naming any of these keys is the header
    no_header: str  # the message when no line is; formatted with rows=
    aliases: Mapping[str, str] = field(default_factory=dict)  # other header names -> key

    @cached_property
    def labels(self) -> dict[str, str]:
        return {key: header for key, header, _ in self.columns}

    @cached_property
    def keys(self) -> dict[str, str]:
        named = {normalize_header(header): key for key, header, _ in self.columns}
        return named | {normalize_header(name): key for name, key in self.aliases.items()}

    def columns_in(self, values: Iterable[Any], number: int) -> dict[str, int] | None:
        """Column index per key, or None when this line is not the header."""
        keys, labels = self.keys, self.labels
        columns: dict[str, int] = {}
        for index, value in enumerate(values):
            key = keys.get(normalize_header(value))
            if key is None:
                continue
            if key in columns:
                raise FileRejected(str(RowError(number, ERR_DUPLICATE_HEADER.format(name=labels[key]))))
            columns[key] = index
        if not any(key in columns for key in self.anchors):
            return None
        missing = [header for key, header, required in self.columns if required and key not in columns]
        if missing:
            raise FileRejected(str(RowError(number, ERR_MISSING_HEADERS.format(names="、".join(missing)))))
        return columns


def after_header(
    lines: Iterable[Line], header: Header, *, value: Callable[[Any], Any] = lambda item: item
) -> tuple[dict[str, int], Iterator[tuple[int, Line]]]:
    """The header's columns, and the numbered lines below it.

    `value` turns one item of a line into its value: lines read with
    values_only hold values already, lines of cells need `cell.value`.
    Raises FileRejected with the header's `no_header` when none of the first
    HEADER_SEARCH_ROWS lines is the header.
    """
    numbered = enumerate(lines, start=1)
    for number, line in numbered:
        if number > HEADER_SEARCH_ROWS:
            break
        columns = header.columns_in([value(item) for item in line], number)
        if columns is not None:
            return columns, numbered
    raise FileRejected(header.no_header.format(rows=HEADER_SEARCH_ROWS))
