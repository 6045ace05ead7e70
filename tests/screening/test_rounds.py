import pytest
from django.http import Http404

from tests.screening.conftest import save
from zhengdun.audit.models import AuditEvent
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.core.errors import NeedsConfirmation, NotPermitted, ServiceError
from zhengdun.organizations.models import Organization
from zhengdun.screening import services
from zhengdun.screening.models import RoundStatus, ScreeningRound, ScreeningRoundEvent
from zhengdun.screening.transitions import ERR_UNSCREENED


def test_it_opens_a_round_for_a_township_and_audits_it(world, campaign, town1):
    rnd = services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1, note="  第一轮  ")
    assert (rnd.status, rnd.opened_by, rnd.note) == (RoundStatus.OPEN, town1, "第一轮")
    event = AuditEvent.objects.get(object_type="screening.screeninground", object_id=str(rnd.pk))
    assert (event.action, event.actor, event.note, event.org_path) == ("create", town1, "发起排查", world.town1_org.path)


def test_it_refuses_a_second_open_round_for_the_same_jurisdiction(world, campaign, town1, round1):
    with pytest.raises(ServiceError) as exc:
        services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    assert exc.value.message == "“城关镇”在本次整顿工作中已有进行中的排查，请在该排查中继续登记"
    assert ScreeningRound.objects.count() == 1


def test_it_opens_a_new_round_once_the_previous_one_is_closed(world, campaign, town1, round1):
    services.round_close(round=round1, actor=town1, confirm=True)
    again = services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    assert again.pk != round1.pk and ScreeningRound.objects.filter(status=RoundStatus.OPEN).count() == 1


def test_it_lets_the_county_screen_the_whole_county_beside_the_townships(world, campaign, county, round1):
    rnd = services.round_open(campaign=campaign, jurisdiction=world.county_org, actor=county)
    assert rnd.status == RoundStatus.OPEN


def test_it_hides_a_jurisdiction_outside_the_actors_subtree(world, campaign, town2):
    with pytest.raises(Http404):
        services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town2)
    assert not ScreeningRound.objects.exists()


def test_it_refuses_a_jurisdiction_outside_the_campaign(world, county):
    town1_campaign = campaign_create_from_template(
        template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county
    )
    with pytest.raises(ServiceError) as exc:
        services.round_open(campaign=town1_campaign, jurisdiction=world.town2_org, actor=county)
    assert exc.value.message == "排查范围不在本次整顿工作的范围内"
    assert not ScreeningRound.objects.exists()


def test_it_refuses_a_closed_campaign(world, campaign, town1):
    campaign.status = "closed"
    campaign.save()
    with pytest.raises(ServiceError) as exc:
        services.round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    assert exc.value.message == "该整顿工作已结束，不能再发起排查"


def test_it_refuses_a_jurisdiction_without_grassroots_organizations(world, campaign, county):
    empty = Organization.objects.add_child(
        Organization.objects.get(pk=world.county_org.pk),
        instance=Organization(code="T09", name="新设镇", level="township", kind="committee", parent=world.county_org),
    )
    with pytest.raises(ServiceError) as exc:
        services.round_open(campaign=campaign, jurisdiction=empty, actor=county)
    assert exc.value.message == "该范围内没有村（社区）等基层党组织，无需排查"


@pytest.mark.parametrize("persona", ["branch1", "inspector1"])
def test_it_refuses_roles_without_the_permission(world, campaign, persona):
    user = world.users[persona]
    with pytest.raises(NotPermitted) as exc:
        services.round_open(campaign=campaign, jurisdiction=user.organization, actor=user)
    assert exc.value.message == "您没有发起或结束排查的权限"


def test_it_refuses_closing_while_records_wait_for_a_conclusion(world, town1, round1):
    save(round1, world.village_e, town1, conclusion="pending")
    save(round1, world.community_s, town1, conclusion="pending")
    save(round1, world.village_w, town1, conclusion="not_weak")
    with pytest.raises(ServiceError) as exc:
        services.round_close(round=round1, actor=town1)
    assert exc.value.message == "以下组织的研判结论仍为“待研判”，请研判后再结束排查：东关村党支部、南关社区党支部"
    assert exc.value.errors == ["东关村党支部", "南关社区党支部"]
    round1.refresh_from_db()
    assert round1.status == RoundStatus.OPEN and round1.closed_at is None


def test_it_closes_a_round_and_audits_it(world, town1, round1):
    save(round1, world.village_e, town1, conclusion="not_weak")
    services.round_close(round=round1, actor=town1, confirm=True)
    assert (round1.status, round1.closed_by) == (RoundStatus.CLOSED, town1) and round1.closed_at is not None
    event = AuditEvent.objects.get(object_type="screening.screeninground", action="transition")
    assert event.before["status"] == "open" and event.after["status"] == "closed"
    with pytest.raises(ServiceError) as exc:
        services.round_close(round=round1, actor=town1, confirm=True)
    assert exc.value.message == "本轮排查已经结束"


def test_it_hides_another_townships_round_from_closing(round1, town2):
    with pytest.raises(Http404):
        services.round_close(round=round1, actor=town2)


def test_closing_with_unscreened_organizations_asks_for_confirmation_and_says_how_many(world, town1, round1):
    save(round1, world.village_e, town1, conclusion="not_weak")
    with pytest.raises(NeedsConfirmation) as exc:
        services.round_close(round=round1, actor=town1)
    assert exc.value.message == ERR_UNSCREENED.format(count=2)
    round1.refresh_from_db()
    assert round1.status == RoundStatus.OPEN and not ScreeningRoundEvent.objects.filter(round=round1, action="close").exists()
    services.round_close(round=round1, actor=town1, confirm=True, note="其余两村经核实无问题")
    event = ScreeningRoundEvent.objects.get(round=round1, action="close")
    assert (event.from_state, event.to_state, event.actor, event.note) == ("open", "closed", town1, "其余两村经核实无问题")
    assert list(ScreeningRoundEvent.objects.filter(round=round1).values_list("action", flat=True)) == ["open", "close"]


def test_closing_a_fully_screened_round_needs_no_confirmation(world, town1, round1):
    for org in (world.village_e, world.village_w, world.community_s):
        save(round1, org, town1, conclusion="not_weak")
    services.round_close(round=round1, actor=town1)
    assert round1.status == RoundStatus.CLOSED


def test_the_pending_refusal_comes_before_the_confirmation(world, town1, round1):
    save(round1, world.village_e, town1, conclusion="pending")
    with pytest.raises(ServiceError) as exc:
        services.round_close(round=round1, actor=town1, confirm=True)
    assert not isinstance(exc.value, NeedsConfirmation) and exc.value.errors == ["东关村党支部"]
