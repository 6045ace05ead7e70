import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from tests.plans.plan_support import approved, identified_case, screened_and_identified
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import NotPermitted, ServiceError
from zhengdun.plans.four_reviews import four_review_record
from zhengdun.plans.models import FourReview
from zhengdun.plans.selectors import four_review_checklist


@pytest.fixture
def case(world, campaign, town1, county):
    return identified_case(campaign, world.village_w, town1, county)


def test_it_records_an_item_and_shows_the_rest_missing(case, county):
    year = timezone.localdate().year
    four_review_record(case=case, item="team", year=year, actor=county, note="名单经党委会研究")
    rows = four_review_checklist(county, case)
    assert [(r.label, r.done) for r in rows] == [
        ("整顿工作方案", False),
        ("第一书记和工作队名单", True),
        ("整顿项目资金", False),
        ("整顿工作年度总结", False),
    ]
    assert rows[1].review.note == "名单经党委会研究" and rows[1].review.reviewed_by == county
    assert AuditEvent.objects.get(object_type="plans.fourreview").note == "四必审：第一书记和工作队名单"


def test_it_refuses_the_same_item_twice_in_a_year(case, county):
    year = timezone.localdate().year
    four_review_record(case=case, item="funds", year=year, actor=county)
    with pytest.raises(ServiceError) as exc:
        four_review_record(case=case, item="funds", year=year, actor=county)
    assert exc.value.message == f"“整顿项目资金”{year} 年度已登记审核，不能重复登记"
    assert FourReview.objects.count() == 1


def test_it_needs_an_approved_plan_for_the_plan_item(world, campaign, town1, county):
    case = screened_and_identified(campaign, world.village_e, town1, county)
    year = timezone.localdate().year
    with pytest.raises(ServiceError) as exc:
        four_review_record(case=case, item="plan", year=year, actor=county)
    assert exc.value.message == "整顿方案尚未经县级批准，不能登记“整顿工作方案”已审"
    approved(case, town1, county)
    assert four_review_record(case=case, item="plan", year=year, actor=county).item == "plan"


def test_it_refuses_bad_input(case, county):
    campaign = case.campaign
    with pytest.raises(ServiceError) as exc:
        four_review_record(case=case, item="other", year=campaign.start_year, actor=county)
    assert exc.value.message == "请选择审核事项"
    with pytest.raises(ServiceError) as exc:
        four_review_record(case=case, item="team", year=campaign.end_year + 1, actor=county)
    assert exc.value.message == f"年度须在本次整顿工作期间（{campaign.start_year}—{campaign.end_year} 年）"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ServiceError) as exc:
        four_review_record(case=case, item="team", year=campaign.start_year, actor=county, reviewed_on=tomorrow)
    assert exc.value.message == "审核日期不能晚于今天"
    assert not FourReview.objects.exists()


def test_it_leaves_four_reviews_to_the_township_and_county(case, town1, town2, inspector1):
    with pytest.raises(NotPermitted) as exc:
        four_review_record(case=case, item="team", year=case.campaign.start_year, actor=inspector1)
    assert exc.value.message == "您没有登记“四必审”的权限"
    with pytest.raises(Http404):
        four_review_record(case=case, item="team", year=case.campaign.start_year, actor=town2)
    assert not FourReview.objects.exists()
    four_review_record(case=case, item="team", year=case.campaign.start_year, actor=town1)
    assert FourReview.objects.get().reviewed_by == town1
