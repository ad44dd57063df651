"""The anonymous benchmark on a scorecard: where a location stands, without naming anyone else.

Three figures over each location's latest counted audit (scheduled or unannounced, submitted in
the last `WINDOW_DAYS`) of the same brand: the chain median, the median of the location's region
(the audit's snapshot region) and the location's percentile among outlets of its type. Only
aggregates leave this module, and each only over a group of at least `MIN_GROUP` locations — a
"median" of two would give the other store's score away to anyone who knows their own.

The percentile is the share of the other outlets of the same type that score lower, ties counted
half: 100 means better than every other one, 50 the middle of the field.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from cx_audit.audits.choices import COUNTED_KINDS
from cx_audit.audits.models.audits import Audit

WINDOW_DAYS = 180
MIN_GROUP = 5
CENT = Decimal("0.01")
OUTLET_WORDS = {"direct": _("direct"), "authorized": _("authorized")}  # "among authorized outlets"


@dataclass(frozen=True)
class Peer:
    """One location's latest score, as the benchmark needs it (never shown)."""

    location_id: int
    score: Decimal
    region_id: int | None
    outlet_type: str


@dataclass(frozen=True)
class Benchmark:
    chain_median: Decimal | None
    chain_count: int
    region_name: str
    region_median: Decimal | None
    region_count: int
    outlet_type: str  # as said in "among authorized outlets"
    outlet_percentile: int | None
    outlet_count: int  # outlets of the type, this one included
    min_group: int = MIN_GROUP
    window_days: int = WINDOW_DAYS


def median(scores: Sequence[Decimal]) -> Decimal | None:
    if len(scores) < MIN_GROUP:
        return None
    return Decimal(statistics.median(scores)).quantize(CENT, rounding=ROUND_HALF_UP)


def percentile(score: Decimal, others: Sequence[Decimal]) -> int | None:
    """Share (0–100) of ``others`` scoring below ``score``, ties counted half."""
    if len(others) + 1 < MIN_GROUP:
        return None
    below = sum(1 for other in others if other < score)
    same = sum(1 for other in others if other == score)
    share = (Decimal(below) + Decimal(same) / 2) * 100 / len(others)
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def latest_peers(brand_id: int, *, now: datetime) -> list[Peer]:
    """Each location's latest counted audit of the brand in the window: one query."""
    latest = (
        Audit.objects.filter(
            brand_id=brand_id, kind__in=COUNTED_KINDS, submitted_at__gte=now - timedelta(days=WINDOW_DAYS)
        )
        .latest_per_location()
        .values_list("location_id", "score", "region_id", "outlet_type")
    )
    return [Peer(*row) for row in latest if row[1] is not None]


def benchmark_for(audit: Audit, *, now: datetime) -> Benchmark:
    """The benchmark of ``audit``'s location, from its score and its peers' latest scores."""
    peers = [peer for peer in latest_peers(audit.brand_id, now=now) if peer.location_id != audit.location_id]
    own = Peer(audit.location_id, audit.score, audit.region_id, audit.outlet_type)
    everyone = [*peers, own]
    region = [peer.score for peer in everyone if audit.region_id and peer.region_id == audit.region_id]
    same_type = [peer.score for peer in peers if peer.outlet_type == audit.outlet_type]
    return Benchmark(
        chain_median=median([peer.score for peer in everyone]),
        chain_count=len(everyone),
        region_name=audit.region.name if audit.region_id else "",
        region_median=median(region),
        region_count=len(region),
        outlet_type=OUTLET_WORDS.get(audit.outlet_type, audit.outlet_type),
        outlet_percentile=percentile(audit.score, same_type),
        outlet_count=len(same_type) + 1,
    )
