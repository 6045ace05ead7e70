import datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from tests.plans.plan_support import add_measure, approved, in_days, ready_plan, screened_and_identified, submit
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import ConflictError, ServiceError
from zhengdun.organizations.models import Person
from zhengdun.plans import measures, services
from zhengdun.plans.models import Task, TaskStatus


@pytest.fixture
def plan(world, campaign, town1, county):
    case = screened_and_identified(campaign, world.village_e, town1, county)
    return services.plan_create(case=case, actor=town1, from_findings=True)


def test_it_adds_a_measure_as_a_task_with_owner_deadline_and_target(plan, town1):
    task = add_measure(plan, town1)
    assert (task.order, task.owner_name, task.target_value, task.unit) == (1, "王建国", Decimal("4.50"), "万元")
    assert task.deadline == in_days(90)
    assert task.status == TaskStatus.NOT_STARTED
    second = add_measure(plan, town1, title="严肃组织生活", target="每月开展主题党日 1 次", target_value=None, unit="")
    assert second.order == 2
    assert AuditEvent.objects.filter(object_type="plans.task", action="create").count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": " "}, "请填写整改措施"),
        ({"owner_name": ""}, "请填写责任人"),
        ({"deadline": None}, "请填写完成时限"),
        ({"deadline": "2026-13-01"}, "请填写完成时限"),
        ({"target": ""}, "请填写可衡量的目标，如“流转土地 60 亩种植艾草，年增收 4.5 万元”"),
        ({"target": "加强党建工作", "target_value": None}, measures.ERR_NOT_MEASURABLE),
        ({"target_value": "-1"}, "目标值应为不小于 0 的数字"),
        ({"target_value": "很多"}, "目标值应为不小于 0 的数字"),
        ({"unit": ""}, "填写了目标值，请同时填写计量单位"),
    ],
)
def test_it_refuses_a_measure_that_cannot_be_checked(plan, town1, overrides, message):
    with pytest.raises(ServiceError) as exc:
        add_measure(plan, town1, **overrides)
    assert exc.value.message == message
    assert not Task.objects.exists()


def test_it_says_what_a_measurable_target_is(plan, town1):
    assert measures.ERR_NOT_MEASURABLE == "目标须可衡量：请在目标中写明数量（如“60 亩”“4.5 万元”），或填写目标值和计量单位"
    task = add_measure(plan, town1, target="每季度召开一次党员大会", target_value=None, unit="")
    assert task.target == "每季度召开一次党员大会"


