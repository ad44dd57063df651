"""Who may start, fill and void audits (`cx_audit.core.permissions.may`).

Analysts read; auditors and HQ admins audit; a franchisee only assesses its own outlet; the
person who started a draft fills it and an HQ admin of the brand may step in; only HQ admins void.
"""

from __future__ import annotations

from typing import Any

import rules

from cx_audit.audits.choices import AuditKind
from cx_audit.audits.models.audits import Audit
from cx_audit.core.choices import Role
from cx_audit.core.permissions import administers, register
from cx_audit.core.scope import access_scope
from locations.models import Location


@rules.predicate
def audits_for_brand(user: Any, location: Any) -> bool:
    """Auditors and HQ admins of the location's brand (and superusers) audit it."""
    scope = access_scope(user)
    return scope.is_superuser or scope.role_in(location.brand_id) in (Role.HQ_ADMIN, Role.AUDITOR)


@rules.predicate
def runs_the_outlet(user: Any, location: Any) -> bool:
    """The franchisee that runs the outlet (and superusers) assess it themselves."""
    scope = access_scope(user)
    if scope.is_superuser:
        return True
    franchisee = scope.role_in(location.brand_id) == Role.FRANCHISEE
    return franchisee and location.franchisee_id in scope.franchisee_ids


@rules.predicate
def started_it(user: Any, audit: Any) -> bool:
    return user is not None and audit.auditor_id == getattr(user, "pk", None)


def start_action(kind: str) -> str:
    """The action that starting an audit of this kind asks for on the location."""
    return "self_assess" if kind == AuditKind.SELF_ASSESSMENT else "audit"


def connect() -> None:
    register(Location, audit=audits_for_brand, self_assess=runs_the_outlet)
    register(Audit, edit=started_it | administers, void=administers)
