from typing import Any

from django import forms
from django.db.models import QuerySet

from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.rulebooks import RULEBOOKS
from zhengdun.core.forms import StyledForm
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

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = organizations  # type: ignore[attr-defined]


class CampaignRulesForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "start_year",
            "end_year",
            "reporting_period",
            "quota_share",
            "satisfaction_threshold",
            "cycle_years",
            "target",
            "status",
        ]
