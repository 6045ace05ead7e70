"""What an evidence file really is, judged by its bytes, and how it is served.

The browser's name and content type are only claims: the type comes from
the magic bytes (filetype), and for Word/Excel from the parts inside the zip,
so a renamed web page or a zip dressed up as .docx is refused. Office files
with macros or remote templates and PDFs with scripts or embedded files are
refused by what they contain (core/active_content.py). Files are served back
with the type we detected, never a guessed one.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any

import filetype
from django.http import FileResponse, Http404

from zhengdun.core.active_content import office_refusal, pdf_refusal

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# The main part's content type in [Content_Types].xml; macro-enabled files (.docm, .xlsm) declare another one.
OOXML_MAIN = {
    DOCX: ("word/document.xml", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    PPTX: ("ppt/presentation.xml", b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}
# [Content_Types].xml is a few KB; anything far larger is not an Office file we want to unpack.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    family: str
    label: str
    content_type: str
    extensions: tuple[str, ...]
    inline: bool


KINDS: tuple[Kind, ...] = (
    Kind("image", "图片", "image/jpeg", ("jpg", "jpeg"), True),
    Kind("image", "图片", "image/png", ("png",), True),
    Kind("image", "图片", "image/gif", ("gif",), True),
    Kind("image", "图片", "image/webp", ("webp",), True),
    Kind("pdf", "PDF 文件", "application/pdf", ("pdf",), True),
    Kind("docx", "Word 文档", DOCX, ("docx",), False),
    Kind("xlsx", "Excel 表格", XLSX, ("xlsx",), False),
    Kind("pptx", "PowerPoint 演示文稿", PPTX, ("pptx",), False),
)
BY_TYPE = {k.content_type: k for k in KINDS}
# Photos are often saved as .jpg whatever they are: any image name fits any image content.
FAMILY_OF_EXTENSION = {ext: k.family for k in KINDS for ext in k.extensions}
FAMILY_LABEL = {k.family: k.label for k in KINDS}
ALLOWED_TEXT = "图片（JPG、PNG、GIF、WEBP）、PDF、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx）"
# The file input's `accept`: "image/*" lets a phone offer its camera, the extensions the other kinds.
ACCEPT = "image/*," + ",".join(f".{ext}" for k in KINDS for ext in k.extensions)

ERR_EMPTY = "文件为空，请重新选择"
ERR_TOO_LARGE = "文件过大（{size} MB），单个文件不能超过 {limit} MB"
ERR_MISMATCH = "文件内容与扩展名不符：文件名是 .{ext}，但内容不是{label}。请上传原始文件，不要修改扩展名"
ERR_UNSUPPORTED = "不支持的文件类型（{what}）。只能上传" + ALLOWED_TEXT
ERR_OLD_OFFICE = "不支持旧版 Office 格式（.doc、.xls、.ppt），请另存为 .docx 或 .xlsx（演示文稿另存为 .pptx）后上传"


class RefusedFile(ValueError):
    """The file is not one we accept; the message says why, in Chinese."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.2f}".rstrip("0").rstrip(".")


def clean_name(name: str) -> str:
    """The file name without any folder part or control characters, for display and download only."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[-200:] or "未命名文件"


def _extension(name: str) -> str:
    match = re.search(r"\.([A-Za-z0-9]{1,10})$", name)
    return match.group(1).lower() if match else ""


def _ooxml_kind(stream: IO[bytes]) -> Kind | None:
    """docx or xlsx when the zip holds that document's main part, declared as such; otherwise None."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            declared = archive.read(info)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, EOFError):
        return None
    for content_type, (part, main) in OOXML_MAIN.items():
        if part in names and main in declared:
            return BY_TYPE[content_type]
    return None


def detect(stream: IO[bytes]) -> tuple[Kind | None, str]:
    """The accepted kind of the content, or None and what filetype thinks it is."""
    stream.seek(0)
    head = stream.read(8192)
    guess = filetype.guess(head)
    found = guess.mime if guess else ""
    kind = BY_TYPE.get(found)
    if found in ("application/zip", DOCX, XLSX, PPTX):
        stream.seek(0)
        kind = _ooxml_kind(stream)
    stream.seek(0)
    return kind, found


def check(stream: IO[bytes], *, name: str, size: int, limit: int) -> Kind:
    """The kind of an upload we accept, or RefusedFile with the reason."""
    if size <= 0:
        raise RefusedFile(ERR_EMPTY)
    if size > limit:
        raise RefusedFile(ERR_TOO_LARGE.format(size=megabytes(size), limit=megabytes(limit)))
    ext = _extension(name)
    if ext in ("doc", "xls", "ppt"):
        raise RefusedFile(ERR_OLD_OFFICE)
    kind, found = detect(stream)
    claimed = FAMILY_OF_EXTENSION.get(ext)
    if claimed is None:
        raise RefusedFile(ERR_UNSUPPORTED.format(what=f".{ext}" if ext else "无扩展名"))
    # Before the kind: a .docm renamed .docx is told it has macros, not that it is no Word file.
    refusal = office_refusal(stream) if found in ("application/zip", DOCX, XLSX, PPTX) else None
    if kind is not None and kind.family == "pdf":
        refusal = pdf_refusal(stream)
    if refusal:
        raise RefusedFile(refusal)
    if kind is None or kind.family != claimed:
        raise RefusedFile(ERR_MISMATCH.format(ext=ext, label=FAMILY_LABEL[claimed]))
    return kind


def serve(evidence: Any) -> FileResponse:
    """Stream a stored evidence file: images and PDF open in the browser, Office files download."""
    kind = BY_TYPE.get(evidence.content_type)
    inline = bool(kind and kind.inline)
    try:
        stream = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在") from None
    response = FileResponse(
        stream,
        content_type=evidence.content_type if kind else "application/octet-stream",
        as_attachment=not inline,
        filename=evidence.original_name,
    )
    # Never let the browser second-guess the type we checked on the way in.
    response["X-Content-Type-Options"] = "nosniff"
    # Photos of people and their papers: no cache, not even the browser's, keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response
