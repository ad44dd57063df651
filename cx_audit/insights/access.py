"""Who reads the chain insights, and over which audits and locations.

Insights compare locations with each other, which is HQ's job (DESIGN §1): HQ admins and HQ
analysts read them for the brands where they hold that role, superusers for every brand.
Auditors and franchisees do not get them at all — a franchisee sees only its own scorecards,
and a ranking would tell it about the other operators' stores. A page or endpoint of insights
is therefore refused as a whole (403) to anyone without an HQ role; within it, the data is
the user's `visible_to` scope cut down to their HQ brands, so a user who is HQ in brand A and
a franchisee in brand B sees insights of A only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cx_audit.audits.models.audits import Audit
from cx_audit.core.scope import access_scope
from locations.models import Brand, Location


def can_see_insights(user: Any) -> bool:
    scope = access_scope(user)
    return scope.is_superuser or bool(scope.hq_brand_ids)


def insight_brands(user: Any) -> QuerySet:
    """The brands whose insights the user may read."""
    scope = access_scope(user)
    brands = Brand.objects.visible_to(user)
    return brands if scope.is_superuser else brands.filter(pk__in=scope.hq_brand_ids)


def insight_audits(user: Any) -> QuerySet:
    """Audits that count (submitted; never drafts or voided ones) the user may compare."""
    scope = access_scope(user)
    audits = Audit.objects.visible_to(user).submitted()
    return audits if scope.is_superuser else audits.filter(brand_id__in=scope.hq_brand_ids)


def insight_locations(user: Any) -> QuerySet:
    scope = access_scope(user)
    locations = Location.objects.visible_to(user)
    return locations if scope.is_superuser else locations.filter(brand_id__in=scope.hq_brand_ids)
