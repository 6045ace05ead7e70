from django import forms

from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.rulebooks import RULEBOOKS
from zhengdun.core.forms import StyledForm


class CampaignFromTemplateForm(StyledForm, forms.Form):
    template_key = forms.ChoiceField(label="规则模板", choices=[(k, f"{rb.title}（{rb.source}）") for k, rb in RULEBOOKS.items()])
    scope_code = forms.CharField(label="范围（组织编码）", max_length=32, help_text="本次整顿工作覆盖该组织及其全部下级组织")
    start_year = forms.IntegerField(label="起始年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="名称", max_length=200, required=False, help_text="留空则按范围、年度和模板自动命名")


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
