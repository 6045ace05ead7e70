from typing import Any

from django import template

from zhengdun.core import masking

register = template.Library()


@register.simple_tag(takes_context=True)
def phone(context: dict[str, Any], value: str | None) -> str:
    """{% phone person.phone %}: the number, masked unless the viewer may see it."""
    return masking.phone_for(context.get("user"), value)


@register.simple_tag(takes_context=True)
def id_number(context: dict[str, Any], value: str | None) -> str:
    return masking.id_number_for(context.get("user"), value)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None
