"""Who answers a corrective action and who decides on the answer (`cx_audit.core.permissions.may`)."""

from __future__ import annotations

from typing import Any

import rules

from cx_audit.actions.models import CorrectiveAction
from cx_audit.core.choices import Role
from cx_audit.core.permissions import administers, register
from cx_audit.core.scope import access_scope


@rules.predicate
def runs_the_outlet_still(user: Any, action: Any) -> bool:
    """The outlet's franchisee answers its own actions: opened while it ran the store, and it still does."""
    scope = access_scope(user)
    return (
        scope.role_in(action.brand_id) == Role.FRANCHISEE
        and action.franchisee_id in scope.franchisee_ids
        and action.location.franchisee_id in scope.franchisee_ids
    )


def connect() -> None:
    """HQ admins answer for any store of the brand (direct stores above all) and decide answers."""
    register(CorrectiveAction, respond=administers | runs_the_outlet_still, decide=administers)
