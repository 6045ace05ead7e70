"""Forms of the public notice. Lengths and rules are checked by the services
in public.py, so a page and the API refuse the same input with the same words."""

from __future__ import annotations

from django import forms

from zhengdun.core.forms import DateInput
from zhengdun.plans import public


class CommentForm(forms.Form):
    body = forms.CharField(
        label="意见建议",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": public.BODY_MAX, "class": "form-control"}),
    )
    author_name = forms.CharField(
        label="称呼（选填）",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": public.AUTHOR_MAX, "class": "form-control", "autocomplete": "name"}),
    )
    contact = forms.CharField(
        label="联系方式（选填，仅工作人员可见，不公开）",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": public.CONTACT_MAX, "class": "form-control", "autocomplete": "tel"}),
    )


class PublishForm(forms.Form):
    starts_on = forms.DateField(label="公示开始日期", widget=DateInput(attrs={"class": "form-control"}))
    ends_on = forms.DateField(
        label="公示结束日期",
        required=False,
        help_text="不填则按本次整顿工作规定的公示天数计算",
        widget=DateInput(attrs={"class": "form-control"}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": public.ANSWER_MAX, "class": "form-control"}),
    )
    show_publicly = forms.BooleanField(
        label="在公示页显示该意见及答复", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
