"""Forms parse input only; the rules and their messages live in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone

from zhengdun.campaigns.models import Criterion
from zhengdun.core.actors import Actor
from zhengdun.core.forms import DateInput, StyledForm
from zhengdun.organizations.models import Organization
from zhengdun.plans.measures import ERR_OWNER_PERSON, FIELDS
from zhengdun.plans.models import SECTIONS, FourReviewItem, Plan, ReviewDecision, Task
from zhengdun.plans.selectors import measure_owners

SECTION_HELP = {
    "basic_facts": "户数、人口、党员数、集体经济收入等",
    "problems": "逐条写明排查发现的问题及事实依据",
    "goals": "可衡量、可检查的整顿目标",
    "measures_text": "整改措施的总体说明；每项措施的责任人、时限和目标在下方“整改任务”中逐条填写",
    "leading_group": "组长一般为联系领导，副组长为党组织书记",
}


class PlanCreateForm(StyledForm, forms.Form):
    start = forms.ChoiceField(
        label="起草方式",
        choices=[("findings", "根据排查发现生成“存在的问题”"), ("blank", "从空白方案开始")],
        widget=forms.RadioSelect,
        initial="findings",
    )


class CriterionChoiceField(forms.ModelMultipleChoiceField):
    """A criterion is recognised by its concrete sign, not by its category alone (six share one)."""

    def label_from_instance(self, obj: Criterion) -> str:
        return f"{obj.code} {obj.category}：{obj.item}"


class PlanForm(StyledForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="标题", max_length=200)
    criteria = CriterionChoiceField(
        label="对应认定标准", queryset=Criterion.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, heading in SECTIONS:
            self.fields[name] = forms.CharField(
                label=heading, required=False, help_text=SECTION_HELP.get(name, ""), widget=forms.Textarea(attrs={"rows": 5})
            )
            self.fields[name].widget.attrs["class"] = "form-control"
        criteria = cast(CriterionChoiceField, self.fields["criteria"])
        criteria.queryset = Criterion.objects.filter(campaign_id=plan.case.campaign_id).order_by("order", "id")
        self.order_fields(["version", "title", *[name for name, _ in SECTIONS], "criteria"])

    @staticmethod
    def initial_for(plan: Plan) -> dict[str, Any]:
        data = {name: getattr(plan, name) for name, _ in SECTIONS}
        data.update(version=plan.version, title=plan.title, criteria=[c.pk for c in plan.criteria.all()])
        return data


# The measure's fields as the model and measures.FIELDS define them; every one optional here
# so that the service, not the form, says in Chinese what is missing.
_MEASURE_FIELDS = fields_for_model(
    Task,
    fields=FIELDS,
    widgets={"detail": forms.Textarea(attrs={"rows": 3}), "deadline": DateInput()},
)
for _field in _MEASURE_FIELDS.values():
    _field.required = False


class MeasureForm(StyledForm, type("MeasureFields", (forms.Form,), dict(_MEASURE_FIELDS))):  # type: ignore[misc]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organization: Organization, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Exactly the people the service accepts (plans.selectors.measure_owners).
        self.fields["owner"].queryset = measure_owners(user, organization)
        self.fields["owner"].error_messages["invalid_choice"] = ERR_OWNER_PERSON
        self.order_fields(["version", *FIELDS])


class ReviewForm(StyledForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="审核结论", choices=ReviewDecision.choices, widget=forms.RadioSelect)
    comments = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="退回修改时必须填写"
    )


class FourReviewForm(StyledForm, forms.Form):
    item = forms.ChoiceField(label="审核事项", choices=FourReviewItem.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    reviewed_on = forms.DateField(label="审核日期", widget=DateInput())
    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year, "reviewed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
