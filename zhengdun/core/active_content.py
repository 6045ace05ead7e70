"""Whether an Office document or a PDF carries something that runs when it is opened.

An evidence file is opened by officials at the level above, on the office
network: a macro, a remote template or a PDF script would run there. Such
files are refused outright (not merely served as downloads: a download is
opened just the same). They are judged by what they contain, not by one
substring, so a renamed .docm, a macro part under another folder, a remote
template fetched at opening or a hex-escaped `/J#61vaScript` are all found.

Office: every part name (a `vbaProject.bin` anywhere, an embedded macro
document, ActiveX), every content type in [Content_Types].xml (macro-enabled
main parts, VBA, XLM macro sheets, ActiveX), every relationship in every
.rels part (an attached template, or any target outside the file other than
a plain hyperlink).

PDF: every name in the file (with #xx escapes decoded) and in every
compressed object stream, where a script can hide from a plain search:
JavaScript, automatic actions (/AA), launching programs, embedded files,
rich media, XFA forms. /OpenAction alone only opens a page; its script, if
any, is a /JS found like any other. An object stream that cannot be read is
refused, since what it holds cannot be checked.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import IO
from xml.parsers import expat

# A part that holds code, by a word of its path (lower case): VBA, ActiveX, XLM macro sheets,
# OLE objects (the carrier of packaged programs and of the Equation Editor exploits).
MACRO_PART_NAMES = ("vbaproject", "vbadata", "activex", "macrosheets/", "oleobject")
MACRO_EXTENSIONS = (".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm", ".potm", ".ppam", ".ppsm", ".sldm")
MACRO_CONTENT_TYPES = (
    "macroenabled",
    "vbaproject",
    "vbadata",
    "ms-office.activex",
    "ms-excel.macrosheet",
    "ms-excel.intlmacrosheet",
    "ms-word.keymapcustomizations",
    "ms-excel.sheet.binary",
)
# The one kind of relationship allowed to point outside the file: a link the reader chooses to follow.
HYPERLINK = "/hyperlink"
MAX_XML_PART_BYTES = 1024 * 1024
MAX_PARTS = 2000

PDF_ACTIVE_NAMES = {
    b"JS": "JavaScript 脚本",
    b"JavaScript": "JavaScript 脚本",
    b"AA": "自动执行的动作",
    b"Launch": "启动程序的动作",
    b"EmbeddedFile": "嵌入文件",
    b"EmbeddedFiles": "嵌入文件",
    b"RichMedia": "多媒体插件",
    b"XFA": "XFA 动态表单",
}
MAX_OBJECT_STREAM_BYTES = 32 * 1024 * 1024

ERR_OFFICE_MACRO = "文件含有宏或可执行内容（{what}），不能上传：请另存为不含宏的 .docx、.xlsx 或 .pptx 后重新上传"
ERR_OFFICE_EXTERNAL = "文件引用了外部模板或外部资源（{target}），不能上传：请去掉外部链接或模板后另存，再重新上传"
ERR_OFFICE_UNREADABLE = "无法检查该 Office 文件的内容，不能上传：请在 Office 中另存后重新上传"
ERR_PDF_ACTIVE = "PDF 文件含有{what}，不能上传：请用“打印为 PDF”另存一份不含脚本和附件的文件后重新上传"
ERR_PDF_UNREADABLE = "PDF 文件中有无法检查的压缩对象，不能上传：请用“打印为 PDF”另存后重新上传"

_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


class _Unsafe(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def office_refusal(stream: IO[bytes]) -> str | None:
    """Why an .docx/.xlsx/.pptx must be refused, or None when it carries no code and no remote part."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > MAX_PARTS:
                return ERR_OFFICE_UNREADABLE
            for info in members:
                _check_part_name(info.filename)
            for info in members:
                name = info.filename.lower()
                if name == "[content_types].xml":
                    _elements(archive, info, _content_type)
                elif name.endswith(".rels"):
                    _elements(archive, info, _relationship)
    except _Unsafe as unsafe:
        return unsafe.message
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, EOFError, expat.ExpatError):
        return ERR_OFFICE_UNREADABLE
    finally:
        stream.seek(0)
    return None


