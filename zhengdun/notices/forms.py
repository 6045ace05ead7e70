"""Forms of the public notice. Lengths and rules are checked by the services
and the comment workflow, so a page and the API refuse the same input with the
same words."""

from __future__ import annotations

from django import forms

from zhengdun.notices import services

DATE_WIDGET = {"type": "date", "class": "form-control"}


class CommentForm(forms.Form):
    body = forms.CharField(
        label="意见建议",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": services.BODY_MAX, "class": "form-control"}),
    )
    author_name = forms.CharField(
        label="称呼（选填）",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": services.AUTHOR_MAX, "class": "form-control", "autocomplete": "name"}),
    )
    contact = forms.CharField(
        label="联系方式（选填，仅工作人员可见，不公开）",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": services.CONTACT_MAX, "class": "form-control", "autocomplete": "tel"}),
    )


class PublishForm(forms.Form):
    starts_on = forms.DateField(label="公示开始日期", widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_WIDGET))
    ends_on = forms.DateField(
        label="公示结束日期",
        required=False,
        help_text="不填则按本次整顿工作规定的公示天数计算",
        widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_WIDGET),
    )


class TransitionForm(forms.Form):
    """A step of a comment's workflow: the version the user saw, so a comment
    someone else handled meanwhile is refused instead of overwritten."""

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class AnswerForm(TransitionForm):
    answer = forms.CharField(
        label="答复",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.ANSWER_MAX, "class": "form-control"}),
    )
    show_publicly = forms.BooleanField(
        label="在公示页显示该意见及答复", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
