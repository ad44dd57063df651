"""Querysets of the chain; each `visible_to(user)` applies the user's access scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import F, Q

from cx_audit.core.permissions import administered_by
from cx_audit.core.scope import access_scope


class BrandQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> BrandQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(pk__in=scope.member_brand_ids)

    def managed_by(self, user: Any) -> BrandQuerySet:
        """Brands whose chain and framework the user may change (HQ admins)."""
        return administered_by(self, user)


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> RegionQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(brand_id__in=scope.member_brand_ids)

    def with_descendants(self, region_ids: Iterable[int]) -> set[int]:
        """The given regions and every region nested below them, one query per level."""
        found = set(region_ids)
        frontier = set(found)
        while frontier:
            children = set(self.model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            frontier = children - found
            found |= frontier
        return found


class FranchiseeQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FranchiseeQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        from locations.models import Location

        seen_by_auditor = Location.objects.filter(_auditor_q(scope)).values("franchisee_id")
        return self.filter(
            Q(brand_id__in=scope.hq_brand_ids) | Q(pk__in=scope.franchisee_ids) | Q(pk__in=seen_by_auditor)
        )


def _auditor_q(scope: Any) -> Q:
    return Q(region_id__in=scope.auditor_region_ids) | Q(pk__in=scope.auditor_location_ids)


class LocationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> LocationQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(
            Q(brand_id__in=scope.hq_brand_ids) | _auditor_q(scope) | Q(franchisee_id__in=scope.franchisee_ids)
        )

    def policy_exceptions(self) -> LocationQuerySet:
        """Direct stores in cities smaller than their brand allows for direct stores."""
        from locations.models import OutletType

        return self.filter(outlet_type=OutletType.DIRECT, city_tier__gt=F("brand__direct_max_city_tier"))


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> MembershipQuerySet:
        """A user sees their own memberships; HQ admins see everyone's in their brands."""
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(Q(user_id=getattr(user, "pk", None)) | Q(brand_id__in=scope.admin_brand_ids))
