from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from zhengdun.core.forms import StyledForm
from zhengdun.organizations.forms import OrganizationChoiceField
from zhengdun.organizations.models import Organization


class UploadForm(StyledForm, forms.Form):
    file = forms.FileField(label="台账文件", help_text="Excel（.xlsx）文件；请先下载本系统导出的台账，在其中填写")


class UnitForm(forms.Form):
    """The 填表单位 picker of the ledger page: searched as you type, since a province holds thousands of units."""

    org = OrganizationChoiceField(label="填表单位（组织范围）", required=False)

    def __init__(self, *args: Any, units: QuerySet[Organization], levels: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org"]
        field.queryset = units  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]
        field.widget.params["level"] = list(levels)
        field.widget.attrs.update({"class": "form-select form-select-sm", "id": "ledger-org"})
