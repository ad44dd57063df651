"""Reads of stored audit results that span relations, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone
from geopy.distance import geodesic

from cx_audit.audits import planning
from cx_audit.audits.choices import COUNTED_KINDS
from cx_audit.audits.models.amendments import Amendment
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.planning import AuditPlan
from cx_audit.audits.models.results import DimensionResult, ItemResult, SectionResult
from locations.models import Location, LocationStatus


def score_data(audit: Audit) -> dict[str, Any]:
    """The breakdown of one audit from its stored results, with HQ's amendments (each keeping the
    item's original result): four queries."""
    dimensions = list(DimensionResult.objects.filter(audit=audit).select_related("dimension"))
    return {
        "audit": audit,
        "amendments": list(Amendment.objects.filter(audit=audit).select_related("amended_by").order_by("pk")),
        "sections": SectionResult.objects.filter(audit=audit).select_related("section"),
        "dimensions": dimensions,
        "key_experiences": key_experiences(dimensions),
        "items": ItemResult.objects.filter(audit=audit)
        .select_related("item")
        .order_by("item__section__order", "item__order", "item_id"),
    }


def key_experiences(dimensions: list[DimensionResult]) -> list[str]:
    ranked = sorted((d for d in dimensions if d.key_rank is not None), key=lambda d: d.key_rank)
    return [d.dimension_code for d in ranked]


@dataclass(frozen=True)
class DueLocation:
    """A location the user may audit, with when it is due and how far away it is."""

    location: Location
    status: planning.DueStatus
    distance_km: float | None
    last_audit_at: datetime | None


def due_locations(
    user: Any, *, today: date, position: tuple[float, float] | None = None
) -> list[DueLocation]:
    """Open locations the user sees, in visiting order (overdue, then nearest): three queries.

    The last audit that counts is the latest submitted one by an auditor — voided audits and
    franchisee self-assessments do not reset the clock.
    """
    locations = list(
        Location.objects.visible_to(user).filter(status=LocationStatus.OPEN).select_related("brand")
    )
    ids = [location.pk for location in locations]
    last = dict(
        Audit.objects.submitted()
        .filter(kind__in=COUNTED_KINDS)
        .filter(location_id__in=ids)
        .values("location_id")
        .annotate(last=Max("submitted_at"))
        .values_list("location_id", "last")
    )
    plans: dict[int, list[planning.PlanRule]] = {}
    for plan in AuditPlan.objects.filter(brand_id__in={location.brand_id for location in locations}):
        plans.setdefault(plan.brand_id, []).append(
            planning.PlanRule(plan.interval_days, plan.outlet_type or None, plan.city_tier)
        )
    by_id = {location.pk: location for location in locations}
    visits = [
        planning.Visit(
            location.pk,
            planning.due_status(
                timezone.localdate(last[location.pk]) if location.pk in last else None,
                planning.interval_for(
                    location.outlet_type, location.city_tier, plans.get(location.brand_id, ())
                ),
                today,
            ),
            _distance_km(position, location),
        )
        for location in locations
    ]
    return [
        DueLocation(by_id[visit.location_id], visit.status, visit.distance_km, last.get(visit.location_id))
        for visit in planning.visiting_order(visits)
    ]


def _distance_km(position: tuple[float, float] | None, location: Location) -> float | None:
    if position is None or not location.has_coordinates:
        return None
    return round(geodesic(position, (location.latitude, location.longitude)).km, 3)
