"""Forms of the task pages. The rules live in rectification/services.py; these only parse."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from zhengdun.core.forms import DateInput, StyledForm
from zhengdun.plans.models import TaskStatus
from zhengdun.rectification import services as tasks
from zhengdun.rectification.uploads import ACCEPT, ALLOWED_TEXT


class _OnePageForm(StyledForm, forms.Form):
    """The task page shows several forms at once: each keeps its own element ids."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class TaskProgressForm(_OnePageForm):
    id_prefix = "progress"
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="状态", choices=TaskStatus.choices, error_messages={"invalid_choice": tasks.ERR_STATUS})

    def __init__(self, *args: Any, statuses: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the statuses the task's table lets this user reach from here (its current one included).
        if statuses is not None:
            cast(forms.ChoiceField, self.fields["status"]).choices = [
                (value, label) for value, label in TaskStatus.choices if value in statuses
            ]

    progress = forms.IntegerField(
        label="进度（%）",
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": tasks.ERR_PROGRESS,
            "min_value": tasks.ERR_PROGRESS,
            "max_value": tasks.ERR_PROGRESS,
            "required": tasks.ERR_PROGRESS,
        },
        help_text="状态为“已完成”时自动记为 100%",
    )
    actual_value = forms.DecimalField(
        label="实际完成值",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": tasks.ERR_ACTUAL, "min_value": tasks.ERR_ACTUAL},
    )
    note = forms.CharField(
        label="进展说明",
        required=False,
        max_length=tasks.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": tasks.ERR_NOTE_LONG},
        help_text="写明做了什么、完成到哪一步，留在任务的进展记录中",
    )


class EvidenceForm(_OnePageForm):
    id_prefix = "evidence"
    file = forms.FileField(
        label="佐证材料",
        error_messages={"required": tasks.ERR_NO_FILE, "empty": "文件为空，请重新选择"},
        help_text=f"可上传{ALLOWED_TEXT}；照片、PDF 可在浏览器中直接查看",
        # On a phone, `capture` offers the camera straight away; `accept` keeps the other kinds pickable.
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "capture": "environment"}),
    )
    note = forms.CharField(label="说明", required=False, max_length=200, error_messages={"max_length": tasks.ERR_EVIDENCE_NOTE})


class ExtensionRequestForm(_OnePageForm):
    id_prefix = "extension"
    new_deadline = forms.DateField(
        label="申请延至",
        widget=DateInput(),
        error_messages={"required": tasks.ERR_EXTENSION_DATE, "invalid": tasks.ERR_EXTENSION_DATE},
    )
    reason = forms.CharField(
        label="延期理由", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": tasks.ERR_EXTENSION_REASON}
    )


class ExtensionDecisionForm(_OnePageForm):
    id_prefix = "decision"
    decision = forms.ChoiceField(label="审批结论", choices=[("approve", "同意"), ("refuse", "不同意")])
    note = forms.CharField(label="审批意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
