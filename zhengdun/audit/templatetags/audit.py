from typing import Any

from django import template

from zhengdun.audit.selectors import EventRow, readable

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_rows(context: dict[str, Any], events: Any) -> list[EventRow]:
    """{% audit_rows events as rows %}: the events as the viewing user may read them."""
    return readable(events or [], context.get("user"))
