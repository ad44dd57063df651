"""Small template helpers for the insight pages."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ links|lookup:row.key }}``: a dict's value for a key computed in the template (None if absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
