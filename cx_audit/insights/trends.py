"""Monthly series: the chain, each outlet type and each region (or one location) over the window.

Every counted audit in the window counts in the month it was submitted (in the brand's time
zone), not only each location's latest. Per month and group:
- **audits**: how many were submitted, and of them **unscored**: without a score (every applicable
  item "cannot check", say);
- **mean score** = Σ score ÷ audits with a score (an audit without one is never a 0);
- **pooled points** = 100 × Σ earned ÷ Σ possible over the scored audits' scored standards.
Two grouped queries (audits; section points) give all series at once; months without an audit
stay in the series, empty, so the charts keep a true time axis.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cx_audit.audits.models.results import SectionResult
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.labels import query_regions
from cx_audit.insights.maths import mean, pooled_pct, rounded
from cx_audit.insights.regions import display_group
from locations.models import OutletType

TREND_BY = ("chain", "outlet_type", "region")


@dataclass(frozen=True)
class TrendPoint:
    """One month of one series."""

    series_by: str  # chain | outlet_type | region
    series_key: str
    series: str
    month: date
    audits: int
    unscored: int
    mean_score: Decimal | None
    pooled_pct: Decimal | None


@dataclass
class _Month:
    audits: int = 0
    scored: int = 0
    score: Decimal = Decimal(0)
    earned: Decimal = Decimal(0)
    possible: Decimal = Decimal(0)


def months(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s, both included."""
    found = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _month_start(value: Any) -> date:
    return (timezone.localtime(value) if timezone.is_aware(value) else value).date().replace(day=1)


def trends(query: InsightQuery) -> dict[str, list[TrendPoint]]:
    """Series by kind ("chain", "outlet_type", "region"), each a flat list of points by series then month."""
    audits = query.window_audits
    regions = query_regions(query)
    shown = display_group(regions, query.region.pk if query.region else None)
    names = {region.id: region.name for region in regions}
    cells: dict[tuple[str, Any], dict[date, _Month]] = defaultdict(lambda: defaultdict(_Month))

    def groups(outlet_type: str, region_id: int | None) -> list[tuple[str, Any]]:
        return [("chain", ""), ("outlet_type", outlet_type), ("region", shown.get(region_id, region_id))]

    for row in (
        audits.annotate(month=TruncMonth("submitted_at"))
        .values("month", "outlet_type", "region_id")
        .annotate(n=Count("pk"), scored=Count("score"), total=Sum("score"))
        .order_by()
    ):
        for group in groups(row["outlet_type"], row["region_id"]):
            cell = cells[group][_month_start(row["month"])]
            cell.audits += row["n"]
            cell.scored += row["scored"]
            cell.score += row["total"] or 0
    for row in (
        SectionResult.objects.filter(audit__in=audits.filter(score__isnull=False))
        .annotate(month=TruncMonth("audit__submitted_at"))
        .values("month", outlet_type=F("audit__outlet_type"), region_id=F("audit__region_id"))
        .annotate(earned=Sum("earned"), possible=Sum("possible"))
        .order_by()
    ):
        for group in groups(row["outlet_type"], row["region_id"]):
            cell = cells[group][_month_start(row["month"])]
            cell.earned += row["earned"] or 0
            cell.possible += row["possible"] or 0
    axis = months(query.date_from, query.date_to)
    labels = {("chain", ""): _("Whole selection"), **{("outlet_type", k): v for k, v in OutletType.choices}}
    labels.update({("region", pk): name for pk, name in names.items()})
    labels[("region", None)] = _("No region")
    result: dict[str, list[TrendPoint]] = {by: [] for by in TREND_BY}
    for (by, key), by_month in sorted(
        cells.items(), key=lambda item: (item[0][0], str(labels.get(item[0], "")))
    ):
        for month in axis:
            cell = by_month.get(month, _Month())
            result[by].append(
                TrendPoint(
                    series_by=by,
                    series_key="" if key is None else str(key),
                    series=str(labels.get((by, key), key)),
                    month=month,
                    audits=cell.audits,
                    unscored=cell.audits - cell.scored,
                    mean_score=rounded(mean(cell.score, cell.scored)),
                    pooled_pct=rounded(pooled_pct(cell.earned, cell.possible)),
                )
            )
    return result
