from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model, QuerySet

from zhengdun.campaigns.models import Campaign, Criterion, Stage
from zhengdun.campaigns.rulebooks import RULEBOOKS
from zhengdun.campaigns.services import CRITERION_FIELDS, RULE_FIELDS, THRESHOLD_FIELDS
from zhengdun.core.forms import DateInput, PercentField, StyledForm
from zhengdun.core.workflow import Transition
from zhengdun.organizations.forms import OrganizationChoiceField
from zhengdun.organizations.models import Organization


class CampaignFromTemplateForm(StyledForm, forms.Form):
    template_key = forms.ChoiceField(label="规则模板", choices=[(k, f"{rb.title}（{rb.source}）") for k, rb in RULEBOOKS.items()])
    scope = OrganizationChoiceField(
        label="范围",
        help_text="本次整顿工作覆盖该组织及其全部下级组织；输入组织名称或编码搜索",
        error_messages={"invalid_choice": "请在您的管辖范围内选择组织", "required": "请选择本次整顿工作的范围"},
    )
    start_year = forms.IntegerField(label="起始年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="名称", max_length=200, required=False, help_text="留空则按范围、年度和模板自动命名")
    draft = forms.BooleanField(
        label="先存为草稿", required=False, help_text="勾选后整顿工作暂不启动，调整好规则后再在详情页启动；不勾选则创建后即开始"
    )
    # Set by the page after the user saw the duplicate warning and chose to go on.
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = organizations  # type: ignore[attr-defined]


class _VersionedModelForm(StyledForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def values(self) -> dict[str, Any]:
        """The cleaned fields the service takes, by the names of its keyword arguments."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class CampaignRulesForm(_VersionedModelForm):
    quota_share = PercentField(label="整顿比例参考（%）", required=False, help_text="如 5 表示约 5%；留空表示应定尽定、不设比例")
    satisfaction_threshold = PercentField(label="群众满意度合格线（%）", help_text="如 70 表示 70%，低于此值须重新整顿")

    class Meta:
        model = Campaign
        fields = list(RULE_FIELDS)


class CampaignThresholdsForm(_VersionedModelForm):
    plan_similarity_threshold = PercentField(
        label="方案雷同提示阈值（%）", help_text="提交的方案与其他方案或范本相似度达到此值时提示审核人（如 80 表示 80%）"
    )

    class Meta:
        model = Campaign
        fields = list(THRESHOLD_FIELDS)


def _row_form(model: type[Model], fields: list[str], *, required_id: bool, widgets: dict[str, Any]) -> type[forms.Form]:
    """One row of a catalog edited as a whole, its fields taken from the model.

    A plain form rather than a ModelForm: the service checks dates and codes
    across all rows at once and answers in Chinese, so a row must not run the
    model's constraints on its own.
    """
    attrs: dict[str, Any] = {
        "id": forms.IntegerField(widget=forms.HiddenInput, required=required_id),
        **forms.fields_for_model(model, fields=fields, widgets=widgets),
    }
    return type(f"{model.__name__}RowForm", (StyledForm, forms.Form), attrs)


StageForm = _row_form(
    Stage, ["name", "starts_on", "ends_on"], required_id=True, widgets={"starts_on": DateInput(), "ends_on": DateInput()}
)
StageFormSet = forms.formset_factory(StageForm, extra=0)

CriterionForm = _row_form(
    Criterion, list(CRITERION_FIELDS), required_id=False, widgets={"item": forms.Textarea(attrs={"rows": 2})}
)
CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)


class CampaignTransitionForm(StyledForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, rule: Transition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = rule.note_required
        if rule.note_required:
            self.fields["note"].label = "理由"
