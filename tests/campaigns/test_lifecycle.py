"""The campaign's status on the workflow: draft, active, closed, and reopening with a reason and the right."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.http import Http404
from django.urls import reverse

from tests.personas import PASSWORD
from zhengdun.accounts.models import User
from zhengdun.audit.models import AuditEvent
from zhengdun.campaigns import services
from zhengdun.campaigns.models import Campaign, CampaignEvent, CampaignStatus
from zhengdun.core.errors import ConflictError, NeedsConfirmation, NotPermitted, ServiceError
from zhengdun.core.workflow import ERR_ILLEGAL, ERR_NO_PERMISSION, ERR_NOTE_REQUIRED
from zhengdun.screening.guards import ERR_ROUNDS_OPEN
from zhengdun.screening.services import ERR_CAMPAIGN_CLOSED, ERR_CAMPAIGN_DRAFT, round_open
from zhengdun.screening.services import round_close as close_round


def _create(world, county, **extra) -> Campaign:
    return services.campaign_create_from_template(
        template_key="county_two_year_2018", scope=world.county_org, start_year=2026, actor=county, **extra
    )


def test_it_starts_active_unless_kept_as_a_draft(world, county):
    active = _create(world, county)
    draft = services.campaign_create_from_template(
        template_key="subdistrict_2018", scope=world.county_org, start_year=2026, actor=county, draft=True
    )
    assert (active.status, draft.status) == (CampaignStatus.ACTIVE, CampaignStatus.DRAFT)
    first = CampaignEvent.objects.get(campaign=draft)
    assert (first.from_state, first.to_state, first.actor) == ("", "draft", county)


def test_it_activates_closes_and_reopens_with_a_reason(world, county):
    campaign = _create(world, county, draft=True)
    with pytest.raises(ServiceError) as exc:
        round_open(campaign=campaign, jurisdiction=world.town1_org, actor=county)
    assert exc.value.message == ERR_CAMPAIGN_DRAFT

    services.campaign_transition(campaign=campaign, action="activate", actor=county)
    services.campaign_transition(campaign=campaign, action="close", actor=county, note="两年行动结束")
    assert campaign.status == CampaignStatus.CLOSED
    with pytest.raises(ServiceError) as exc:
        round_open(campaign=campaign, jurisdiction=world.town1_org, actor=county)
    assert exc.value.message == ERR_CAMPAIGN_CLOSED

    with pytest.raises(ServiceError) as exc:
        services.campaign_transition(campaign=campaign, action="reopen", actor=county)
    assert exc.value.message == ERR_NOTE_REQUIRED
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    services.campaign_transition(campaign=campaign, action="reopen", actor=county, note="省委要求延长一年")
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.ACTIVE
    steps = list(CampaignEvent.objects.filter(campaign=campaign).values_list("action", "from_state", "to_state", "note"))
    assert steps == [
        ("create", "", "draft", "由模板“软弱涣散农村基层党组织整顿提升两年行动”创建"),
        ("activate", "draft", "active", ""),
        ("close", "active", "closed", "两年行动结束"),
        ("reopen", "closed", "active", "省委要求延长一年"),
    ]
    audits = AuditEvent.objects.filter(object_type="campaigns.campaign", action="transition").order_by("id")
    assert [(a.before["status"], a.after["status"]) for a in audits] == [
        ("draft", "active"),
        ("active", "closed"),
        ("closed", "active"),
    ]


def test_it_refuses_reopening_without_the_right(world, county):
    campaign = _create(world, county)
    services.campaign_transition(campaign=campaign, action="close", actor=county)
    editor = User.objects.create_user(username="editor", password=PASSWORD, organization=world.county_org)
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="campaigns", codename__in=["change_campaign", "view_campaign"])
    )
    editor = User.objects.get(pk=editor.pk)
    with pytest.raises(NotPermitted) as exc:
        services.campaign_transition(campaign=campaign, action="reopen", actor=editor, note="想重新开始")
    assert exc.value.message == ERR_NO_PERMISSION.format(action="重新启动")
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    assert county.has_perm("campaigns.reopen_campaign")


def test_it_refuses_a_step_the_status_does_not_allow_and_a_stale_version(world, county):
    campaign = _create(world, county)
    with pytest.raises(ServiceError) as exc:
        services.campaign_transition(campaign=campaign, action="activate", actor=county)
    assert exc.value.message == ERR_ILLEGAL.format(state="进行中", action="启动整顿工作")
    seen = campaign.version
    services.campaign_transition(campaign=Campaign.objects.get(pk=campaign.pk), action="close", actor=county)
    with pytest.raises(ConflictError):
        services.campaign_transition(campaign=campaign, action="close", actor=county, expected_version=seen)


def test_it_hides_the_county_campaign_from_a_township_closing_it(world, campaign, town1):
    with pytest.raises(Http404):
        services.campaign_transition(campaign=campaign, action="close", actor=town1)
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.ACTIVE


def test_it_warns_on_a_second_campaign_of_the_same_template_and_year(world, county, campaign):
    with pytest.raises(NeedsConfirmation) as exc:
        _create(world, county)
    assert exc.value.message == services.ERR_DUPLICATE.format(scope="某县", year=2026, name=campaign.name)
    assert Campaign.objects.count() == 1
    _create(world, county, confirm_duplicate=True)
    assert Campaign.objects.count() == 2
    # Another year or another template is no duplicate.
    services.campaign_create_from_template(
        template_key="county_two_year_2018", scope=world.county_org, start_year=2028, actor=county
    )


# Pages


def test_the_page_offers_the_steps_and_asks_a_reason_to_reopen(world, county, as_user, campaign):
    client = as_user(county)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:transition", args=[campaign.pk, "close"]) in page and "结束整顿工作" in page
    response = client.post(reverse("campaigns:transition", args=[campaign.pk, "close"]), {"version": campaign.version})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "重新启动" in page and "结束整顿工作" not in page.split('data-testid="campaign-actions"')[1].split("</div>")[0]
    url = reverse("campaigns:transition", args=[campaign.pk, "reopen"])
    response = client.post(url, {"version": campaign.version, "note": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    response = client.post(url, {"version": campaign.version, "note": "延长一年"})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.ACTIVE
    assert "延长一年" in client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()


def test_the_page_offers_no_step_to_a_township(world, town1, as_user, campaign):
    client = as_user(town1)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:transition", args=[campaign.pk, "close"]) not in page
    assert client.post(reverse("campaigns:transition", args=[campaign.pk, "close"]), {"version": 1}).status_code == 404
    assert client.post(reverse("campaigns:transition", args=[campaign.pk, "nope"]), {"version": 1}).status_code == 404


def test_the_page_creates_a_draft_and_warns_on_a_duplicate(world, county, as_user, campaign):
    client = as_user(county)
    form = {"template_key": "county_two_year_2018", "scope": world.county_org.pk, "start_year": 2026}
    response = client.post(reverse("campaigns:create"), form)
    page = response.content.decode()
    assert response.status_code == 200 and "已有2026年按同一模板创建的整顿工作" in page and "仍然创建" in page
    assert Campaign.objects.count() == 1
    response = client.post(reverse("campaigns:create"), {**form, "draft": "on", "confirm_duplicate": "on"})
    assert response.status_code == 302
    second = Campaign.objects.latest("id")
    assert second.status == CampaignStatus.DRAFT and Campaign.objects.count() == 2
    assert "启动整顿工作" in client.get(reverse("campaigns:detail", args=[second.pk])).content.decode()


def test_a_campaign_closes_only_once_its_screening_rounds_are_closed(world, county, town1, as_user, campaign):
    rnd = round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    with pytest.raises(ServiceError) as exc:
        services.campaign_transition(campaign=campaign, action="close", actor=county)
    assert exc.value.message == ERR_ROUNDS_OPEN.format(count=1, names="城关镇")
    assert exc.value.remedy_url == reverse("screening:list")
    page = as_user(county).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "结束整顿工作：" + ERR_ROUNDS_OPEN.format(count=1, names="城关镇") in page and "去结束排查" in page
    close_round(round=rnd, actor=town1, confirm=True)
    services.campaign_transition(campaign=campaign, action="close", actor=county)
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
