from django import forms

from zhengdun.core.forms import StyledForm


class UploadForm(StyledForm, forms.Form):
    file = forms.FileField(label="台账文件", help_text="Excel（.xlsx）文件；请先下载本系统导出的台账，在其中填写")
