from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from tests.rectification.support import (
    EXE,
    HTML,
    PDF,
    approved_plan,
    docx_bytes,
    make_task,
    png_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.plans.models import TaskStatus
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import Evidence
from zhengdun.rectification.uploads import DOCX, XLSX


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(world, campaign):
    return make_task(approved_plan(campaign, world.village_e))


def _add(task, actor, name, data, note=""):
    return tasks.evidence_add(task=task, actor=actor, uploaded_file=upload(name, data), note=note)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_accepts_a_real_png_under_a_random_name(task, branch1, settings):
    data = png_bytes()
    evidence = _add(task, branch1, "主题党日合影.png", data, note="3 月主题党日")
    assert (evidence.content_type, evidence.size, evidence.original_name) == ("image/png", len(data), "主题党日合影.png")
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert "主题党日" not in evidence.file.name and not evidence.file.name.endswith(".png")
    assert Path(evidence.file.path).read_bytes() == data
    assert AuditEvent.objects.filter(object_type="rectification.evidence", action="create").count() == 1


def test_it_accepts_a_photo_saved_as_jpg_whatever_image_it_is(task, branch1):
    assert _add(task, branch1, "IMG_0001.JPG", png_bytes()).content_type == "image/png"


def test_it_accepts_word_excel_and_pdf(task, branch1):
    assert _add(task, branch1, "会议记录.docx", docx_bytes()).content_type == DOCX
    assert _add(task, branch1, "务工台账.xlsx", xlsx_bytes()).content_type == XLSX
    assert _add(task, branch1, "验收报告.pdf", PDF).content_type == "application/pdf"


def test_it_refuses_a_web_page_renamed_to_look_like_a_photo(task, branch1, settings):
    with pytest.raises(ServiceError, match="文件内容与扩展名不符：文件名是 .jpg，但内容不是图片"):
        _add(task, branch1, "photo.jpg", HTML)
    assert not Evidence.objects.exists() and not _stored_files(settings)


@pytest.mark.parametrize(("name", "data"), [("setup.exe", EXE), ("材料.zip", zip_bytes({"a.txt": b"x"})), ("说明.html", HTML)])
def test_it_refuses_forbidden_types(task, branch1, name, data):
    with pytest.raises(ServiceError, match="不支持的文件类型"):
        _add(task, branch1, name, data)
    assert not Evidence.objects.exists()


def test_it_refuses_a_plain_zip_or_a_program_named_docx(task, branch1):
    with pytest.raises(ServiceError, match="文件内容与扩展名不符：文件名是 .docx，但内容不是Word 文档"):
        _add(task, branch1, "总结.docx", zip_bytes({"word/evil.txt": b"x"}))
    with pytest.raises(ServiceError, match="文件内容与扩展名不符"):
        _add(task, branch1, "总结.docx", EXE)
    with pytest.raises(ServiceError, match="内容不是Excel 表格"):
        _add(task, branch1, "台账.xlsx", docx_bytes())


def test_it_refuses_old_office_formats_with_a_hint(task, branch1):
    with pytest.raises(ServiceError, match="请另存为 .docx 或 .xlsx"):
        _add(task, branch1, "会议记录.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_it_refuses_an_oversized_file_and_names_the_limit(task, branch1, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(ServiceError, match=r"文件过大（2 MB），单个文件不能超过 1 MB"):
        _add(task, branch1, "大图.png", png_bytes() + b"\x00" * (2 * 1024 * 1024 - len(png_bytes())))
    assert not Evidence.objects.exists() and not _stored_files(settings)


def test_it_refuses_an_empty_file(task, branch1):
    with pytest.raises(ServiceError, match="文件为空"):
        _add(task, branch1, "空.png", b"")


def test_it_refuses_evidence_from_a_reader(task, inspector1):
    with pytest.raises(NotPermitted, match="您没有上传佐证材料的权限"):
        _add(task, inspector1, "a.png", png_bytes())


def test_it_lets_the_uploader_or_the_township_remove_but_not_another_branch_user(
    task, branch1, town1, county, settings, django_capture_on_commit_callbacks
):
    mine = _add(task, branch1, "a.png", png_bytes())
    theirs = _add(task, town1, "b.png", png_bytes())
    with pytest.raises(NotPermitted, match="只有上传人或乡镇（街道）、县级可以删除佐证材料"):
        tasks.evidence_remove(evidence=theirs, actor=branch1)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.evidence_remove(evidence=mine, actor=branch1)
        tasks.evidence_remove(evidence=theirs, actor=county)
    assert not Evidence.objects.exists()
    # Deleted softly (issue 8 §6): the files stay until purge_deleted_files (tests/rectification/test_evidence_retention.py).
    assert len(_stored_files(settings)) == 2
    assert AuditEvent.objects.filter(object_type="rectification.evidence", action="delete").count() == 2


def test_it_keeps_evidence_of_a_done_task(task, branch1, town1):
    evidence = _add(task, branch1, "a.png", png_bytes())
    tasks.task_progress(task=task, actor=branch1, expected_version=1, status=TaskStatus.DONE, progress=100)
    with pytest.raises(ServiceError, match="任务已完成，佐证材料不能删除"):
        tasks.evidence_remove(evidence=evidence, actor=town1)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_it_serves_an_image_inline_with_nosniff(task, branch1, as_user):
    evidence = _add(task, branch1, "合影 2026.png", png_bytes())
    response = as_user(branch1).get(reverse("rectification:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E5%90%88%E5%BD%B1%202026.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes()


def test_it_serves_word_as_a_download(task, branch1, as_user):
    evidence = _add(task, branch1, "会议记录.docx", docx_bytes())
    response = as_user(branch1).get(reverse("rectification:evidence", args=[evidence.pk]))
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_404_to_another_township_for_evidence_and_task(task, branch1, as_user, town2):
    evidence = _add(task, branch1, "a.png", png_bytes())
    client = as_user(town2)
    assert client.get(reverse("rectification:evidence", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("rectification:task_detail", args=[task.pk])).status_code == 404
    assert client.post(reverse("rectification:evidence_delete", args=[evidence.pk])).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_it_uploads_through_the_page_and_shows_a_thumbnail(task, as_user, branch1):
    client = as_user(branch1)
    response = client.post(
        reverse("rectification:evidence_upload", args=[task.pk]),
        {"file": upload("合影.png", png_bytes()), "note": "合影"},
        follow=True,
    )
    evidence = Evidence.objects.get()
    page = response.content.decode()
    assert "已上传佐证材料：合影.png" in page
    assert f'<img src="{reverse("rectification:evidence", args=[evidence.pk])}"' in page


def test_it_shows_why_an_upload_was_refused_on_the_page(task, as_user, branch1):
    response = as_user(branch1).post(
        reverse("rectification:evidence_upload", args=[task.pk]), {"file": upload("photo.jpg", HTML)}
    )
    assert response.status_code == 400
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_deletes_through_the_page(task, as_user, branch1):
    evidence = _add(task, branch1, "a.png", png_bytes())
    response = as_user(branch1).post(reverse("rectification:evidence_delete", args=[evidence.pk]), follow=True)
    assert "已删除佐证材料：a.png" in response.content.decode()
    assert not Evidence.objects.exists()
