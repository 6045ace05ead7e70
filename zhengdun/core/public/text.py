"""Plain text typed by the public: cleaned the same way on every public page."""

from __future__ import annotations

import re

ERR_CONTROL_CHARS = "内容含有无法识别的控制字符，请删除后重新提交"

# Tabs and line breaks are text; other control characters are not (PostgreSQL refuses NUL).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    # Browsers send textarea line breaks as CRLF; one break is one character.
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def has_control_chars(*values: str) -> bool:
    return any(CONTROL.search(value) for value in values)
