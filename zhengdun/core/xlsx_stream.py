"""The values of a workbook's first worksheet, streamed row by row through expat.

openpyxl's read-only mode builds a cell object per cell and spends about 15 µs
on each: a province's roster (30,000 rows of 11 columns) took 5 s to read, more
than the import itself. An import needs only what openpyxl's `values_only`
gives, so this reads the sheet XML directly, in chunks, keeping the shared
strings and one chunk's rows:

- the first sheet of xl/workbook.xml, found through its relationships;
- shared strings as their plain text (runs joined, phonetic guides left out);
- a cell's cached value (data_only): numbers as int or float as written, `s`
  and `inlineStr` as text, `b` as bool, `str`, `e` and `d` as the text stored.
  Number formats are not applied: a date typed into a number cell stays a number.

Rows come numbered as Excel numbers them; a gap in the numbers yields empty
rows, as openpyxl does. Call only after xlsx_guard.check_workbook: it bounds
every count this relies on. Malformed XML raises SheetUnreadable.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

CHUNK_BYTES = 64 * 1024
# An attribute in a namespace, as expat names it with namespace_separator=" ".
_REL_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"


class SheetUnreadable(Exception):
    """The workbook lacks a part a sheet needs, or a part is not well-formed XML."""


_LOCAL: dict[str, str] = {}


def _local(name: str) -> str:
    """The tag without its namespace; a handful of distinct tags, so remembered."""
    local = _LOCAL.get(name)
    if local is None:
        local = _LOCAL[name] = name.rpartition(" ")[2].rpartition(":")[2]
    return local


def _parse_whole(archive: zipfile.ZipFile, name: str, start: Any, end: Any = None, text: Any = None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    parser.buffer_text = True
    try:
        with archive.open(name) as stream:
            parser.ParseFile(stream)
    except (KeyError, expat.ExpatError) as exc:
        raise SheetUnreadable(name) from exc


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """The first worksheet's part and the shared strings part (None when there is none)."""
    sheets: list[str] = []

    def sheet(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet":
            sheets.append(attrs.get(_REL_ID, ""))

    _parse_whole(archive, "xl/workbook.xml", sheet)
    targets: dict[str, tuple[str, str]] = {}

    def relationship(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], attrs.get("Target", ""))

    _parse_whole(archive, "xl/_rels/workbook.xml.rels", relationship)
    if not sheets or sheets[0] not in targets:
        raise SheetUnreadable("xl/workbook.xml")

    def part(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))

    strings = next((part(t) for kind, t in targets.values() if kind == "sharedStrings"), None)
    return part(targets[sheets[0]][1]), strings


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    strings: list[str] = []
    if name is None or name not in archive.namelist():
        return strings
    state = {"t": False, "phonetic": 0}
    parts: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "si":
            parts.clear()
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t":
            state["t"] = True

    def end(tag: str) -> None:
        local = _local(tag)
        if local == "si":
            strings.append("".join(parts))
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "t":
            state["t"] = False

    def text(data: str) -> None:
        if state["t"] and not state["phonetic"]:
            parts.append(data)

    _parse_whole(archive, name, start, end, text)
    return strings


def _column(ref: str) -> int:
    number = 0
    for char in ref:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
    return number


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _Sheet:
    """expat handlers that collect finished rows; the reader drains them after each chunk."""

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings
        self.ready: list[tuple[Any, ...]] = []
        self.row_number = 0
        self.cells: list[Any] = []
        self.kind = ""
        self.column = 0
        self.text: list[str] | None = None  # collecting the value of a <v> or an inline <t>

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
            self.kind = attrs.get("t", "n")
        elif local in ("v", "t"):
            self.text = []
        elif local == "row":
            number = attrs.get("r")
            wanted = int(number) if number and number.isdigit() else self.row_number + 1
            while self.row_number + 1 < wanted:  # openpyxl yields the rows a sheet skips as empty
                self.row_number += 1
                self.ready.append(())
            self.row_number = max(wanted, self.row_number + 1)
            self.cells = []
            self.column = 0

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local in ("v", "t") and self.text is not None:
            self._value("".join(self.text))
            self.text = None
        elif local == "row":
            self.ready.append(tuple(self.cells))

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _value(self, text: str) -> None:
        kind = self.kind
        value: Any
        if kind == "s":
            index = int(text)
            value = self.strings[index] if 0 <= index < len(self.strings) else None
        elif kind == "n":
            value = _number(text) if text else None
        elif kind == "b":
            value = text.strip() in ("1", "true")
        else:  # inlineStr, str, e, d: the text as stored
            value = text
        cells = self.cells
        while len(cells) < self.column - 1:
            cells.append(None)
        if len(cells) < self.column:
            cells.append(value)
        else:
            cells[self.column - 1] = value if kind != "inlineStr" else (cells[self.column - 1] or "") + value


def first_sheet_values(data: bytes) -> Iterator[tuple[Any, ...]]:
    """Each line of the first worksheet as a tuple of values, from line 1."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetUnreadable("zip") from exc
    with archive:
        sheet_part, strings_part = _first_sheet(archive)
        sheet = _Sheet(_shared_strings(archive, strings_part))
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = sheet.start
        parser.EndElementHandler = sheet.end
        parser.CharacterDataHandler = sheet.chars
        parser.buffer_text = True
        try:
            with archive.open(sheet_part) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    parser.Parse(chunk, False)
                    yield from sheet.ready
                    sheet.ready.clear()
                parser.Parse(b"", True)
        except (KeyError, expat.ExpatError, ValueError, zipfile.BadZipFile) as exc:
            raise SheetUnreadable(sheet_part) from exc
        yield from sheet.ready
