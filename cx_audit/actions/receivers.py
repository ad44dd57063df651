"""Corrective actions following what happens to audits (`cx_audit.audits.signals`, DESIGN §5)."""

from __future__ import annotations

from typing import Any

from cx_audit.actions.services import actions_after_ruling, actions_cancel_for_audit, actions_from_audit


def audit_submitted(sender: Any, *, audit: Any, **kwargs: Any) -> None:
    """Open, update or verify the location's actions from the audit just submitted."""
    actions_from_audit(audit=audit)


def audit_voided(sender: Any, *, audit: Any, user: Any, reason: str, **kwargs: Any) -> None:
    """Cancel the live actions the voided audit opened (or hand them to a later visit)."""
    actions_cancel_for_audit(audit=audit, user=user, reason=reason)


def finding_ruled(sender: Any, *, audit: Any, item_code: str, ruling: str, user: Any, **kwargs: Any) -> None:
    """A passing or struck-out ruling on a disputed finding cancels the action it opened."""
    actions_after_ruling(audit=audit, item_code=item_code, ruling=ruling, user=user)
