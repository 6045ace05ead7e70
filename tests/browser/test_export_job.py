"""A large ledger export in the browser: the job runs on a real consumer, its page shows the
progress bar through htmx polling (no inline script) and the download link when done."""

import time
from pathlib import Path

import pytest

from tests.browser.conftest import login
from tests.ledger.conftest import data_rows, listed_case
from zhengdun.core.jobs import services as job_services
from zhengdun.ledger import xlsx

pytestmark = pytest.mark.browser


@pytest.fixture
def slow_progress(monkeypatch):
    # Three rows are written in a blink: report each and pause, so the page sees the job run.
    monkeypatch.setattr(xlsx, "PROGRESS_EVERY", 1)
    original = job_services._progress

    def slowed(job):
        report = original(job)

        def later(done):
            report(done)
            time.sleep(0.8)

        return later

    monkeypatch.setattr(job_services, "_progress", slowed)


def test_a_large_ledger_is_exported_by_a_job_with_progress_and_a_download(
    page, world, campaign, county, settings, job_consumer, slow_progress
):
    settings.EXPORT_JOB_ROWS = 2
    for org, problems in (
        (world.village_e, "班子不团结"),
        (world.community_s, "组织生活不正常"),
        (world.village_n, "书记不胜任"),
    ):
        listed_case(campaign, org, county, main_problems=problems)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, "county")
    page.goto(f"/ledger/?campaign={campaign.pk}")
    page.get_by_test_id("ledger-download").click()
    page.wait_for_url("**/jobs/*/")
    assert "台账共 3 个组织，正在后台生成" in page.content()
    # The status block is swapped in place by htmx while the consumer works.
    page.wait_for_selector("[data-testid=job-status][data-state=running]")
    assert 0 <= int(page.get_by_test_id("job-progress").get_attribute("value")) < 100
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    assert page.get_by_test_id("job-state").inner_text() == "已完成"
    assert page.get_by_test_id("job-progress").get_attribute("value") == "100"
    rows = data_rows(Path(download.value.path()).read_bytes())
    assert [row[1] for row in rows] == ["东关村党支部", "南关社区党支部", "北河村党支部"]
    assert download.value.suggested_filename.startswith("后进基层党组织情况汇总表_某县_")
    assert not [e for e in errors if "Content Security Policy" in e]
