"""A workbook is measured before openpyxl opens it, so a crafted file cannot take a worker down.

openpyxl believes what a file says: a `<dimension ref="A1:XFD1048576">` or a
row numbered 1048576 makes it hand back a million padded rows, and a shared
string of a hundred megabytes is held in memory whole. A 5 MB upload made of
such parts kept a worker busy for minutes at gigabytes of memory.

So first the zip's directory is read (nothing is unpacked): the number of
parts, their declared sizes and each part's compression ratio. Reading a part
through zipfile never yields more than its declared size, so those figures
bound what follows. Then every XML part is streamed through expat in small
chunks, counting what openpyxl would build: rows (a gap in the row numbers
counts as the blank rows openpyxl fills in), columns, text length, shared
strings. The first limit crossed stops the reading with a Chinese message.
Memory stays at a chunk and one token; time at one pass over what the
directory promised, cut short at the first limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings

from zhengdun.core.errors import ServiceError

MAX_PARTS = 500
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_PART_BYTES = 32 * 1024 * 1024
# Sheet XML compresses 5 to 20 times; a part far beyond that is padding made to blow up.
MAX_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# Per sheet, blank rows included: the data rows an import takes, plus a title and blank lines.
MAX_ROWS = settings.IMPORT_MAX_ROWS + 1_000
MAX_COLUMNS = 200
# Rows x columns as openpyxl pads them, per sheet: a full-height sheet of 20 columns, or a
# shorter one as wide as MAX_COLUMNS. Read row by row, cells cost time, not memory.
MAX_CELLS = max(1_000_000, MAX_ROWS * 20)
MAX_TEXT_CHARS = 32_767  # Excel's own limit for one cell
# openpyxl holds every shared string in memory: a roster row has up to four of its own
# (code, name, parent, secretary). MAX_PART_BYTES bounds their total size.
MAX_SHARED_STRINGS = max(200_000, settings.IMPORT_MAX_ROWS * 4)
# No attribute or tag of an Office part comes near this; expat holds one token whole.
MAX_TOKEN_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024

ERR_PARTS = "文件结构异常：压缩包内有 {count} 个部件，超过 {limit} 个的上限，不像是正常的 Excel 文件"
ERR_UNCOMPRESSED = "文件解压后过大（{size}），超过 {limit} 的上限：请删除多余的工作表、图片或格式后重新上传"
ERR_RATIO = "文件内容异常：部件“{part}”解压后是压缩前的 {ratio} 倍，可能是恶意构造的文件，已拒绝"
ERR_ROWS = "工作表的行数超过 {limit} 行（空行也计算在内）：请删除多余的空行后重新上传"
ERR_COLUMNS = "工作表的列数超过 {limit} 列：请删除多余的列后重新上传"
ERR_CELLS = "工作表的单元格数量超过 {limit} 个（空行、空列也计算在内）：请删除多余的空行、空列后重新上传"
ERR_TEXT = "单元格文字过长：超过 {limit} 个字符"
ERR_SHARED_STRINGS = "文件中的文字条目超过 {limit} 条，请分批上传"
ERR_STRUCTURE = "文件结构异常，无法安全读取：请在 Excel 中另存为 .xlsx 后重新上传"

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


class WorkbookRefused(ServiceError):
    """The workbook crosses a limit; the message says which."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_workbook(data: bytes, *, not_xlsx: str) -> None:
    """Refuse a workbook beyond the limits; `not_xlsx` when it is no zip at all. Reads nothing twice."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WorkbookRefused(not_xlsx) from None
    with archive:
        members = archive.infolist()
        _check_directory(members, not_xlsx=not_xlsx)
        for info in members:
            if not info.is_dir():
                _scan_part(archive, info, not_xlsx=not_xlsx)


def _check_directory(members: list[zipfile.ZipInfo], *, not_xlsx: str) -> None:
    if len(members) > MAX_PARTS:
        raise WorkbookRefused(ERR_PARTS.format(count=len(members), limit=MAX_PARTS))
    total = sum(info.file_size for info in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookRefused(ERR_UNCOMPRESSED.format(size=megabytes(total), limit=megabytes(MAX_UNCOMPRESSED_BYTES)))
    for info in members:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookRefused(not_xlsx)  # encrypted, or packed in a way Excel never writes
        if info.file_size > MAX_PART_BYTES:
            size, limit = megabytes(info.file_size), megabytes(MAX_PART_BYTES)
            raise WorkbookRefused(ERR_UNCOMPRESSED.format(size=size, limit=limit))
        if info.file_size >= RATIO_CHECKED_FROM_BYTES:
            ratio = info.file_size // max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise WorkbookRefused(ERR_RATIO.format(part=info.filename[-80:], ratio=ratio))


@dataclass
class _Counts:
    """What openpyxl would build from one part, counted as expat reports it."""

    rows: int = 0  # the row number openpyxl has reached, gaps filled
    columns: int = 0  # in the current row
    widest: int = 0
    text: int = 0  # characters of the current text run
    strings: int = 0
    events: int = 0
    pending: int = 0  # bytes fed since expat last reported anything: one token still being read
    refused: list[str] = field(default_factory=list)


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, not_xlsx: str) -> None:
    counts = _Counts()
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, attrs: _start(counts, name.rpartition(":")[2], attrs)
    parser.EndElementHandler = lambda name: _end(counts)
    parser.CharacterDataHandler = lambda data: _text(counts, len(data))
    # Office parts never declare a DTD: no entity can expand into something large.
    parser.StartDoctypeDeclHandler = lambda *args: _refuse(counts, ERR_STRUCTURE)
    parser.EntityDeclHandler = lambda *args: _refuse(counts, ERR_STRUCTURE)
    try:
        with archive.open(info) as stream:
            first = stream.read(CHUNK_BYTES)
            if not first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return  # an image or other binary part: bounded by the directory checks, never parsed
            chunk = first
            while chunk:
                seen = counts.events
                parser.Parse(chunk, False)
                counts.pending = counts.pending + len(chunk) if counts.events == seen else 0
                if counts.pending > MAX_TOKEN_BYTES:
                    _refuse(counts, ERR_STRUCTURE)
                chunk = stream.read(CHUNK_BYTES)
            parser.Parse(b"", True)
    except _Stop:
        raise WorkbookRefused(counts.refused[0]) from None
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise WorkbookRefused(not_xlsx) from None


class _Stop(Exception):
    """Raised inside an expat handler to end the parse at the first limit crossed."""


def _refuse(counts: _Counts, message: str) -> None:
    counts.refused.append(message)
    raise _Stop


def _start(counts: _Counts, name: str, attrs: dict[str, str]) -> None:
    counts.events += 1
    counts.text = 0
    if name == "row":
        number = attrs.get("r", "")
        counts.rows = max(counts.rows + 1, int(number) if number.isdigit() and len(number) <= 9 else 0)
        counts.columns = 0
        if counts.rows > MAX_ROWS:
            _refuse(counts, ERR_ROWS.format(limit=MAX_ROWS))
    elif name == "c":
        column = _column(attrs.get("r", ""))
        counts.columns = max(counts.columns + 1, column)
        counts.widest = max(counts.widest, counts.columns)
        if counts.columns > MAX_COLUMNS:
            _refuse(counts, ERR_COLUMNS.format(limit=MAX_COLUMNS))
        if counts.rows * counts.widest > MAX_CELLS:
            _refuse(counts, ERR_CELLS.format(limit=MAX_CELLS))
    elif name == "si":
        counts.strings += 1
        if counts.strings > MAX_SHARED_STRINGS:
            _refuse(counts, ERR_SHARED_STRINGS.format(limit=MAX_SHARED_STRINGS))
    elif name == "dimension":
        _dimension(counts, attrs.get("ref", ""))


def _end(counts: _Counts) -> None:
    counts.events += 1
    counts.text = 0


def _text(counts: _Counts, length: int) -> None:
    counts.events += 1
    counts.text += length
    if counts.text > MAX_TEXT_CHARS:
        _refuse(counts, ERR_TEXT.format(limit=MAX_TEXT_CHARS))


def _column(ref: str) -> int:
    match = _CELL_REF.match(ref)
    if match is None:
        return 0
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _dimension(counts: _Counts, ref: str) -> None:
    """openpyxl pads every row to the dimension's last column and the sheet to its last row."""
    last = ref.rpartition(":")[2]
    match = _CELL_REF.match(last)
    if match is None:
        return
    rows, columns = int(match.group(2)), _column(last)
    if rows > MAX_ROWS:
        _refuse(counts, ERR_ROWS.format(limit=MAX_ROWS))
    if columns > MAX_COLUMNS:
        _refuse(counts, ERR_COLUMNS.format(limit=MAX_COLUMNS))
    if rows * columns > MAX_CELLS:
        _refuse(counts, ERR_CELLS.format(limit=MAX_CELLS))
