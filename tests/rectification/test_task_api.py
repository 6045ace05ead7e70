from __future__ import annotations

import datetime

import pytest

from tests.api.conftest import BASE, ApiClient
from tests.rectification.support import HTML, approved_plan, docx_bytes, make_task, png_bytes, upload
from zhengdun.accounts.models import ApiToken
from zhengdun.rectification.models import Evidence, ExtensionRequest, ExtensionStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api():
    def make(user) -> ApiClient:
        _token, raw = ApiToken.issue(user, name="测试")
        return ApiClient(raw)

    return make


@pytest.fixture
def task(world, campaign):
    return make_task(approved_plan(campaign, world.village_e), days_left=-2)


def _upload(client: ApiClient, task, name: str, data: bytes):
    url = f"{BASE}/tasks/{task.pk}/evidence"
    return client.client.post(url, {"file": upload(name, data), "note": "现场照片"}, headers=client.headers)


def test_it_lists_a_plans_tasks_with_overdue_days(task, api, town1):
    body = api(town1).get(f"/plans/{task.plan_id}/tasks").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["title"], row["overdue_days"], row["status_label"], row["has_pending_extension"]) == (
        "流转土地种植艾草",
        2,
        "未开始",
        False,
    )


def test_it_patches_progress_and_refuses_a_stale_version(task, api, branch1):
    client = api(branch1)
    response = client.patch(f"/tasks/{task.pk}", {"version": 1, "status": "in_progress", "progress": 40, "actual_value": "20"})
    assert response.status_code == 200, response.content
    assert (response.json()["progress"], response.json()["actual_value"], response.json()["version"]) == (40, "20.00", 2)
    response = client.patch(f"/tasks/{task.pk}", {"version": 1, "progress": 90})
    assert response.status_code == 409 and "该任务已被他人更新" in response.json()["detail"]
    task.refresh_from_db()
    assert task.progress == 40


def test_it_refuses_done_without_evidence(task, api, branch1):
    response = api(branch1).patch(f"/tasks/{task.pk}", {"version": 1, "status": "done"})
    assert response.status_code == 400 and response.json()["detail"] == "完成任务须上传佐证材料"


def test_it_refuses_progress_from_a_reader_with_403(task, api, inspector1):
    response = api(inspector1).patch(f"/tasks/{task.pk}", {"version": 1, "progress": 10})
    assert response.status_code == 403


def test_it_uploads_serves_and_deletes_evidence(task, api, branch1):
    client = api(branch1)
    response = _upload(client, task, "合影.png", png_bytes())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["content_type"], body["original_name"], body["note"]) == ("image/png", "合影.png", "现场照片")
    served = client.client.get(body["url"], headers=client.headers)
    assert served["Content-Disposition"].startswith("inline;") and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == png_bytes()
    detail = client.get(f"/tasks/{task.pk}").json()
    assert [e["id"] for e in detail["evidence"]] == [body["id"]]
    assert client.delete(f"/evidence/{body['id']}").status_code == 204
    assert not Evidence.objects.exists()


def test_it_serves_docx_as_attachment(task, api, branch1):
    client = api(branch1)
    body = _upload(client, task, "记录.docx", docx_bytes()).json()
    served = client.client.get(body["url"], headers=client.headers)
    assert served["Content-Disposition"].startswith("attachment;")


def test_it_refuses_a_renamed_web_page_and_a_missing_file(task, api, branch1):
    client = api(branch1)
    response = _upload(client, task, "photo.jpg", HTML)
    assert response.status_code == 400 and response.json()["detail"].startswith("文件内容与扩展名不符")
    response = client.client.post(f"{BASE}/tasks/{task.pk}/evidence", {"note": "x"}, headers=client.headers)
    assert response.status_code == 400 and response.json()["detail"] == "请选择要上传的文件"
    assert not Evidence.objects.exists()


def test_it_requests_and_decides_an_extension_by_the_level_above(task, api, branch1, town1):
    new = (task.deadline + datetime.timedelta(days=20)).isoformat()
    response = api(branch1).post(f"/tasks/{task.pk}/extensions", {"new_deadline": new, "reason": "雨季"})
    assert response.status_code == 201, response.content
    extension_id = response.json()["id"]
    assert api(branch1).post(f"/extensions/{extension_id}/decision", {"approve": True}).status_code == 403
    response = api(town1).post(f"/extensions/{extension_id}/decision", {"approve": True, "note": "同意"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    task.refresh_from_db()
    assert task.deadline.isoformat() == new
    assert ExtensionRequest.objects.get().status == ExtensionStatus.APPROVED


def test_it_lists_overdue_tasks_in_scope(task, world, campaign, api, town1, town2):
    make_task(approved_plan(campaign, world.village_n), days_left=-1, title="北河村换届")
    titles = [row["title"] for row in api(town1).get("/tasks/overdue").json()["items"]]
    assert titles == ["流转土地种植艾草"]
    row = api(town2).get("/tasks/overdue").json()["items"][0]
    assert (row["title"], row["organization"]["name"]) == ("北河村换届", "北河村党支部")


def test_it_answers_404_to_another_township(task, api, branch1, town2):
    evidence_id = _upload(api(branch1), task, "a.png", png_bytes()).json()["id"]
    client = api(town2)
    assert client.get(f"/tasks/{task.pk}").status_code == 404
    assert client.get(f"/evidence/{evidence_id}").status_code == 404
    assert client.delete(f"/evidence/{evidence_id}").status_code == 404
    assert _upload(client, task, "b.png", png_bytes()).status_code == 404
    assert Evidence.objects.count() == 1


def test_it_starts_a_task_when_only_progress_is_sent(task, api, branch1):
    response = api(branch1).patch(f"/tasks/{task.pk}", {"version": 1, "progress": 10})
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
