"""Who may change what: one rule per model and action, asked the same way everywhere.

Reads are decided by each model's ``visible_to(user)`` queryset; writes by `may(user, action,
obj)`, which the API, the pages, the templates (``{% may %}``), the admin and the services all
call. Each feature registers the rules of its own models in its ``permissions`` module
(connected in `cx_audit.wiring`); a model without its own rule for "add", "change" or "delete"
gets the default below — the one place that says **HQ admins of a brand (and superusers) change
what belongs to that brand**. The rules are django-rules predicates, kept in their own rule set
(`rules.test_rule`), so a superuser gets only what each rule grants (a superuser never disputes
a finding, for one).

Every object names the path to its brand once, on its model: ``brand_path`` ("pk" for a brand),
else ``audit_path`` / ``framework_path`` followed by the audit's or framework's brand, else
``brand_id``. The callers have already found the object through ``visible_to``; the rules only
decide between roles that can see it.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Model, QuerySet

from cx_audit.core.scope import access_scope

DEFAULT_ACTIONS = ("add", "change", "delete")


def brand_lookup(model: type[Model]) -> str:
    """The ORM path from a model to its brand's id (``brand_id``, ``audit__brand_id``, ``pk``…)."""
    if path := getattr(model, "brand_path", None):
        return path
    for parent in ("audit_path", "framework_path"):
        if via := getattr(model, parent, None):
            return f"{via}__brand_id"
    return "brand_id"


def brand_id_of(obj: Any) -> int | None:
    """The id of the brand an object belongs to, following its model's `brand_lookup`."""
    node = obj
    for attr in brand_lookup(type(obj)).split("__"):
        node = getattr(node, attr, None)
        if node is None:
            return None
    return node


def administered_brands(user: Any) -> frozenset[int] | None:
    """The brands whose records the user may change; None means every brand (a superuser)."""
    scope = access_scope(user)
    return None if scope.is_superuser else scope.admin_brand_ids


def administered_by(queryset: QuerySet, user: Any) -> QuerySet:
    """The rows of ``queryset`` the user may change: the may-write rule as a query (admin choices,
    writable relations in the API)."""
    brands = administered_brands(user)
    if brands is None:
        return queryset.all()
    return queryset.filter(**{f"{brand_lookup(queryset.model)}__in": brands})


@rules.predicate
def administers(user: Any, obj: Any) -> bool:
    """The may-write rule: the user is HQ admin of the object's brand, or a superuser.

    ``obj`` is a record, or a model class when nothing exists yet (may the user add any?).
    """
    brands = administered_brands(user)
    if brands is None:
        return True
    if isinstance(obj, type):
        return bool(brands)
    return brand_id_of(obj) in brands


def rule_name(action: str, obj: Any) -> str:
    """``"<app>.<model>.<action>"``, e.g. ``"cx_audit.audit.void"``."""
    return f"{obj._meta.label_lower}.{action}"


def has_rule(action: str, obj: Any) -> bool:
    """Whether the model of ``obj`` has a rule of its own for ``action``."""
    return rules.rule_exists(rule_name(action, obj))


def may(user: Any, action: str, obj: Any) -> bool:
    """Whether ``user`` may do ``action`` to ``obj`` (a record, or its model class to add one).

    An action with no rule for the model is refused — unless it is one of the default actions,
    which follow the may-write rule — and naming an action no model knows is a programming error.
    """
    name = rule_name(action, obj)
    if has_rule(action, obj):
        return bool(rules.test_rule(name, user, obj))
    if action in DEFAULT_ACTIONS:
        return bool(administers(user, obj))
    raise LookupError(f"No permission rule {name!r}; register it in the feature's permissions module.")


def register(model: type[Model], **predicates: Any) -> None:
    """Register a model's rules: ``register(Audit, void=administers, edit=…)`` (idempotent)."""
    for action, predicate in predicates.items():
        rules.set_rule(f"{model._meta.label_lower}.{action}", predicate)
