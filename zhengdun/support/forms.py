"""Forms of the 帮扶力量 page. They parse input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from zhengdun.core.forms import DateInput, StyledForm
from zhengdun.organizations.choices import ASSIGNMENT_ROLES
from zhengdun.organizations.forms import PersonChoiceField
from zhengdun.organizations.models import Organization, Person

DATE = DateInput()
NEW_PERSON_FIELDS = ("name", "phone", "unit", "title")


class AssignForm(StyledForm, forms.Form):
    role = forms.ChoiceField(label="岗位", choices=[(r.value, r.label) for r in ASSIGNMENT_ROLES])
    person = PersonChoiceField(label="选择已登记的人员", required=False)
    name = forms.CharField(label="或登记新人员：姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    unit = forms.CharField(label="工作单位", max_length=100, required=False)
    title = forms.CharField(label="职务", max_length=100, required=False)
    keeper = forms.ModelChoiceField(
        label="新人员登记在", queryset=Organization.objects.none(), required=False, help_text="留空则登记在您所在的组织"
    )
    started_on = forms.DateField(label="起始日期", required=False, widget=DATE)
    note = forms.CharField(label="备注", max_length=200, required=False)
    confirm_duplicate = forms.BooleanField(
        label="仍然登记为新人员", required=False, help_text="系统提示已有同名同电话的人员、而确是另一人时勾选"
    )

    def __init__(self, *args: Any, people: QuerySet[Person], keepers: QuerySet[Organization], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["keeper"].queryset = keepers  # type: ignore[attr-defined]

    def new_person(self) -> dict[str, str] | None:
        data = {k: self.cleaned_data.get(k) or "" for k in NEW_PERSON_FIELDS}
        return data if any(data.values()) else None


class EndForm(StyledForm, forms.Form):
    ended_on = forms.DateField(label="截止日期", widget=DATE)
    reason = forms.CharField(label="调整原因", max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, reason_required: bool = False, due: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if reason_required:
            hint = "联系领导调整须说明原因"
            if due:
                hint += f"；联系点应保持至 {due}，此前调整将记入审计日志"
            self.fields["reason"].help_text = hint


class SupportUnitForm(StyledForm, forms.Form):
    unit_name = forms.CharField(label="联建部门", max_length=100)
    head = PersonChoiceField(label="部门主要领导", required=False)
    started_on = forms.DateField(label="联建起始", required=False, widget=DATE)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "unit_%s")  # it shares the page with AssignForm: ids stay unique
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = people  # type: ignore[attr-defined]
