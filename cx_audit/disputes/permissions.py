"""Who may dispute a finding and who decides (`cx_audit.core.permissions.may`)."""

from __future__ import annotations

from typing import Any

import rules

from cx_audit.audits.models.audits import Audit
from cx_audit.core.choices import Role
from cx_audit.core.permissions import administers, register
from cx_audit.core.scope import access_scope
from cx_audit.disputes.models import Dispute


@rules.predicate
def ran_the_outlet(user: Any, audit: Any) -> bool:
    """A franchisee disputes findings of audits taken while its company ran the store (the snapshot).

    Not superusers: a dispute speaks for the outlet's operator.
    """
    scope = access_scope(user)
    return scope.role_in(audit.brand_id) == Role.FRANCHISEE and audit.franchisee_id in scope.franchisee_ids


def connect() -> None:
    register(Audit, dispute=ran_the_outlet)
    register(Dispute, decide=administers)
