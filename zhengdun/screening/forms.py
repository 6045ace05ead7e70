from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils import timezone

from zhengdun.campaigns.models import Campaign, Criterion
from zhengdun.core.forms import DateInput, StyledForm
from zhengdun.organizations.models import Organization
from zhengdun.screening.models import Conclusion, Method

ERR_EVIDENCE_UNCHECKED = "填写了事实依据，但没有勾选这一项认定标准"


class RoundOpenForm(StyledForm, forms.Form):
    campaign = forms.ModelChoiceField(label="整顿工作", queryset=Campaign.objects.none(), empty_label="请选择")
    jurisdiction = forms.ModelChoiceField(label="排查范围", queryset=Organization.objects.none(), empty_label="请选择")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, campaigns: QuerySet[Campaign], jurisdictions: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["jurisdiction"].queryset = jurisdictions  # type: ignore[attr-defined]


class RecordForm(StyledForm, forms.Form):
    """The record of one organization; each criterion of the catalog is a checkbox and an evidence box."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    method = forms.ChoiceField(label="排查方式", choices=[("", "请选择"), *Method.choices])
    screened_on = forms.DateField(label="排查日期", widget=DateInput())
    conclusion = forms.ChoiceField(label="研判结论", choices=Conclusion.choices)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, groups: list[tuple[str, list[Criterion]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        for _, criteria in groups:
            for c in criteria:
                # Added after StyledForm ran, so they carry their Bootstrap classes themselves.
                check = forms.CheckboxInput(attrs={"class": "form-check-input"})
                evidence = forms.Textarea(
                    attrs={"rows": 2, "class": "form-control form-control-sm", "placeholder": "具体事实、数据和来源"}
                )
                self.fields[f"c{c.pk}"] = forms.BooleanField(label=f"{c.code} {c.item}", required=False, widget=check)
                self.fields[f"e{c.pk}"] = forms.CharField(label="事实依据", required=False, widget=evidence)

    @staticmethod
    def initial_for(record: Any) -> dict[str, Any]:
        if record is None:
            return {"version": 0, "screened_on": timezone.localdate(), "conclusion": Conclusion.PENDING}
        initial: dict[str, Any] = {
            "version": record.version,
            "method": record.method,
            "screened_on": record.screened_on,
            "conclusion": record.conclusion,
            "note": record.note,
        }
        for finding in record.findings.all():
            initial[f"c{finding.criterion_id}"] = True
            initial[f"e{finding.criterion_id}"] = finding.evidence
        return initial

    def grouped(self) -> list[tuple[str, list[tuple[Criterion, BoundField, BoundField]]]]:
        return [(category, [(c, self[f"c{c.pk}"], self[f"e{c.pk}"]) for c in criteria]) for category, criteria in self.groups]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for _, criteria in self.groups:
            for c in criteria:
                if not data.get(f"c{c.pk}") and (data.get(f"e{c.pk}") or "").strip():
                    self.add_error(f"e{c.pk}", ERR_EVIDENCE_UNCHECKED)
        return data

    def findings(self) -> dict[int, str]:
        """{criterion id: evidence} for every checked criterion; the service checks the evidence."""
        data = self.cleaned_data
        return {c.pk: data.get(f"e{c.pk}", "") for _, criteria in self.groups for c in criteria if data.get(f"c{c.pk}")}
