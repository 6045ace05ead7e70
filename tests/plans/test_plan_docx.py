"""The plan as a Word document: the page and the API (moved here with the
download from the notice pages; the layout itself is in test_document_gbt9704.py)."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.notices.notice_support import approved_plan
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.plans.models import Plan


@pytest.fixture
def plan(world, campaign):
    return approved_plan(campaign, world.village_e)


def test_it_downloads_the_plan_as_word_with_a_chinese_name(plan, as_user, branch1):
    response = as_user(branch1).get(reverse("plans:docx", args=[plan.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E5%85%B3%E4%BA%8E" in response["Content-Disposition"]  # 关于
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert document.paragraphs[0].text == plan.title
    # Names and duties only, no phones: the download is not logged as an export.
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_it_downloads_a_stored_version(plan, as_user, town1):
    Plan.objects.filter(pk=plan.pk).update(title="改过的标题", updated_at=timezone.now())
    response = as_user(town1).get(reverse("plans:docx", args=[plan.pk]), {"version": 1})
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert document.paragraphs[0].text.startswith("关于东关村党支部")
    assert "%EF%BC%88%E7%AC%AC1%E7%89%88%EF%BC%89" in response["Content-Disposition"]  # （第1版）
    assert as_user(town1).get(reverse("plans:docx", args=[plan.pk]), {"version": 9}).status_code == 404


def test_it_downloads_the_plan_as_word_through_the_api(plan, api_as, town1):  # noqa: F811  (the fixture)
    response = api_as(town1).get(f"/plans/{plan.pk}/docx")
    assert response.status_code == 200 and "filename*=utf-8''" in response["Content-Disposition"]
    assert docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs[0].text == plan.title
    assert api_as(town1).get(f"/plans/{plan.pk}/docx", version=7).status_code == 404
