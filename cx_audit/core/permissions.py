"""Who may do what with audits, beyond seeing them (seeing is `Audit.objects.visible_to`).

The callers have already found the location or audit through a `visible_to` queryset, so these
rules only decide between roles that can see it: analysts read, auditors and HQ admins audit,
franchisees assess themselves, and only HQ admins void.
"""

from __future__ import annotations

from typing import Any

from cx_audit.core.scope import access_scope
from locations.models import Role


def can_start_audit(user: Any, location: Any, kind: str) -> bool:
    """Auditors and HQ admins audit; a franchisee may only assess its own outlet."""
    from cx_audit.audits.models.audits import AuditKind

    scope = access_scope(user)
    if scope.is_superuser:
        return True
    role = scope.role_in(location.brand_id)
    if role == Role.FRANCHISEE:
        return kind == AuditKind.SELF_ASSESSMENT and location.franchisee_id in scope.franchisee_ids
    return role in (Role.HQ_ADMIN, Role.AUDITOR) and kind != AuditKind.SELF_ASSESSMENT


def can_edit_audit(user: Any, audit: Any) -> bool:
    """The person who started a draft fills it; an HQ admin of the brand may step in."""
    scope = access_scope(user)
    return scope.is_superuser or audit.auditor_id == user.pk or audit.brand_id in scope.admin_brand_ids


def can_void_audit(user: Any, audit: Any) -> bool:
    scope = access_scope(user)
    return scope.is_superuser or audit.brand_id in scope.admin_brand_ids


def can_dispute(user: Any, audit: Any) -> bool:
    """A franchisee disputes findings of audits taken while its company ran the store (the snapshot)."""
    scope = access_scope(user)
    return scope.role_in(audit.brand_id) == Role.FRANCHISEE and audit.franchisee_id in scope.franchisee_ids


def can_decide_disputes(user: Any, brand_id: int) -> bool:
    """HQ admins of the brand accept (rescore) or reject disputes."""
    scope = access_scope(user)
    return scope.is_superuser or brand_id in scope.admin_brand_ids


def can_share_scorecards(user: Any, brand_id: int) -> bool:
    """HQ admins of the brand send scorecards by share link and revoke those links."""
    scope = access_scope(user)
    return scope.is_superuser or brand_id in scope.admin_brand_ids


def can_respond_to_action(user: Any, action: Any) -> bool:
    """The outlet's franchisee answers its own actions (opened while it ran the store, and it still
    does); HQ admins answer for any store of the brand, direct stores above all."""
    scope = access_scope(user)
    if scope.is_superuser or action.brand_id in scope.admin_brand_ids:
        return True
    return (
        scope.role_in(action.brand_id) == Role.FRANCHISEE
        and action.franchisee_id in scope.franchisee_ids
        and action.location.franchisee_id in scope.franchisee_ids
    )


def can_decide_actions(user: Any, brand_id: int) -> bool:
    """HQ admins of the brand accept an answer or send it back."""
    scope = access_scope(user)
    return scope.is_superuser or brand_id in scope.admin_brand_ids
