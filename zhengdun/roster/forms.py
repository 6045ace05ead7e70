"""The roster upload form; the checks of the file itself live in the services."""

from __future__ import annotations

from django import forms

from zhengdun.core.errors import ServiceError
from zhengdun.core.forms import StyledForm
from zhengdun.roster.services import check_year


class UploadForm(StyledForm, forms.Form):
    file = forms.FileField(label="名册文件", help_text="Excel（.xlsx）文件，请使用导入模板填写")
    year = forms.IntegerField(label="集体经济收入所属年度", help_text="名册中的集体经济收入记入该年度，默认上一年度")

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        try:
            check_year(year)
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from None
        return year