def test_it_refuses_deadlines_in_the_past_or_after_the_campaign(plan, town1):
    with pytest.raises(ServiceError) as exc:
        add_measure(plan, town1, deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert exc.value.message == "完成时限不能早于今天"
    end = plan.case.campaign.end_year
    with pytest.raises(ServiceError) as exc:
        add_measure(plan, town1, deadline=datetime.date(end + 1, 1, 1))
    assert exc.value.message == f"完成时限不能晚于本次整顿工作的结束年度（{end} 年底）"
    assert not Task.objects.exists()


def test_it_keeps_a_past_deadline_that_was_not_changed(plan, town1):
    task = add_measure(plan, town1)
    Task.objects.filter(pk=task.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    task.refresh_from_db()
    saved = measures.measure_save(
        plan=plan, actor=town1, task_id=task.pk, title="新标题", owner_name="王建国", deadline=task.deadline, target=task.target,
        target_value=task.target_value, unit=task.unit, expected_version=task.version,
    )  # fmt: skip
    assert saved.title == "新标题"


def test_it_takes_the_owner_from_the_people_register(world, plan, town1):
    task = add_measure(plan, town1, owner_name="", owner=world.secretary_e)
    assert (task.owner, task.owner_name) == (world.secretary_e, "王建国")


def test_it_refuses_an_owner_outside_the_users_subtree(world, plan, town1):
    stranger = Person.objects.create(name="外镇人", organization=world.village_n)
    with pytest.raises(ServiceError) as exc:
        add_measure(plan, town1, owner=stranger)
    assert exc.value.message == "所选责任人不在您的管辖范围内"


def test_it_refuses_a_stale_measure_edit(plan, town1, branch1):
    task = add_measure(plan, town1)
    fields = {"owner_name": "王建国", "deadline": task.deadline, "target": task.target, "target_value": "4.5", "unit": "万元"}
    measures.measure_save(plan=plan, actor=branch1, task_id=task.pk, title="支部改的", expected_version=1, **fields)
    with pytest.raises(ConflictError) as exc:
        measures.measure_save(plan=plan, actor=town1, task_id=task.pk, title="乡镇改的", expected_version=1, **fields)
    assert exc.value.message == "该整改措施已被他人修改，您的修改没有保存，请刷新后重试"
    task.refresh_from_db()
    assert (task.title, task.version) == ("支部改的", 2)


def test_it_freezes_measures_under_review(world, campaign, town1, county):
    case = screened_and_identified(campaign, world.village_w, town1, county)
    plan = submit(ready_plan(case, town1), town1)
    task = plan.tasks.get()
    with pytest.raises(ServiceError) as exc:
        add_measure(plan, town1)
    assert exc.value.message == "方案当前状态为“待乡镇审核”，不能修改整改措施"
    with pytest.raises(ServiceError):
        measures.measure_delete(plan=plan, actor=town1, task_id=task.pk)
    assert plan.tasks.count() == 1


def test_it_asks_to_reopen_an_approved_plan_before_changing_measures(world, campaign, town1, county):
    case = screened_and_identified(campaign, world.village_w, town1, county)
    plan = approved(case, town1, county)
    with pytest.raises(ServiceError) as exc:
        add_measure(plan, town1)
    assert exc.value.message.startswith("方案已批准，不能直接修改整改措施")
    services.plan_update(plan=plan, actor=town1, expected_version=plan.version, goals="修订后的目标，收入 12 万元。")
    assert add_measure(plan, town1, title="新增措施").order == 2


def test_it_deletes_a_measure_with_no_work_reported(plan, town1):
    task = add_measure(plan, town1)
    measures.measure_delete(plan=plan, actor=town1, task_id=task.pk)
    assert not Task.objects.exists()
    event = AuditEvent.objects.get(object_type="plans.task", action="delete")
    assert event.before["title"] == "依托艾草产业发展集体经济"


def test_it_keeps_a_measure_with_progress(plan, town1):
    task = add_measure(plan, town1)
    Task.objects.filter(pk=task.pk).update(progress=30, status=TaskStatus.IN_PROGRESS)
    with pytest.raises(ServiceError) as exc:
        measures.measure_delete(plan=plan, actor=town1, task_id=task.pk)
    assert exc.value.message == "该措施已有进度、佐证材料或延期申请，不能删除"
    assert Task.objects.filter(pk=task.pk).exists()


def test_it_answers_404_for_a_measure_of_another_plan(world, campaign, plan, town1, county):
    other_case = screened_and_identified(campaign, world.village_w, town1, county)
    other = services.plan_create(case=other_case, actor=town1)
    foreign = add_measure(other, town1)
    with pytest.raises(Http404):
        measures.measure_delete(plan=plan, actor=town1, task_id=foreign.pk)
    assert Task.objects.filter(pk=foreign.pk).exists()


def test_it_keeps_a_measure_whose_evidence_was_deleted_but_is_still_kept(plan, town1):
    from zhengdun.rectification.models import Evidence

    task = add_measure(plan, town1)
    Evidence.all_objects.create(
        task=task,
        file="evidence/kept",
        original_name="a.png",
        content_type="image/png",
        size=1,
        sha256="0" * 64,
        deleted_at=timezone.now(),
        deleted_by=town1,
    )
    with pytest.raises(ServiceError) as exc:
        measures.measure_delete(plan=plan, actor=town1, task_id=task.pk)
    assert exc.value.message == "该措施已有进度、佐证材料或延期申请，不能删除"
    assert Task.objects.filter(pk=task.pk).exists() and Evidence.all_objects.filter(task=task).exists()
