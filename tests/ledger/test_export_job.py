"""A large ledger export runs as a job: progress on its page, the file for its owner only."""

import datetime
import tracemalloc
from pathlib import Path

from django.urls import reverse
from openpyxl import load_workbook

from tests.ledger.conftest import data_rows
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.core.jobs.models import Job, JobState
from zhengdun.core.jobs.services import ERR_NOT_DONE
from zhengdun.ledger import messages as msg
from zhengdun.ledger import xlsx
from zhengdun.ledger.selectors import LedgerRow, iter_ledger_rows, ledger_rows

DOWNLOAD = reverse("ledger:download")


def _start(client, campaign, org, capture):
    with capture(execute=True):
        response = client.get(DOWNLOAD, {"campaign": campaign.pk, "org": org.pk})
    assert response.status_code == 302
    job = Job.objects.get(kind="ledger_export")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


def test_a_ledger_over_the_threshold_is_exported_by_a_job(
    settings, as_user, world, campaign, county, cases, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOB_ROWS = 2
    client = as_user(county)
    job = _start(client, campaign, world.county_org, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.done, job.total) == (3, 3)
    assert job.owner == county and job.org_path == world.county_org.path
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and 'value="100"' in page and "hx-trigger" not in page
    assert msg.JOB_DONE.format(rows=3, phones=msg.PHONES_UNMASKED) in page
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment; filename*=utf-8''" in response["Content-Disposition"]
    rows = data_rows(b"".join(response.streaming_content))
    assert [row[1] for row in rows] == ["东关村党支部", "南关社区党支部", "北河村党支部"]
    assert rows[0][3] == "13812345678" and rows[0][7] == "钱主（B岗：赵副）"
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor == county and export.after["rows"] == 3 and export.after["phones_unmasked"] is True
    assert export.note == f"导出台账（{campaign.name}，某县，3 个组织，含完整电话号码，xlsx）"
    download = AuditEvent.objects.get(action=Action.DOWNLOAD)
    assert download.actor == county and download.after["personal_info"] is True
    assert download.note.endswith("（含未脱敏的个人信息）")
    assert download.org_path == world.county_org.path


def test_the_same_export_asked_again_while_it_runs_is_the_same_job(settings, as_user, world, campaign, town1, cases):
    settings.EXPORT_JOB_ROWS = 1
    client = as_user(town1)
    first = client.get(DOWNLOAD, {"campaign": campaign.pk, "org": world.town1_org.pk})
    second = client.get(DOWNLOAD, {"campaign": campaign.pk, "org": world.town1_org.pk})
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1 and Job.objects.get().state == JobState.QUEUED


def test_the_page_polls_while_the_job_runs_and_shows_its_progress(settings, as_user, world, campaign, town1, cases):
    settings.EXPORT_JOB_ROWS = 1
    client = as_user(town1)
    client.get(DOWNLOAD, {"campaign": campaign.pk, "org": world.town1_org.pk})
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=1)
    url = reverse("jobs:detail", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 1s"' in partial
    assert "进行中" in partial and "（1 / 2）" in partial and 'value="50"' in partial
    assert "<html" not in partial
    # Not done: no file yet, and the download says so.
    response = client.get(reverse("jobs:download", args=[job.pk]), follow=True)
    assert ERR_NOT_DONE in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.DOWNLOAD).exists()


def test_only_the_owner_gets_the_job_and_its_file(
    settings, as_user, world, campaign, town1, town2, clerk1, cases, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOB_ROWS = 1
    job = _start(as_user(town1), campaign, world.town1_org, django_capture_on_commit_callbacks)
    for other in (town2, clerk1):
        client = as_user(other)
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert as_user(town1).get(reverse("jobs:download", args=[job.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=Action.DOWNLOAD).count() == 1


def test_a_job_whose_owner_left_the_subtree_fails_and_exports_nothing(
    settings, as_user, world, campaign, town1, cases, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOB_ROWS = 1
    as_user(town1).get(DOWNLOAD, {"campaign": campaign.pk, "org": world.town1_org.pk})
    job = Job.objects.get()
    town1.organization = world.town2_org
    town1.save()
    from zhengdun.core.jobs.services import job_run

    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == msg.ERR_JOB_SCOPE
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert not list(Path(settings.JOB_DIR).glob("*.xlsx"))


def test_it_reads_the_rows_in_chunks_in_tree_order(world, campaign, county, cases):
    chunked = list(iter_ledger_rows(county, campaign, under=world.county_org, chunk=2))
    assert chunked == ledger_rows(county, campaign, under=world.county_org)
    assert [row.number for row in chunked] == [1, 2, 3]


def _rows(n):
    for i in range(1, n + 1):
        yield LedgerRow(
            number=i,
            case_id=i,
            version=1,
            state="identified",
            state_label="已认定",
            is_key=False,
            organization_id=i,
            organization_code=f"V{i:06d}",
            organization_name=f"第{i}村党支部",
            parent_name="某某镇",
            secretary_name="张三",
            secretary_phone="13812345678",
            main_problems="班子不团结，内耗严重；组织生活不正常，三会一课流于形式" * 2,
            measures="调整充实班子；规范组织生活" * 3,
            contact_leaders="钱主（B岗：赵副）",
        )


def _peak(n, world, campaign, tmp_path):
    info = xlsx.SheetInfo(filled_by="张组织", filled_on=datetime.date(2026, 3, 16))
    head = xlsx.Head(campaign, world.county_org, "current")
    tracemalloc.start()
    try:
        count = xlsx.write(tmp_path / f"{n}.xlsx", head, _rows(n), info)
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_workbook_is_written_in_constant_memory(world, campaign, tmp_path):
    rows, peak = _peak(20_000, world, campaign, tmp_path)
    assert rows == 20_000
    # A workbook held in memory grows with its rows; streamed, the peak is that of a few
    # rows and the zip writer (about 0.4 MB measured), whatever the number of rows.
    assert peak < 4 * 1024 * 1024, peak
    last = load_workbook(tmp_path / "20000.xlsx", read_only=True).worksheets[0].iter_rows(min_row=20_004, values_only=True)
    assert next(last)[1] == "第20000村党支部"


def test_a_file_gone_after_job_file_days_says_so(
    settings, as_user, world, campaign, town1, cases, django_capture_on_commit_callbacks
):
    from zhengdun.core.jobs.services import ERR_FILE_GONE

    settings.EXPORT_JOB_ROWS = 1
    client = as_user(town1)
    job = _start(client, campaign, world.town1_org, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    (Path(settings.JOB_DIR) / job.result_file).unlink()
    response = client.get(reverse("jobs:download", args=[job.pk]), follow=True)
    assert ERR_FILE_GONE in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.DOWNLOAD).exists()
