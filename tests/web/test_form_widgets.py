"""The one date widget and the one percent field (core.forms), used by every form."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from zhengdun.core.forms import ERR_PERCENT, PercentField
from zhengdun.identification.forms import DynamicAddForm
from zhengdun.organizations.models import Organization
from zhengdun.plans.forms import FourReviewForm

DAY = datetime.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("form", "name"),
    [
        (
            DynamicAddForm(initial={"filed_on": DAY}, organizations=Organization.objects.none(), scope=Organization(pk=1)),
            "filed_on",
        ),
        (FourReviewForm(initial={"reviewed_on": DAY}), "reviewed_on"),
    ],
)
def test_prefilled_dates_are_iso_so_the_browser_date_input_shows_them(form, name):
    with translation.override("zh-hans"):
        html = str(form[name])
    assert 'type="date"' in html and 'value="2026-12-02"' in html


def test_a_percent_field_takes_what_a_person_types_and_shows_the_stored_fraction_as_a_percent():
    field = PercentField()
    assert (
        field.clean("70") == Decimal("0.7") and field.clean("5") == Decimal("0.05") and field.clean(" 75.5% ") == Decimal("0.755")
    )
    assert field.prepare_value(Decimal("0.700")) == "70" and field.prepare_value(Decimal("0.0500")) == "5"
    assert field.prepare_value(Decimal("0.755")) == "75.5"
    for bad in ("abc", "170", "-1"):
        with pytest.raises(forms.ValidationError) as exc:
            field.clean(bad)
        assert exc.value.messages == [ERR_PERCENT]
    assert PercentField(required=False).clean("") is None
