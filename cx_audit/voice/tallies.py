"""Customer metrics straight from the database: one aggregate per question, whatever the volume.

The pure metrics (`cx_audit.voice.metrics`) compute NPS, CSAT and effort from a `Tally` — the
counts and sums one SQL aggregate returns per group — so a million feedback rows never travel to
Python. `tallies_by` groups by any feedback field (location, region, franchisee, outlet type,
touchpoint, channel, week); `location_voice` is what the scorecard and the league table show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cx_audit.voice.metrics import Tally, csat_share, nps
from cx_audit.voice.models import Feedback
from cx_audit.voice.policy import funnel_of, policy_for
from cx_audit.voice.revenue import RevenueAtRisk, revenue_at_risk
from locations.models import Location

# The customer metrics shown beside an audit cover the last quarter; revenue at risk weighs a year's
# revenue, so it takes the year's negative-experience share.
WINDOW_DAYS = 90
REVENUE_WINDOW_DAYS = 365
TALLY_FIELDS = tuple(Tally.__dataclass_fields__)


def tally_aggregates() -> dict[str, Any]:
    """The aggregate expressions whose results are exactly a `Tally`'s fields."""
    return {
        "volume": Count("pk"),
        "nps_n": Count("nps"),
        "promoters": Count("pk", filter=Q(nps__gte=9)),
        "detractors": Count("pk", filter=Q(nps__lte=6)),
        "csat_n": Count("csat"),
        "csat_top2": Count("pk", filter=Q(csat__gte=4)),
        "csat_sum": Coalesce(Sum("csat"), 0),
        "effort_n": Count("effort"),
        "effort_sum": Coalesce(Sum("effort"), 0),
        "complaints": Count("pk", filter=Q(complaint=True)),
    }


def tally_of(feedback: QuerySet[Feedback]) -> Tally:
    return Tally(**feedback.order_by().aggregate(**tally_aggregates()))


def tallies_by(feedback: QuerySet[Feedback], key: str) -> dict[Any, Tally]:
    """One `Tally` per value of ``key`` (a feedback field or path, e.g. ``location__region_id``)."""
    rows = feedback.order_by().values(key).annotate(**tally_aggregates())
    return {row[key]: Tally(**{name: row[name] for name in TALLY_FIELDS}) for row in rows}


def since(days: int, today: date | None = None) -> datetime:
    """The start of the window of ``days`` days ending today (whole days, in the site's time zone)."""
    today = today or timezone.localdate()
    return timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), time.min))


@dataclass(frozen=True)
class LocationVoice:
    """What customers said about one location: the quarter's metrics and the year's revenue at risk."""

    tally: Tally
    year: Tally
    revenue: RevenueAtRisk | None

    @property
    def nps(self) -> Decimal | None:
        return nps(self.tally)

    @property
    def csat_share(self) -> Decimal | None:
        return csat_share(self.tally)


def location_voice(locations: Iterable[Location], today: date | None = None) -> dict[int, LocationVoice]:
    """The voice of each location: two aggregates and one policy query per brand, whatever the count.

    Revenue at risk needs the location's annual revenue and a negative-experience share: the
    brand's figure when it set one, else the location's detractor share over the year (none
    without NPS answers).
    """
    locations = list(locations)
    ids = [location.pk for location in locations]
    base = Feedback.objects.filter(location_id__in=ids)
    quarter = tallies_by(base.filter(received_at__gte=since(WINDOW_DAYS, today)), "location_id")
    year = tallies_by(base.filter(received_at__gte=since(REVENUE_WINDOW_DAYS, today)), "location_id")
    policies = {brand_id: policy_for(brand_id) for brand_id in {location.brand_id for location in locations}}
    voices = {}
    for location in locations:
        policy = policies[location.brand_id]
        annual = year.get(location.pk, Tally())
        voices[location.pk] = LocationVoice(
            quarter.get(location.pk, Tally()), annual, _revenue(location, annual, policy)
        )
    return voices


def negative_share(tally: Tally, override: Decimal | None) -> Decimal | None:
    if override is not None:
        return override
    if not tally.nps_n:
        return None
    return Decimal(tally.detractors) / Decimal(tally.nps_n)


def _revenue(location: Location, tally: Tally, policy: Any) -> RevenueAtRisk | None:
    share = negative_share(tally, policy.negative_share)
    if location.annual_revenue is None or share is None:
        return None
    return revenue_at_risk(location.annual_revenue, share, funnel_of(policy))
