"""Forms of identification. They parse input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from zhengdun.core.forms import DateInput, StyledForm
from zhengdun.organizations.choices import Level
from zhengdun.organizations.forms import OrganizationChoiceField
from zhengdun.organizations.models import Organization

ERR_PICK_VILLAGE = "请选择您管辖范围内、本次整顿工作范围内的村（社区）级党组织"


class DynamicAddForm(StyledForm, forms.Form):
    organization = OrganizationChoiceField(
        label="党组织",
        search={"level": Level.VILLAGE},
        error_messages={"invalid_choice": ERR_PICK_VILLAGE, "required": ERR_PICK_VILLAGE},
        help_text="只能增补村（社区）级党组织；输入名称或编码搜索",
    )
    note = forms.CharField(label="增补理由", widget=forms.Textarea(attrs={"rows": 2}))
    filed_on = forms.DateField(label="备案日期", widget=DateInput())
    is_key = forms.BooleanField(label="列为重点整顿对象", required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], scope: Organization, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"filed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations  # type: ignore[attr-defined]
        # The search offers what the queryset accepts: villages within the campaign's scope.
        field.widget.params["under"] = str(scope.pk)
