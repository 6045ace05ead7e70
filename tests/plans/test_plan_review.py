from decimal import Decimal

import pytest
from django.http import Http404

from tests.plans.plan_support import add_measure, ready_plan, review, screened_and_identified, submit
from zhengdun.audit.models import AuditEvent
from zhengdun.cases.models import CaseEvent
from zhengdun.cases.states import CaseState
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.plans import services
from zhengdun.plans.models import PlanReview, PlanStatus, PlanVersion


@pytest.fixture
def case(world, campaign, town1, county):
    return screened_and_identified(campaign, world.village_e, town1, county)


@pytest.fixture
def plan(case, branch1):
    # Drafted by the village's operator: nobody passes the review of a plan they drafted or submitted.
    return ready_plan(case, branch1)


def test_it_freezes_a_version_on_submission(plan, town1):
    plan = submit(plan, town1)
    assert plan.status == PlanStatus.SUBMITTED
    version = PlanVersion.objects.get(plan=plan)
    assert (version.number, version.reason, version.created_by) == (1, "提交审核", town1)
    content = version.content
    assert content["title"] == plan.title
    assert content["sections"]["goals"].startswith("年内选齐配强书记")
    assert set(content["sections"]) == {
        "basic_facts", "problems", "causes", "goals", "measures_text", "steps", "requirements", "leading_group"
    }  # fmt: skip
    assert content["criteria"] == ["1.2", "2.4"]
    assert content["measures"][0]["target"] == "村办合作社流转土地 60 亩种植艾草，年增收 4.5 万元"
    assert content["measures"][0]["target_value"] == "4.50"
    assert AuditEvent.objects.filter(object_type="plans.plan", action="transition").latest("id").note == "提交审核：第 1 版"


def test_it_lists_everything_missing_before_submission(case, town1, branch1):
    plan = services.plan_create(case=case, actor=town1)
    with pytest.raises(ServiceError) as exc:
        submit(plan, branch1)
    assert exc.value.message == (
        "方案还不完整，不能提交审核：请填写存在的问题；请填写整顿目标；请至少添加一项整改措施（含责任人、完成时限和可衡量的目标）"
    )
    assert len(exc.value.errors) == 3
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not PlanVersion.objects.exists()


def test_it_refuses_a_stale_submission(plan, town1, branch1):
    opened = plan.version
    services.plan_update(plan=plan, actor=branch1, expected_version=opened, steps="分三个阶段")
    with pytest.raises(ConflictError) as exc:
        services.plan_submit(plan=plan, actor=town1, expected_version=opened)
    assert exc.value.message.startswith("该方案已被他人修改")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not PlanVersion.objects.exists()


def test_it_refuses_submitting_twice(plan, town1, branch1):
    plan = submit(plan, branch1)
    with pytest.raises(ServiceError) as exc:
        submit(plan, branch1)
    assert exc.value.message == "方案当前状态为“待乡镇审核”，不能提交审核"
    assert PlanVersion.objects.count() == 1


def test_it_stores_the_copy_checks_score(plan, town1, monkeypatch, branch1):
    import zhengdun.copycheck.services as copycheck

    seen = []
    monkeypatch.setattr(copycheck, "check_on_submit", lambda *, plan: seen.append(plan.pk) or Decimal("0.912"))
    plan = submit(plan, branch1)
    assert seen == [plan.pk]
    assert plan.similarity == Decimal("0.912")


def test_it_walks_returns_at_both_levels_then_approves_and_moves_the_case(case, plan, town1, county, branch1):
    plan = submit(plan, branch1)
    plan = review(plan, town1, "township", "return", "问题原因分析不深，请补充。")
    assert plan.status == PlanStatus.RETURNED
    plan = services.plan_update(plan=plan, actor=town1, expected_version=plan.version, causes="深入分析后的原因。")
    plan = submit(plan, branch1)
    plan = review(plan, town1, "township")
    assert plan.status == PlanStatus.TOWNSHIP_REVIEWED
    plan = review(plan, county, "county", "return", "目标不够具体。")
    assert plan.status == PlanStatus.RETURNED
    plan = services.plan_update(plan=plan, actor=town1, expected_version=plan.version, goals="收入达到 10 万元。")
    plan = submit(plan, branch1)
    plan = review(plan, town1, "township")
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED  # the township's pass alone does not approve
    plan = review(plan, county, "county", comments="同意")
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_version.number == 3
    rows = list(PlanReview.objects.order_by("id").values_list("level", "decision", "version__number", "reviewer__username"))
    assert rows == [
        ("township", "return", 1, "town1"),
        ("township", "pass", 2, "town1"),
        ("county", "return", 2, "county"),
        ("township", "pass", 3, "town1"),
        ("county", "pass", 3, "county"),
    ]
    case.refresh_from_db()
    assert case.state == CaseState.PLAN_APPROVED
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "approve_plan",
        "identified",
        "plan_approved",
        county,
    )
    assert event.note == "整顿方案第 3 版经县级审批通过"
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), note__startswith="批准整顿方案").exists()


