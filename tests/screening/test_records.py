import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from tests.screening.conftest import NO_MEMBERS, VACANT, criterion, save
from zhengdun.audit.models import AuditEvent
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.core.errors import ConflictError, NotPermitted, ServiceError
from zhengdun.screening import services
from zhengdun.screening.models import Finding, ScreeningRecord


def test_it_records_an_organization_with_its_findings(world, campaign, town1, round1):
    vacant = criterion(campaign, VACANT)
    rec = save(round1, world.village_w, town1, findings={vacant.pk: "  书记 3 月辞职  "}, note="走访 12 户")
    assert (rec.method, rec.conclusion, rec.screened_by, rec.version, rec.note) == ("field_check", "weak", town1, 1, "走访 12 户")
    assert list(rec.findings.values_list("criterion__code", "evidence")) == [(VACANT, "书记 3 月辞职")]
    event = AuditEvent.objects.get(object_type="screening.screeningrecord", object_id=str(rec.pk))
    assert event.action == "create" and event.after["findings"] == {VACANT: "书记 3 月辞职"}


def test_it_updates_a_record_and_replaces_its_findings(world, campaign, town1, round1):
    vacant, members = criterion(campaign, VACANT), criterion(campaign, NO_MEMBERS)
    rec = save(round1, world.village_w, town1, findings={vacant.pk: "书记辞职"})
    rec = save(round1, world.village_w, town1, findings={members.pk: "2024、2025 年未发展党员"}, expected_version=1)
    assert rec.version == 2
    assert list(Finding.objects.filter(record=rec).values_list("criterion__code", "evidence")) == [
        (NO_MEMBERS, "2024、2025 年未发展党员")
    ]
    event = AuditEvent.objects.get(object_type="screening.screeningrecord", action="update")
    assert event.before["findings"] == {VACANT: "书记辞职"} and event.after["findings"] == {NO_MEMBERS: "2024、2025 年未发展党员"}


def test_it_refuses_a_stale_version_and_keeps_the_other_edit(world, campaign, town1, county, round1):
    save(round1, world.village_w, town1, conclusion="pending")
    save(round1, world.village_w, county, conclusion="not_weak", expected_version=1)
    with pytest.raises(ConflictError) as exc:
        save(round1, world.village_w, town1, expected_version=1)
    assert exc.value.message == "该排查记录已被他人修改，您的内容未保存，请刷新后在最新记录上修改"
    rec = ScreeningRecord.objects.get()
    assert (rec.conclusion, rec.version, rec.findings.count()) == ("not_weak", 2, 0)


def test_it_refuses_creating_over_a_record_someone_just_entered(world, town1, county, round1):
    save(round1, world.village_w, county, conclusion="not_weak")
    with pytest.raises(ConflictError) as exc:
        save(round1, world.village_w, town1)
    assert exc.value.message == "该组织已有排查记录（可能刚被他人登记），您的内容未保存，请刷新后在最新记录上修改"
    assert ScreeningRecord.objects.get().conclusion == "not_weak"


def test_it_requires_evidence_for_every_checked_criterion(world, campaign, town1, round1):
    vacant, members = criterion(campaign, VACANT), criterion(campaign, NO_MEMBERS)
    with pytest.raises(ServiceError) as exc:
        save(round1, world.village_w, town1, findings={vacant.pk: "书记辞职", members.pk: "   "})
    assert exc.value.message == f"请填写认定标准 {NO_MEMBERS} 的事实依据"
    assert not ScreeningRecord.objects.exists() and not Finding.objects.exists()


def test_it_requires_a_finding_for_a_weak_conclusion(world, town1, round1):
    with pytest.raises(ServiceError) as exc:
        save(round1, world.village_w, town1, findings={})
    assert exc.value.message == "研判为“软弱涣散”的，请至少勾选一项认定标准并填写事实依据"
    assert not ScreeningRecord.objects.exists()


def test_it_refuses_criteria_of_another_campaign(world, county, town1, round1):
    other = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    foreign = criterion(other, "1.1")
    with pytest.raises(ServiceError) as exc:
        save(round1, world.village_w, town1, findings={foreign.pk: "证据"})
    assert exc.value.message == "所选认定标准不属于本次整顿工作"
    assert not ScreeningRecord.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": "phone_call"}, "请选择排查方式（组织自查、党员群众评查、信访核查或实地调查）"),
        # A callable: "tomorrow" is taken when the test runs, not when it was collected (before midnight).
        ({"screened_on": lambda: timezone.localdate() + datetime.timedelta(days=1)}, "排查日期不能晚于今天"),
    ],
)
def test_it_refuses_bad_fields(world, town1, round1, fields, message):
    fields = {name: value() if callable(value) else value for name, value in fields.items()}
    with pytest.raises(ServiceError) as exc:
        save(round1, world.village_w, town1, **fields)
    assert exc.value.message == message
    assert not ScreeningRecord.objects.exists()


def test_it_refuses_an_unknown_conclusion(world, town1, round1):
    with pytest.raises(ServiceError) as exc:
        save(round1, world.village_w, town1, conclusion="maybe", findings={})
    assert exc.value.message == "请选择研判结论"


def test_it_refuses_the_township_itself(world, town1, round1):
    with pytest.raises(ServiceError) as exc:
        save(round1, world.town1_org, town1)
    assert exc.value.message == "只能对村（社区）等基层党组织登记排查记录"


def test_it_refuses_an_organization_outside_the_round(world, campaign, county):
    rnd = services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=county)
    with pytest.raises(ServiceError) as exc:
        save(rnd, world.village_n, county)
    assert exc.value.message == "该组织不在本轮排查范围内"


def test_it_hides_another_townships_round_and_villages(world, town2, round1):
    with pytest.raises(Http404):
        save(round1, world.village_e, town2)
    assert not ScreeningRecord.objects.exists()


def test_it_refuses_recording_in_a_closed_round(world, town1, round1):
    services.round_close(round=round1, actor=town1, confirm=True)
    with pytest.raises(ServiceError) as exc:
        save(round1, world.village_w, town1)
    assert exc.value.message == "本轮排查已结束，不能再登记或修改排查记录"


def test_it_refuses_a_branch_operator(world, campaign, county, branch1):
    rnd = services.round_open(campaign=campaign, jurisdiction=world.village_e, actor=county)
    with pytest.raises(NotPermitted) as exc:
        save(rnd, world.village_e, branch1)
    assert exc.value.message == "您没有登记排查记录或提出拟定的权限"
