"""A campaign's rules, thresholds, stage dates and criteria catalog stay editable
after creation, audited, and never so that a recorded screening loses its ground."""

from __future__ import annotations

import datetime
import inspect
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.screening.conftest import VACANT, save
from zhengdun.audit.models import AuditEvent
from zhengdun.campaigns import services
from zhengdun.campaigns.models import Campaign, Criterion
from zhengdun.campaigns.services import CriterionSpec, StageDates
from zhengdun.core.errors import ConflictError, ServiceError
from zhengdun.core.forms import ERR_PERCENT
from zhengdun.screening.services import round_open


def _specs(campaign: Campaign) -> list[CriterionSpec]:
    return [
        CriterionSpec(id=c.pk, code=c.code, category=c.category, item=c.item, lead_office=c.lead_office)
        for c in campaign.criteria.order_by("order", "id")
    ]


def test_the_services_take_exactly_the_fields_forms_and_api_derive_from():
    for fn, fields in (
        (services.campaign_update, services.RULE_FIELDS),
        (services.campaign_set_thresholds, services.THRESHOLD_FIELDS),
    ):
        params = inspect.signature(fn).parameters
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
        assert set(params) - {"campaign", "actor", "expected_version"} == set(fields)


def test_it_changes_thresholds_with_the_audit_trail(world, county, campaign):
    values = {f: getattr(campaign, f) for f in services.THRESHOLD_FIELDS}
    services.campaign_set_thresholds(campaign=campaign, actor=county, **{**values, "warn_min_star": 2, "warn_petitions": None})
    campaign.refresh_from_db()
    assert (campaign.warn_min_star, campaign.warn_petitions, campaign.version) == (2, None, 2)
    event = AuditEvent.objects.filter(object_type="campaigns.campaign", action="update").latest("id")
    assert event.before == {"warn_min_star": 3, "warn_petitions": 5, "version": 1}
    with pytest.raises(ServiceError) as exc:
        services.campaign_set_thresholds(campaign=campaign, actor=county, **{**values, "warn_min_star": -1})
    assert exc.value.message == services.ERR_NEGATIVE
    with pytest.raises(ConflictError):
        services.campaign_set_thresholds(campaign=campaign, actor=county, expected_version=1, **values)


def test_it_moves_stage_dates_and_refuses_an_end_before_the_start(world, county, campaign):
    stages = list(campaign.stages.order_by("order"))
    first = stages[0]
    moved = StageDates(id=first.pk, name=first.name, starts_on=datetime.date(2026, 9, 15), ends_on=datetime.date(2026, 10, 31))
    services.campaign_set_stages(campaign=campaign, actor=county, stages=[moved])
    first.refresh_from_db()
    assert (first.starts_on, first.ends_on) == (datetime.date(2026, 9, 15), datetime.date(2026, 10, 31))
    event = AuditEvent.objects.filter(object_type="campaigns.campaign", note="修改工作阶段").get()
    assert event.before["stages"][0]["starts_on"] == "2026-09-01" and event.after["stages"][0]["starts_on"] == "2026-09-15"
    bad = StageDates(id=first.pk, name=first.name, starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2026, 10, 1))
    with pytest.raises(ServiceError) as exc:
        services.campaign_set_stages(campaign=campaign, actor=county, stages=[bad])
    assert exc.value.message == services.ERR_STAGE_DATES.format(name=first.name)
    first.refresh_from_db()
    assert first.starts_on == datetime.date(2026, 9, 15)


def test_it_edits_the_catalog_but_keeps_what_findings_use(world, county, town1, campaign):
    rnd = round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    save(rnd, world.village_w, town1)  # a weak record standing on criterion 1.2
    used = Criterion.objects.get(campaign=campaign, code=VACANT)
    specs = _specs(campaign)
    count = len(specs)

    without_used = [s for s in specs if s.id != used.pk]
    with pytest.raises(ServiceError) as exc:
        services.campaign_set_criteria(campaign=campaign, actor=county, criteria=without_used)
    assert exc.value.message == services.ERR_CRITERION_IN_USE.format(codes=VACANT)
    assert campaign.criteria.count() == count

    reworded = [CriterionSpec(**{**s.__dict__, "item": "改写"}) if s.id == used.pk else s for s in specs]
    with pytest.raises(ServiceError) as exc:
        services.campaign_set_criteria(campaign=campaign, actor=county, criteria=reworded)
    assert exc.value.message == services.ERR_CRITERION_USED_CHANGED.format(codes=VACANT)

    # Unused items may go, codes may be swapped, new items come in, the used one may change office.
    unused = [s for s in specs if s.id != used.pk]
    a, b = unused[0], unused[1]
    edited = [CriterionSpec(**{**s.__dict__, "lead_office": "县委组织部组织科"}) if s.id == used.pk else s for s in specs]
    edited = [s for s in edited if s.id != unused[-1].id]
    edited = [
        CriterionSpec(**{**s.__dict__, "code": b.code})
        if s.id == a.id
        else CriterionSpec(**{**s.__dict__, "code": a.code})
        if s.id == b.id
        else s
        for s in edited
    ]
    edited.append(CriterionSpec(id=None, code="9.1", category="其他", item="县委认定的其他情形"))
    services.campaign_set_criteria(campaign=campaign, actor=county, criteria=edited)
    assert campaign.criteria.count() == count
    assert Criterion.objects.get(pk=a.id).code == b.code and Criterion.objects.get(pk=b.id).code == a.code
    assert Criterion.objects.get(pk=used.pk).lead_office == "县委组织部组织科"
    assert not Criterion.objects.filter(pk=unused[-1].id).exists()
    assert campaign.criteria.order_by("order", "id").last().code == "9.1"
    assert AuditEvent.objects.filter(object_type="campaigns.campaign", note="修改认定标准").count() == 1

    twice = [*edited, CriterionSpec(id=None, code="9.1", category="其他", item="又一项")]
    with pytest.raises(ServiceError) as exc:
        services.campaign_set_criteria(campaign=campaign, actor=county, criteria=twice)
    assert exc.value.message == services.ERR_CRITERION_CODE_TWICE.format(code="9.1")
    with pytest.raises(ServiceError) as exc:
        services.campaign_set_criteria(campaign=campaign, actor=county, criteria=[])
    assert exc.value.message == services.ERR_CRITERIA_EMPTY


