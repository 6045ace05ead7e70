"""Workbooks made to take a server down, built here so no such file lives in the repository.

Each starts from a real workbook (a roster with its header) and replaces its
first sheet or adds parts, streaming the new part into the zip so that
building a bomb never holds its unpacked size in memory. bench/upload_bombs.py
measures the same files.
"""

from __future__ import annotations

import io
import random
import string
import zipfile
from collections.abc import Callable, Iterator

from tests.roster.roster import HEADER, xlsx

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
HEADER_ROW = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>' for i, name in enumerate(HEADER))


def _rebuild(
    replace: dict[str, Callable[[], Iterator[str]]], *, extra: int = 0, content_types: Callable[[str], str] | None = None
) -> bytes:
    """A copy of a one-row roster with the parts in `replace` written from their generators."""
    source = zipfile.ZipFile(io.BytesIO(xlsx({"组织编码": "V9", "组织名称": "甲村党支部", "上级组织": "T01"})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in replace:
                continue
            data = source.read(info)
            if info.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types(data.decode()).encode()
            target.writestr(info.filename, data)
        for name, pieces in replace.items():
            with target.open(name, "w", force_zip64=True) as stream:
                for piece in pieces():
                    stream.write(piece.encode())
        for index in range(extra):
            target.writestr(f"customXml/item{index}.xml", "<a/>")
    return out.getvalue()


def _sheet(body: Callable[[], Iterator[str]], *, dimension: str = "") -> Callable[[], Iterator[str]]:
    def pieces() -> Iterator[str]:
        yield HEAD
        if dimension:
            yield f'<dimension ref="{dimension}"/>'
        yield f'<sheetData><row r="1">{HEADER_ROW}</row>'
        yield from body()
        yield "</sheetData></worksheet>"

    return pieces


def blank_rows(rows: int, *, numbered: bool = True) -> bytes:
    """Millions of empty rows. Numbered ones (`<row r="2"/>`…) compress only a few times, unnumbered ~1000 times."""

    def body() -> Iterator[str]:
        step = 100_000
        for start in range(2, rows + 2, step):
            stop = min(start + step, rows + 2)
            yield "".join(f'<row r="{n}"/>' for n in range(start, stop)) if numbered else "<row/>" * (stop - start)

    return _rebuild({SHEET: _sheet(body)})


def row_gap(last_row: int = 1_048_576) -> bytes:
    """One data row numbered far down: openpyxl fills every row in between."""
    return _rebuild({SHEET: _sheet(lambda: iter([f'<row r="{last_row}"><c r="A{last_row}"><v>1</v></c></row>']))})


def wide_dimension(ref: str = "A1:XFD1048576") -> bytes:
    """A sheet that claims to span the whole grid: openpyxl pads every row to it."""
    return _rebuild({SHEET: _sheet(lambda: iter(()), dimension=ref)})


def shared_string(chars: int, *, repetitive: bool = False) -> bytes:
    """One shared string of `chars` characters, referenced from a cell of the first data row."""

    def strings() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>'
        rng = random.Random(8)
        step = 1_000_000
        for start in range(0, chars, step):
            size = min(step, chars - start)
            yield "x" * size if repetitive else "".join(rng.choices(string.ascii_letters, k=size))
        yield "</t></si></sst>"

    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    override = f'<Override PartName="/{STRINGS}" ContentType="{kind}"/>'
    return _rebuild(
        {
            STRINGS: strings,
            SHEET: _sheet(lambda: iter(['<row r="2"><c r="A2" t="s"><v>0</v></c></row>'])),
        },
        content_types=lambda text: text.replace("</Types>", override + "</Types>"),
    )


def many_parts(count: int) -> bytes:
    return _rebuild({}, extra=count)


def doctype() -> bytes:
    """A part declaring entities (the billion laughs), which no Office part ever does."""
    laughs = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return _rebuild({SHEET: lambda: iter([f'<?xml version="1.0"?>{laughs}<worksheet xmlns="{NS}"><sheetData/></worksheet>'])})


def long_attribute(size: int = 4 * 1024 * 1024) -> bytes:
    """One tag whose attribute runs for megabytes: expat would hold it whole."""
    rng = random.Random(3)

    def pieces() -> Iterator[str]:
        yield HEAD + '<sheetData><row r="1" spans="'
        for _ in range(size // 100_000):
            yield "".join(rng.choices(string.digits, k=100_000))
        yield '"/></sheetData></worksheet>'

    return _rebuild({SHEET: pieces})
