"""Defect 5: a second, newer campaign must not hide the proposals waiting in the other.
认定, 台账 and 名单核查 open on the campaign with work waiting for the user."""

from __future__ import annotations

from django.urls import reverse

from tests.screening.conftest import save
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.cases.selectors import default_campaign
from zhengdun.screening.services import record_propose, round_open


def _two_campaigns(world, county, town1):
    older = campaign_create_from_template(
        template_key="county_two_year_2018", scope=world.county_org, start_year=2026, actor=county
    )
    rnd = round_open(campaign=older, jurisdiction=world.town1_org, actor=town1)
    record_propose(record=save(rnd, world.village_w, town1), actor=town1)
    newer = campaign_create_from_template(
        template_key="county_backward_2014", scope=world.county_org, start_year=2027, actor=county
    )
    return older, newer


def test_the_default_is_the_campaign_with_decisions_waiting_for_the_user(world, county, town1):
    older, newer = _two_campaigns(world, county, town1)
    assert default_campaign(county) == older
    # Nothing waits for the township's decision: the newest running campaign.
    assert default_campaign(town1) == newer


def test_the_pages_open_on_the_campaign_with_waiting_proposals(world, county, town1, as_user):
    older, _newer = _two_campaigns(world, county, town1)
    client = as_user(county)
    identification = client.get(reverse("identification:queue")).content.decode()
    assert "西关村党支部" in identification and f'href="/cases/honesty/?campaign={older.pk}"' in identification
    ledger = client.get(reverse("ledger:index")).content.decode()
    assert f'<option value="{older.pk}" selected>' in ledger
    honesty = client.get(reverse("identification:honesty")).content.decode()
    assert f"?campaign={older.pk}&" in honesty