# Pages


def test_percent_fields_take_what_a_person_types(world, county, as_user):
    campaign = services.campaign_create_from_template(
        template_key="county_backward_2014", scope=world.county_org, start_year=2026, actor=county
    )
    client = as_user(county)
    url = reverse("campaigns:edit", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'name="satisfaction_threshold" value="70"' in page and 'name="quota_share" value="5"' in page
    form = {
        "version": campaign.version,
        "name": campaign.name,
        "start_year": 2026,
        "end_year": 2026,
        "reporting_period": "month",
        "quota_share": "8",
        "satisfaction_threshold": "75%",
        "cycle_years": 1,
        "target": "",
    }
    assert client.post(url, form).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.quota_share, campaign.satisfaction_threshold) == (Decimal("0.0800"), Decimal("0.750"))
    response = client.post(url, {**form, "version": campaign.version, "satisfaction_threshold": "170"})
    assert response.status_code == 400 and ERR_PERCENT in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.satisfaction_threshold == Decimal("0.750")


def test_the_thresholds_page_saves_the_similarity_threshold_as_a_percent(world, county, as_user, campaign):
    client = as_user(county)
    url = reverse("campaigns:thresholds", args=[campaign.pk])
    assert 'name="plan_similarity_threshold" value="80"' in client.get(url).content.decode()
    form = {f: getattr(campaign, f) for f in services.THRESHOLD_FIELDS}
    form = {k: ("on" if v is True else "" if v in (None, False) else v) for k, v in form.items()}
    response = client.post(url, {**form, "version": campaign.version, "plan_similarity_threshold": "85", "warn_min_star": "2"})
    assert response.status_code == 302, response.content.decode()
    campaign.refresh_from_db()
    assert (campaign.plan_similarity_threshold, campaign.warn_min_star) == (Decimal("0.850"), 2)


def test_the_stages_page_shows_iso_dates_and_saves_them(world, county, as_user, campaign):
    client = as_user(county)
    url = reverse("campaigns:stages", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'type="date" name="stages-0-starts_on" value="2026-09-01"' in page
    stages = list(campaign.stages.order_by("order"))
    form = {"stages-TOTAL_FORMS": len(stages), "stages-INITIAL_FORMS": len(stages), "version": campaign.version}
    for i, s in enumerate(stages):
        form |= {
            f"stages-{i}-id": s.pk,
            f"stages-{i}-name": s.name,
            f"stages-{i}-starts_on": s.starts_on,
            f"stages-{i}-ends_on": s.ends_on,
        }
    form["stages-0-ends_on"] = "2026-08-01"
    response = client.post(url, form)
    assert response.status_code == 400 and services.ERR_STAGE_DATES.format(name=stages[0].name) in response.content.decode()
    form["stages-0-ends_on"] = "2026-11-15"
    assert client.post(url, form).status_code == 302
    assert campaign.stages.get(pk=stages[0].pk).ends_on == datetime.date(2026, 11, 15)


def test_the_criteria_page_refuses_removing_a_used_criterion(world, county, town1, as_user, campaign):
    rnd = round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    save(rnd, world.village_w, town1)
    criteria = list(campaign.criteria.order_by("order", "id"))
    form = {"criteria-TOTAL_FORMS": len(criteria), "criteria-INITIAL_FORMS": len(criteria), "version": campaign.version}
    for i, c in enumerate(criteria):
        form |= {f"criteria-{i}-{f}": getattr(c, f) for f in services.CRITERION_FIELDS}
        form[f"criteria-{i}-id"] = c.pk
        if c.code == VACANT:
            form[f"criteria-{i}-DELETE"] = "on"
    client = as_user(county)
    response = client.post(reverse("campaigns:criteria", args=[campaign.pk]), form)
    assert response.status_code == 400
    assert services.ERR_CRITERION_IN_USE.format(codes=VACANT) in response.content.decode()
    assert campaign.criteria.count() == len(criteria)


def test_a_township_may_not_open_the_edit_pages(world, town1, as_user, campaign):
    client = as_user(town1)
    for name in ("campaigns:thresholds", "campaigns:stages", "campaigns:criteria"):
        assert client.get(reverse(name, args=[campaign.pk])).status_code == 403
