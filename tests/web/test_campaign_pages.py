from django.urls import reverse

from zhengdun.campaigns.models import Campaign


def test_it_creates_a_campaign_from_each_template(world, as_user, county):
    client = as_user(county)
    for key, stages, criteria in [("county_backward_2014", 4, 8), ("county_two_year_2018", 5, 27), ("subdistrict_2018", 4, 9)]:
        response = client.post(
            reverse("campaigns:create"), {"template_key": key, "scope": world.county_org.pk, "start_year": 2026}
        )
        assert response.status_code == 302
        campaign = Campaign.objects.get(template_key=key)
        assert campaign.stages.count() == stages and campaign.criteria.count() == criteria
    seed004 = Campaign.objects.get(template_key="county_backward_2014")
    assert str(seed004.quota_share) == "0.0500" and str(seed004.satisfaction_threshold) == "0.700"
    assert seed004.reporting_period == "two_months"
    assert Campaign.objects.get(template_key="county_two_year_2018").quota_share is None


def test_it_lets_a_township_read_but_not_edit_the_county_campaign(campaign, as_user, town1):
    client = as_user(town1)
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 403


def test_it_refuses_bad_rules(campaign, as_user, county):
    response = as_user(county).post(
        reverse("campaigns:edit", args=[campaign.pk]),
        {
            "name": campaign.name,
            "start_year": 2026,
            "end_year": 2025,
            "reporting_period": "month",
            "satisfaction_threshold": "0.7",
            "cycle_years": 3,
            "status": "active",
        },
    )
    assert "结束年度不能早于起始年度" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.end_year == 2028


def test_it_keeps_campaigns_of_one_county_from_another_township_scope(world, as_user, county, town2):
    from zhengdun.campaigns.services import campaign_create_from_template

    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    assert as_user(town2).get(reverse("campaigns:detail", args=[own.pk])).status_code == 404
