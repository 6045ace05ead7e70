"""Evidence that would run something when opened is refused by what it contains (issue 8 §4).

The files are built here: a real .docx/.xlsx from python-docx/openpyxl with
parts added or changed, a .pptx by hand, PDFs by hand.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.rectification.support import approved_plan, docx_bytes, make_task, upload, xlsx_bytes
from zhengdun.core import active_content as active
from zhengdun.core.errors import ServiceError
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import Evidence
from zhengdun.rectification.uploads import PPTX

VBA = "application/vnd.ms-office.vbaProject"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(world, campaign):
    return make_task(approved_plan(campaign, world.village_e))


def _add(task, actor, name, data):
    return tasks.evidence_add(task=task, actor=actor, uploaded_file=upload(name, data))


def _refused(task, actor, name, data, message, settings):
    with pytest.raises(ServiceError) as refused:
        _add(task, actor, name, data)
    assert refused.value.message == message
    assert not Evidence.objects.exists()
    root = Path(settings.MEDIA_ROOT)
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def rebuilt(data: bytes, *, add: dict[str, str | bytes] | None = None, edit: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The Office file with parts added and text replaced in parts: edit={part: (old, new)}."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if edit and info.filename in edit:
                old, new = edit[info.filename]
                assert old.encode() in content, f"{old} not in {info.filename}"
                content = content.replace(old.encode(), new.encode())
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def relationship(kind: str, target: str, mode: str = "External") -> tuple[str, str]:
    return (
        "</Relationships>",
        f'<Relationship Id="rIdX" Type="{RELS}/{kind}" Target="{target}" TargetMode="{mode}"/></Relationships>',
    )


def pptx_bytes(extra: dict[str, str] | None = None) -> bytes:
    """The parts that make a .pptx what it is; enough for detection, written by hand (no python-pptx here)."""
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Override PartName="/ppt/presentation.xml" ContentType="{main}"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="ppt/presentation.xml"/></Relationships>'
        ),
        "ppt/presentation.xml": '<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def pdf(*objects: bytes) -> bytes:
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (number, content) for number, content in enumerate(objects, start=1))
    return b"%PDF-1.7\n" + body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def object_stream(content: bytes, *, filters: bytes = b"/FlateDecode") -> bytes:
    packed = zlib.compress(content) if filters == b"/FlateDecode" else content
    return b"<< /Type /ObjStm /N 1 /First 4 /Filter %s /Length %d >>\nstream\n%s\nendstream" % (filters, len(packed), packed)


MACRO = active.ERR_OFFICE_MACRO.format


def test_it_accepts_clean_office_files_with_hyperlinks_and_clean_pdfs(task, branch1):
    linked = rebuilt(docx_bytes(), edit={"word/_rels/document.xml.rels": relationship("hyperlink", "https://www.12371.cn/")})
    assert _add(task, branch1, "会议记录.docx", linked).original_name == "会议记录.docx"
    assert _add(task, branch1, "台账.xlsx", xlsx_bytes())
    assert _add(task, branch1, "汇报.pptx", pptx_bytes()).content_type == PPTX
    opened = pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", PAGES, b"<< /Type /Page >>")
    assert _add(task, branch1, "报告.pdf", opened).content_type == "application/pdf"
    assert _add(task, branch1, "压缩.pdf", pdf(CATALOG, PAGES, object_stream(b"3 0 << /Type /Page >>")))


def test_it_refuses_a_vba_project_anywhere_whatever_the_name(task, branch1, settings):
    data = rebuilt(docx_bytes(), add={"word/media/image9.png/../vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    _refused(task, branch1, "记录.docx", data, MACRO(what="word/media/image9.png/../vbaProject.bin"), settings)
    data = rebuilt(xlsx_bytes(), add={"xl/VBAPROJECT.BIN": b"\xd0\xcf\x11\xe0"})
    _refused(task, branch1, "台账.xlsx", data, MACRO(what="xl/VBAPROJECT.BIN"), settings)


def test_it_refuses_a_macro_enabled_document_renamed_docx(task, branch1, settings):
    data = rebuilt(docx_bytes(), edit={"[Content_Types].xml": (DOCX_MAIN, DOCM_MAIN)})
    _refused(task, branch1, "记录.docx", data, MACRO(what=DOCM_MAIN), settings)


def test_it_refuses_macro_content_types_xlm_sheets_activex_and_ole_objects(task, branch1, settings):
    override = f'<Default Extension="bin" ContentType="{VBA}"/></Types>'
    data = rebuilt(docx_bytes(), edit={"[Content_Types].xml": ("</Types>", override)})
    _refused(task, branch1, "记录.docx", data, MACRO(what=VBA), settings)
    data = rebuilt(xlsx_bytes(), add={"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"})
    _refused(task, branch1, "台账.xlsx", data, MACRO(what="xl/macrosheets/sheet1.xml"), settings)
    data = pptx_bytes({"ppt/activeX/activeX1.xml": "<ax:ocx/>"})
    _refused(task, branch1, "汇报.pptx", data, MACRO(what="ppt/activeX/activeX1.xml"), settings)
    data = rebuilt(docx_bytes(), add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"})
    _refused(task, branch1, "记录.docx", data, MACRO(what="word/embeddings/oleObject1.bin"), settings)
    data = rebuilt(docx_bytes(), add={"word/embeddings/表格.xlsm": b"PK"})
    _refused(task, branch1, "记录.docx", data, MACRO(what="word/embeddings/表格.xlsm"), settings)


def test_it_refuses_remote_templates_and_external_parts(task, branch1, settings):
    template = "http://203.0.113.9/normal.dotm"
    empty = f'<Relationships xmlns="{PKG_RELS}"></Relationships>'
    old, new = relationship("attachedTemplate", template)
    data = rebuilt(docx_bytes(), add={"word/_rels/settings.xml.rels": empty.replace(old, new)})
    _refused(task, branch1, "记录.docx", data, active.ERR_OFFICE_EXTERNAL.format(target=template), settings)
    image = r"\\203.0.113.9\share\a.png"
    data = rebuilt(docx_bytes(), edit={"word/_rels/document.xml.rels": relationship("image", image)})
    _refused(task, branch1, "记录.docx", data, active.ERR_OFFICE_EXTERNAL.format(target=image), settings)


def test_it_refuses_a_dtd_in_an_office_part(task, branch1, settings):
    doctype = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "a">]><Relationships xmlns="x"/>'
    data = rebuilt(docx_bytes(), add={"word/_rels/evil.xml.rels": doctype})
    _refused(task, branch1, "记录.docx", data, active.ERR_OFFICE_UNREADABLE, settings)


@pytest.mark.parametrize(
    ("catalog", "what"),
    [
        (b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", "JavaScript 脚本"),
        (b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>", "JavaScript 脚本"),
        (b"<< /Type /Catalog /Pages 2 0 R /AA << /O 3 0 R >> >>", "自动执行的动作"),
        (b"<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>", "启动程序的动作"),
        (b"<< /Type /Catalog /Names << /EmbeddedFiles 3 0 R >> >>", "嵌入文件"),
        (b"<< /Type /Catalog /AcroForm << /XFA 4 0 R >> >>", "XFA 动态表单"),
    ],
)
def test_it_refuses_pdfs_with_scripts_actions_or_embedded_files(task, branch1, settings, catalog, what):
    _refused(task, branch1, "报告.pdf", pdf(catalog, PAGES), active.ERR_PDF_ACTIVE.format(what=what), settings)


def test_it_finds_a_script_hidden_in_a_compressed_object_stream(task, branch1, settings):
    hidden = object_stream(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>")
    _refused(
        task, branch1, "报告.pdf", pdf(CATALOG, PAGES, hidden), active.ERR_PDF_ACTIVE.format(what="JavaScript 脚本"), settings
    )
    unreadable = object_stream(b"not flate at all", filters=b"[/ASCII85Decode /FlateDecode]")
    _refused(task, branch1, "报告.pdf", pdf(CATALOG, PAGES, unreadable), active.ERR_PDF_UNREADABLE, settings)
