"""``{% may "void" audit as can_void %}``: the permission rules in templates (`core.permissions.may`)."""

from typing import Any

from django import template

from cx_audit.core.permissions import may as may_rule

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: Any, action: str, obj: Any) -> bool:
    """Whether the signed-in user may do ``action`` to ``obj``."""
    request = context.get("request")
    return may_rule(getattr(request, "user", None), action, obj)
