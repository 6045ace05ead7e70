from typing import Any

from django import forms
from django.db.models import QuerySet

from zhengdun.cases.services import ERR_NOTE_REQUIRED
from zhengdun.cases.transitions import Transition
from zhengdun.core.forms import DateInput, StyledForm
from zhengdun.organizations.forms import OrganizationChoiceField
from zhengdun.organizations.models import Organization

ERR_PICK_GRASSROOTS = "请选择您管辖范围内、本次整顿工作范围内的村（社区）级或其他基层党组织"


class OpenCaseForm(StyledForm, forms.Form):
    organization = OrganizationChoiceField(
        label="党组织",
        search={"level": ["village", "other"]},
        error_messages={"invalid_choice": ERR_PICK_GRASSROOTS, "required": ERR_PICK_GRASSROOTS},
        help_text="输入名称或编码搜索",
    )
    is_key = forms.BooleanField(label="重点整顿", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, organizations: QuerySet[Organization], scope: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations  # type: ignore[attr-defined]
        # The search offers what the queryset accepts: grassroots organizations within the campaign's scope.
        field.widget.params["under"] = str(scope.pk)


class TransitionForm(StyledForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="意见/说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    filed_on = forms.DateField(label="备案日期", required=False, widget=DateInput())
    satisfaction = forms.DecimalField(label="群众满意度（%）", required=False, min_value=0, max_value=100, decimal_places=1)
    is_key = forms.BooleanField(label="列为重点整顿对象", required=False)

    def __init__(self, *args: object, rule: Transition, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = rule.note_required
        self.fields["note"].error_messages["required"] = ERR_NOTE_REQUIRED
        if rule.action != "identify":
            del self.fields["is_key"]
        for name in ("filed_on", "satisfaction"):
            if name in rule.requires:
                self.fields[name].required = True
            elif not (name == "satisfaction" and rule.action == "fail"):
                del self.fields[name]


class CaseLedgerForm(StyledForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    is_key = forms.BooleanField(label="重点整顿", required=False)
    main_problems = forms.CharField(label="主要问题", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, key_editable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not key_editable:
            # Shown, not offered: a disabled field keeps its initial value whatever is posted.
            self.fields["is_key"].disabled = True
            self.fields["is_key"].help_text = "已由县级认定，只能由县级调整"
