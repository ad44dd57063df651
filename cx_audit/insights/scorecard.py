"""One location as HQ drills into it: its latest audit in the window, its place in the chain, its history.

Built on the location's card (`cx_audit.audits.locationcard`, shared with the franchisee's
scorecard), with what only insights add: the window, the rank among the brand's latest audits and
the regression flag. Two queries, whatever the size of the chain: the location's counted audits,
then the latest audit's sections, dimensions and failed standards with its rank (one statement).
The audit page (`/audits/<id>/`) then shows every answer with its photos.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cx_audit.audits.locationcard import (
    AuditLine,
    Beside,
    DimensionLine,
    FailedItemLine,
    SectionLine,
    key_dimensions,
    location_card,
)
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.latest import latest_sql
from cx_audit.insights.maths import rounded
from cx_audit.insights.rankings import days_between
from locations.models import Location


@dataclass
class Scorecard:
    location: Location
    date_from: date
    date_to: date
    latest: AuditLine | None = None
    previous: AuditLine | None = None
    change: Decimal | None = None
    days_since_audit: int | None = None
    regression: bool = False
    regression_threshold: Decimal = Decimal(0)
    rank: int | None = None
    ranked: int = 0
    history: list[AuditLine] = field(default_factory=list)  # latest first
    sections: list[SectionLine] = field(default_factory=list)
    dimensions: list[DimensionLine] = field(default_factory=list)
    failed_items: list[FailedItemLine] = field(default_factory=list)

    @property
    def key_experiences(self) -> list[DimensionLine]:
        return key_dimensions(self.dimensions)


def scorecard(query: InsightQuery, location: Location) -> Scorecard:
    """``query`` is the brand-wide one (window and kinds); the location is ranked within it."""
    shared = location_card(
        location, audits=query.audits, since=query.start, beside=_standing(query, location)
    )
    card = Scorecard(
        location=location,
        date_from=query.date_from,
        date_to=query.date_to,
        regression_threshold=rounded(query.brand.regression_threshold),
    )
    lines = shared.lines
    card.history = [line for line in lines if line.in_window]
    if shared.latest is None:
        return card
    card.latest = latest = lines[0]
    card.previous = lines[1] if len(lines) > 1 else None
    card.days_since_audit = days_between(latest.submitted_at, query.today)
    card.change = shared.change
    if card.change is not None:
        card.regression = card.change < -query.brand.regression_threshold
    # Rank as in the league: 1 + the locations scoring strictly more; a visit without a score has none.
    card.ranked = int(shared.beside["ranked"])
    card.rank = None if latest.score is None else int(shared.beside["higher"]) + 1
    card.sections, card.dimensions, card.failed_items = (
        shared.sections,
        shared.dimensions,
        shared.failed_items,
    )
    return card


def _standing(query: InsightQuery, location: Location) -> Beside:
    """(locations scoring more, locations ranked) among the brand's latest audits in the window.

    Ranked: the latest audits with a score (a visit without one is listed, never ranked).

    The rank is taken against the location's own row of the latest audits, which is its newest
    audit here whenever that lies in the window (otherwise the card shows no rank). Scores are
    compared in whole hundredths, so that SQLite's floating point cannot split a tie.
    """
    latest, params = latest_sql(query, previous=(), columns=("id", "location_id", "score", "submitted_at"))
    return Beside(
        f"latest AS ({latest}), "
        "mine AS (SELECT score FROM latest WHERE location_id = %s), "
        "beside AS (SELECT COALESCE(SUM(CASE WHEN ROUND(l.score * 100) > ROUND(m.score * 100) "
        "THEN 1 ELSE 0 END), 0) AS higher, COUNT(l.score) AS ranked FROM latest l CROSS JOIN mine m)",
        [*params, location.pk],
    )
