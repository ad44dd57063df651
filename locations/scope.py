"""What one user may see, worked out once per request from their memberships.

Every `visible_to(user)` in the project reads this scope, so the rules for who sees what
live here and nowhere else: HQ roles see their brands, auditors their assigned regions
(with sub-regions) and locations, franchisees the locations their company runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_CACHE_ATTR = "_cx_access_scope"


@dataclass(frozen=True)
class AccessScope:
    """The ids a user's memberships reach, by kind of reach."""

    is_superuser: bool = False
    member_brand_ids: frozenset[int] = field(default_factory=frozenset)
    hq_brand_ids: frozenset[int] = field(default_factory=frozenset)
    admin_brand_ids: frozenset[int] = field(default_factory=frozenset)
    auditor_region_ids: frozenset[int] = field(default_factory=frozenset)
    auditor_location_ids: frozenset[int] = field(default_factory=frozenset)
    franchisee_ids: frozenset[int] = field(default_factory=frozenset)
    roles_by_brand: dict[int, str] = field(default_factory=dict)

    def role_in(self, brand_id: int) -> str | None:
        return self.roles_by_brand.get(brand_id)


def access_scope(user: Any) -> AccessScope:
    """The user's scope, computed with a fixed number of queries and cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return AccessScope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _build_scope(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope, after the user's memberships changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _build_scope(user: Any) -> AccessScope:
    from .models import HQ_ROLES, Membership, Region, Role

    if user.is_superuser:
        return AccessScope(is_superuser=True)
    memberships = list(Membership.objects.filter(user=user).prefetch_related("regions", "locations"))
    roles = {m.brand_id: m.role for m in memberships}
    auditors = [m for m in memberships if m.role == Role.AUDITOR]
    assigned_regions = {r.pk for m in auditors for r in m.regions.all()}
    return AccessScope(
        member_brand_ids=frozenset(roles),
        hq_brand_ids=frozenset(b for b, role in roles.items() if role in HQ_ROLES),
        admin_brand_ids=frozenset(b for b, role in roles.items() if role == Role.HQ_ADMIN),
        auditor_region_ids=frozenset(
            Region.objects.with_descendants(assigned_regions) if assigned_regions else ()
        ),
        auditor_location_ids=frozenset(loc.pk for m in auditors for loc in m.locations.all()),
        franchisee_ids=frozenset(m.franchisee_id for m in memberships if m.role == Role.FRANCHISEE),
        roles_by_brand=roles,
    )