def test_it_reviews_a_changed_approved_plan_again_without_moving_the_case_twice(case, plan, town1, county, branch1):
    plan = review(review(submit(plan, branch1), town1, "township"), county, "county")
    case.refresh_from_db()
    assert case.state == CaseState.PLAN_APPROVED
    plan = services.plan_update(plan=plan, actor=town1, expected_version=plan.version, goals="修订：收入 12 万元。")
    assert plan.status == PlanStatus.DRAFT and plan.approved_version.number == 1
    add_measure(plan, town1, title="新增：发展年轻党员", target="发展 35 岁以下党员 2 名", target_value=None, unit="")
    plan = review(review(submit(plan, branch1), town1, "township"), county, "county")
    assert plan.status == PlanStatus.APPROVED and plan.approved_version.number == 2
    assert CaseEvent.objects.filter(case=case, action="approve_plan").count() == 1


def test_it_requires_comments_to_return(plan, town1, branch1):
    plan = submit(plan, branch1)
    with pytest.raises(ServiceError) as exc:
        services.plan_review(plan=plan, actor=town1, level="township", decision="return", comments=" ")
    assert exc.value.message == "退回修改须填写审核意见，写明需要修改的内容"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and not PlanReview.objects.exists()


def test_it_refuses_an_unknown_level_or_decision(plan, town1, branch1):
    plan = submit(plan, branch1)
    with pytest.raises(ServiceError) as exc:
        services.plan_review(plan=plan, actor=town1, level="province", decision="pass")
    assert exc.value.message == "未知的审核层级"
    with pytest.raises(ServiceError) as exc:
        services.plan_review(plan=plan, actor=town1, level="township", decision="maybe")
    assert exc.value.message == "请选择审核结论：通过或退回修改"


def test_it_refuses_a_level_the_user_does_not_hold(plan, town1, branch1):
    plan = submit(plan, branch1)
    with pytest.raises(NotPermitted) as exc:
        services.plan_review(plan=plan, actor=branch1, level="township", decision="pass")
    assert exc.value.message == "您没有乡镇（街道）审核整顿方案的权限"
    plan = review(plan, town1, "township")
    with pytest.raises(NotPermitted) as exc:
        services.plan_review(plan=plan, actor=town1, level="county", decision="pass")
    assert exc.value.message == "您没有县级审批整顿方案的权限"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.TOWNSHIP_REVIEWED


def test_it_refuses_reviews_out_of_order(plan, town1, county, branch1):
    with pytest.raises(ServiceError) as exc:
        services.plan_review(plan=plan, actor=town1, level="township", decision="pass")
    assert exc.value.message == "方案当前状态为“草稿”，不能进行乡镇（街道）审核"
    plan = submit(plan, branch1)
    with pytest.raises(ServiceError) as exc:
        services.plan_review(plan=plan, actor=county, level="county", decision="pass")
    assert exc.value.message == "方案当前状态为“待乡镇审核”，不能进行县级审批"
    assert not PlanReview.objects.exists()


def test_it_hides_town1s_plan_from_town2s_reviewer(plan, town1, town2, branch1):
    plan = submit(plan, branch1)
    with pytest.raises(Http404):
        services.plan_review(plan=plan, actor=town2, level="township", decision="pass")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_it_refuses_a_review_of_a_plan_someone_changed_since(plan, town1, branch1):
    plan = submit(plan, branch1)
    seen = plan.version
    review(plan, town1, "township", "return", "请补充")
    with pytest.raises(ConflictError) as exc:
        services.plan_review(plan=plan, actor=town1, level="township", decision="pass", expected_version=seen)
    assert exc.value.message.startswith("该方案已被他人修改或审核")
    assert PlanReview.objects.count() == 1
