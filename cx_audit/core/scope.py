"""What one user may see, worked out once per request from their memberships.

Every `visible_to(user)` in the project reads this scope, so the rules for who sees what
live here and nowhere else: HQ roles see their brands, auditors their assigned regions
(with sub-regions) and locations, franchisees the locations their company runs.

The scope sits in the shared core, below the chain (`locations`) whose memberships it reads, so
that every feature can ask it; it reaches the membership tables through the app registry
(`apps.get_model`), the way Django's own auth reaches a swappable user model, so the import
graph keeps pointing one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from cx_audit.core.choices import HQ_ROLES, Role

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
    """One query for the memberships; the auditor assignments only for users who audit somewhere.

    Built afresh on every request, never kept across requests: a scope kept in the session or a
    cache would have to be dropped whenever a membership, its regions or locations, or the region
    tree changes, and a stale scope shows someone data they may no longer see. HQ users and
    franchisees (everyone who reads insights) cost one query; auditors three, plus one per level
    of nested regions.
    """
    Membership = apps.get_model("locations", "Membership")

    if user.is_superuser:
        return AccessScope(is_superuser=True)
    memberships = list(
        Membership.objects.filter(user=user).values_list("pk", "brand_id", "role", "franchisee_id")
    )
    roles = {brand_id: role for _pk, brand_id, role, _franchisee in memberships}
    auditing = [pk for pk, _brand, role, _franchisee in memberships if role == Role.AUDITOR]
    regions, locations = _assignments(auditing) if auditing else (set(), set())
    return AccessScope(
        member_brand_ids=frozenset(roles),
        hq_brand_ids=frozenset(b for b, role in roles.items() if role in HQ_ROLES),
        admin_brand_ids=frozenset(b for b, role in roles.items() if role == Role.HQ_ADMIN),
        auditor_region_ids=frozenset(regions),
        auditor_location_ids=frozenset(locations),
        franchisee_ids=frozenset(f for _pk, _brand, role, f in memberships if role == Role.FRANCHISEE),
        roles_by_brand=roles,
    )


def _assignments(membership_ids: list[int]) -> tuple[set[int], set[int]]:
    """The regions (with every region nested below them) and locations assigned to these memberships."""
    Membership = apps.get_model("locations", "Membership")
    Region = apps.get_model("locations", "Region")

    assigned = set(
        Membership.regions.through.objects.filter(membership_id__in=membership_ids).values_list(
            "region_id", flat=True
        )
    )
    locations = set(
        Membership.locations.through.objects.filter(membership_id__in=membership_ids).values_list(
            "location_id", flat=True
        )
    )
    return (Region.objects.with_descendants(assigned) if assigned else set()), locations