def _check_part_name(name: str) -> None:
    lower = name.lower()
    if any(word in lower for word in MACRO_PART_NAMES) or lower.endswith(MACRO_EXTENSIONS):
        raise _Unsafe(ERR_OFFICE_MACRO.format(what=name[-80:]))


def _content_type(tag: str, attrs: dict[str, str]) -> None:
    if tag in ("Default", "Override"):
        declared = attrs.get("ContentType", "")
        if any(word in declared.lower() for word in MACRO_CONTENT_TYPES):
            raise _Unsafe(ERR_OFFICE_MACRO.format(what=declared[-120:]))


def _relationship(tag: str, attrs: dict[str, str]) -> None:
    if tag != "Relationship":
        return
    kind, target = attrs.get("Type", ""), attrs.get("Target", "")
    if kind.lower().endswith("/attachedtemplate") or "vbaproject" in kind.lower():
        raise _Unsafe(ERR_OFFICE_EXTERNAL.format(target=target[-120:] or kind[-80:]))
    if attrs.get("TargetMode", "").lower() == "external" and not kind.lower().endswith(HYPERLINK):
        raise _Unsafe(ERR_OFFICE_EXTERNAL.format(target=target[-120:]))


def _elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo, seen: object) -> None:
    """Hand every element of a small XML part to `seen(local name, attributes)`; no DTD allowed."""
    if info.file_size > MAX_XML_PART_BYTES:
        raise _Unsafe(ERR_OFFICE_UNREADABLE)
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, attrs: seen(name.rpartition(":")[2], attrs)  # type: ignore[operator]
    parser.StartDoctypeDeclHandler = lambda *args: _raise(ERR_OFFICE_UNREADABLE)
    with archive.open(info) as part:
        parser.Parse(part.read(MAX_XML_PART_BYTES + 1), True)


def _raise(message: str) -> None:
    raise _Unsafe(message)


def pdf_refusal(stream: IO[bytes]) -> str | None:
    """Why a PDF must be refused, or None when no name in it or its object streams can run anything."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    try:
        _check_pdf_names(data)
        budget = MAX_OBJECT_STREAM_BYTES
        for match in _PDF_STREAM.finditer(data):
            dictionary = _pdf_names(_dictionary_before(data, match.start()))
            if b"ObjStm" in dictionary:
                unpacked = _inflate(data, match.end(), dictionary, budget)
                budget -= len(unpacked)
                _check_pdf_names(unpacked)
    except _Unsafe as unsafe:
        return unsafe.message
    return None


def _pdf_names(data: bytes) -> set[bytes]:
    return {_PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name) for name in _PDF_NAME.findall(data)}


def _check_pdf_names(data: bytes) -> None:
    found = _pdf_names(data) & PDF_ACTIVE_NAMES.keys()
    if found:
        raise _Unsafe(ERR_PDF_ACTIVE.format(what=PDF_ACTIVE_NAMES[sorted(found)[0]]))


def _dictionary_before(data: bytes, end: int) -> bytes:
    """The object's dictionary in front of a `stream` keyword: from its `obj` on."""
    window = data[max(0, end - 4096) : end]
    start = window.rfind(b"obj")
    return window[start:] if start >= 0 else window


def _inflate(data: bytes, start: int, dictionary: set[bytes], budget: int) -> bytes:
    """An object stream unpacked within `budget` bytes; refused when it is not plain Flate or does not unpack."""
    if b"FlateDecode" not in dictionary or b"DecodeParms" in dictionary:
        raise _Unsafe(ERR_PDF_UNREADABLE)
    inflater = zlib.decompressobj()
    try:
        unpacked = inflater.decompress(memoryview(data)[start:], max(budget, 0) + 1)
    except zlib.error:
        raise _Unsafe(ERR_PDF_UNREADABLE) from None
    if len(unpacked) > budget or not inflater.eof:
        raise _Unsafe(ERR_PDF_UNREADABLE)
    return unpacked
