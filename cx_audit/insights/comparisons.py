"""Region vs region, franchisee vs franchisee, direct vs authorized, tier vs tier.

Each group's figures are built from sums over its locations' latest audits, never from its
subgroups' averages:
- **pooled points** = 100 × Σ earned ÷ Σ possible over every scored standard of every latest
  audit in the group (`maths.pooled_pct`): a location weighs by the points it could earn;
- **mean score** = Σ score ÷ number of locations scored: each location counts once, and one whose
  latest audit has no score (``unscored``) is left out of every figure over scores;
- quartiles and consistency from the group's distribution of scores.
Rolling leaf regions up to the level shown only adds sums, so it is exact.

The figures come from the latest audits with their section points (`latest.latest_set`: one
query, shared with the other tables of the page), summed per group in one pass (`sums`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.utils.translation import gettext as _

from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.labels import query_regions
from cx_audit.insights.latest import grouped
from cx_audit.insights.maths import mean, pooled_pct, rounded, spread
from cx_audit.insights.regions import display_group
from cx_audit.insights.sums import AuditSums, total
from locations.models import Franchisee, OutletType

COMPARE_BY = ("region", "franchisee", "outlet_type", "city_tier")
_COLUMN = {
    "region": "region_id",
    "franchisee": "franchisee_id",
    "outlet_type": "outlet_type",
    "city_tier": "city_tier",
}


@dataclass(frozen=True)
class ComparisonRow:
    """One group of locations: how many, pooled points, mean score, spread, critical failures."""

    compare_by: str
    key: str  # the filter value that drills into the group ("" for the whole selection)
    label: str
    locations: int  # visited, scored or not
    unscored: int  # of them, whose latest audit has no score
    pooled_pct: Decimal | None
    earned: Decimal
    possible: Decimal
    mean_score: Decimal | None
    median_score: Decimal | None
    iqr: Decimal | None
    consistency: Decimal | None
    critical_failures: int


def compare(query: InsightQuery, by: str) -> list[ComparisonRow]:
    """The groups, best pooled points first, and a last row for the whole selection."""
    if by not in COMPARE_BY:
        raise ValueError(f"Compare by one of: {', '.join(COMPARE_BY)}.")
    column = attrgetter(_COLUMN[by])
    group_of, labels = _groups(query, by)
    sums = grouped(query, by, lambda audit: group_of(column(audit)))
    rows = [_row(by, key, labels.get(key, str(key)), group) for key, group in sums.items()]
    rows.sort(key=lambda row: (-(row.pooled_pct if row.pooled_pct is not None else -1), row.label))
    if rows:
        rows.append(_row(by, "", _("Whole selection"), total(sums.values())))
    return rows


def _row(by: str, key: Any, label: str, sums: AuditSums) -> ComparisonRow:
    distribution = spread(sums.histogram)
    return ComparisonRow(
        compare_by=by,
        key="" if key is None else str(key),
        label=label,
        locations=sums.locations,
        unscored=sums.unscored,
        pooled_pct=rounded(pooled_pct(sums.earned, sums.possible)),
        earned=rounded(sums.earned, 4),
        possible=rounded(sums.possible, 4),
        mean_score=rounded(mean(sums.score, sums.scored)),
        median_score=rounded(distribution.median),
        iqr=rounded(distribution.iqr),
        consistency=rounded(distribution.consistency),
        critical_failures=sums.critical,
    )


def _groups(query: InsightQuery, by: str) -> tuple[Any, dict[Any, str]]:
    """How a row's key maps to its group, and each group's label (one query at most)."""
    if by == "region":
        regions = query_regions(query)
        shown = display_group(regions, query.region.pk if query.region else None)
        names = {region.id: region.name for region in regions}
        names[None] = _("No region")
        return (lambda key: shown.get(key, key)), names
    if by == "franchisee":
        names = dict(Franchisee.objects.filter(brand=query.brand).values_list("pk", "name"))
        names[None] = _("Direct (brand-operated)")
        return (lambda key: key), names
    if by == "outlet_type":
        return (lambda key: key), dict(OutletType.choices)
    return (lambda key: key), {tier: _("Tier %(tier)s") % {"tier": tier} for tier in (1, 2, 3, 4)}
