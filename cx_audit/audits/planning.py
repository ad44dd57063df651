"""When each location is due for an audit, and in what order an auditor should go (pure rules).

No Django here: plans, last audit dates and distances in; due dates and an order out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_INTERVAL_DAYS = 90  # when a brand has no plan that matches a location


@dataclass(frozen=True)
class PlanRule:
    """Audit matching locations every ``interval_days``; None matches any outlet type / tier."""

    interval_days: int
    outlet_type: str | None = None
    city_tier: int | None = None

    def matches(self, outlet_type: str, city_tier: int) -> bool:
        return self.outlet_type in (None, outlet_type) and self.city_tier in (None, city_tier)

    @property
    def specificity(self) -> int:
        """Type and tier beat type alone, which beats tier alone, which beats a catch-all."""
        return 2 * (self.outlet_type is not None) + (self.city_tier is not None)


def interval_for(outlet_type: str, city_tier: int, plans: Iterable[PlanRule]) -> int:
    """The interval of the most specific matching plan (the shortest one on a tie)."""
    matching = [plan for plan in plans if plan.matches(outlet_type, city_tier)]
    if not matching:
        return DEFAULT_INTERVAL_DAYS
    best = max(plan.specificity for plan in matching)
    return min(plan.interval_days for plan in matching if plan.specificity == best)


@dataclass(frozen=True)
class DueStatus:
    """When the next audit is due; a location never audited is due today."""

    due_date: date
    overdue_days: int
    never_audited: bool

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def due_status(last_audit: date | None, interval_days: int, today: date) -> DueStatus:
    if last_audit is None:
        return DueStatus(due_date=today, overdue_days=0, never_audited=True)
    due = last_audit + timedelta(days=interval_days)
    return DueStatus(due_date=due, overdue_days=max(0, (today - due).days), never_audited=False)


@dataclass(frozen=True)
class Visit:
    """A location to visit: its due status and how far it is from the tablet (None: unknown)."""

    location_id: int
    status: DueStatus
    distance_km: float | None


def visiting_order(visits: Sequence[Visit]) -> list[Visit]:
    """Overdue first, then nearest first (unknown distances last), then earliest due."""
    return sorted(
        visits,
        key=lambda v: (
            not v.status.overdue,
            math.inf if v.distance_km is None else v.distance_km,
            v.status.due_date,
            v.location_id,
        ),
    )
