"""Querysets of disputes; `visible_to(user)` applies the user's access scope."""

from __future__ import annotations

from typing import Any

from cx_audit.audits.querysets import AuditPartQuerySet
from cx_audit.core.permissions import administered_by
from cx_audit.core.scope import access_scope


class DisputeQuerySet(AuditPartQuerySet):
    """Disputes are seen with their audit; two narrower reads serve the notices of the pages."""

    def awaiting_decision_by(self, user: Any) -> DisputeQuerySet:
        """Open disputes the user may decide: of the brands they are HQ admin of (all for a superuser).

        One query however many brands: the brands are ids in the user's scope, not a loop.
        """
        from cx_audit.disputes.models import DisputeStatus

        return administered_by(self.filter(status=DisputeStatus.OPEN), user)

    def of_own_outlets(self, user: Any) -> DisputeQuerySet:
        """Disputes of the outlets the user's franchisee companies ran at the audit (the snapshot).

        What a franchisee follows: whoever of its company raised them, never another company's,
        and nothing for a user without a franchisee membership (HQ sees the decisions it made).
        """
        scope = access_scope(user)
        if not scope.franchisee_ids:
            return self.none()
        return self.visible_to(user).filter(audit__franchisee_id__in=scope.franchisee_ids)
