from decimal import Decimal
from typing import Any

from django import forms


class StyledForm:
    """Gives every widget the Bootstrap class it needs, so templates stay plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else ""
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


ISO_DATE = "%Y-%m-%d"
ERR_PERCENT = "请填写 0—100 之间的百分数（如 70 表示 70%）"


class DateInput(forms.DateInput):
    """A browser date picker. <input type=date> reads only ISO dates; the zh-Hans
    input format ("2026/12/02") would leave it empty, so the value is always ISO."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class PercentField(forms.DecimalField):
    """A share typed as people say it: 70 for 70%, 5 for 5% ("70%" too).

    The cleaned value is the fraction the models store (0.70, 0.05), and a stored
    fraction is shown as its percentage, so nobody has to type 0.7 or 0.05.
    """

    def __init__(self, *, places: int = 1, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "any", "min": "0", "max": "100"}))
        kwargs.setdefault("help_text", "百分数，如 70 表示 70%")
        kwargs.pop("max_digits", None)
        kwargs.pop("decimal_places", None)
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        super().__init__(**kwargs)
        self.places = places
        self.error_messages["invalid"] = ERR_PERCENT

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            percent = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-self.places))
            return format(percent.normalize(), "f")
        return value

    # DecimalField narrows IntegerField.to_python's return to Decimal; django-stubs itself ignores that override.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().rstrip("%").strip()
        percent = super().to_python(value)
        if percent is None:
            return None
        if not Decimal(0) <= percent <= Decimal(100):
            raise forms.ValidationError(ERR_PERCENT, code="invalid")
        return percent / 100
