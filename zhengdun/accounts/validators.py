import re
from typing import Any

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """Password policy: letters, digits and at least one other character."""

    message = "密码须同时包含字母、数字和特殊字符"

    def validate(self, password: str, user: Any = None) -> None:
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password) and re.search(r"[^A-Za-z0-9]", password)):
            raise ValidationError(self.message, code="password_character_classes")

    def get_help_text(self) -> str:
        return self.message
