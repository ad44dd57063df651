"""Locations ranked: the league table, the regressions, and the location gap.

Each is one query over each location's latest audit in the window (`latest`), a page at a time,
with the rank and the table's length worked out by window functions in the same query.

A latest audit without a score (every applicable item "cannot check", say) is a visit, not a 0:
the league lists it last, without a rank, with the reason (`cx_audit.audits.noscore`); it is never
a regression, and the location gap leaves it out (it lost nothing because nothing was scored).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Rank
from django.utils import timezone

from cx_audit.audits.models.results import DimensionResult, SectionResult
from cx_audit.audits.noscore import no_score_reason
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.latest import latest_audits, latest_sql
from cx_audit.insights.maths import rounded
from cx_audit.insights.tables import QueryRows, SqlRows, db_datetime, db_decimal
from cx_audit.voice.sidebyside import LeagueVoice
from locations.models import Franchisee, Location, Region

POINTS = DecimalField(max_digits=14, decimal_places=4)

LOCATION_VALUES = {
    "audit_id": F("pk"),
    "loc_id": F("location_id"),
    "loc_code": F("location__code"),
    "loc_name": F("location__name"),
    "loc_city": F("location__city"),
    "snap_outlet_type": F("outlet_type"),
    "snap_franchisee": F("franchisee__name"),
    "snap_region": F("region__name"),
    "when": F("submitted_at"),
    "audit_score": F("score"),
}


def days_between(when: datetime, today: date) -> int:
    return (today - timezone.localdate(when)).days


@dataclass
class LeagueRow:
    """A location in the league: its latest audit in the window, its rank, its change.

    Not frozen, unlike the other rows: a frozen dataclass costs twice as much to make, and an
    export of the whole chain makes 10,000 of them."""

    rank: int | None  # None: not scored, not ranked
    location_id: int
    location_code: str
    location_name: str
    city: str
    outlet_type: str
    franchisee: str
    region: str
    audit_id: int
    submitted_at: datetime
    days_since_audit: int
    score: Decimal | None
    band: str
    critical_failure: bool
    failed_items: int
    repeat_findings: int
    previous_score: Decimal | None
    change: Decimal | None
    no_score_reason: str  # "" when scored; why not otherwise
    # What customers say (`cx_audit.voice.sidebyside`): NPS over the window (None without answers),
    # revenue lost and at risk over the year to the window's end (None without annual revenue or NPS).
    nps: Decimal | None = None
    nps_answers: int = 0
    revenue_lost: Decimal | None = None
    revenue_at_risk: Decimal | None = None


# Unscored visits (no rank, no change) come last in every ordering by rank or change, on both
# databases (PostgreSQL sorts NULL last, SQLite first, so it is said outright).
_NO_CHANGE = "(r.score IS NULL OR r.previous_score IS NULL)"
LEAGUE_ORDERINGS = {
    "rank": "r.rank IS NULL, r.rank, l.code",
    "-rank": "r.rank IS NULL, r.rank DESC, l.code",
    "change": f"{_NO_CHANGE}, r.score - r.previous_score, l.code",  # biggest drop first
    "-change": f"{_NO_CHANGE}, r.score - r.previous_score DESC, l.code",
    "days": "r.submitted_at, l.code",  # the longest since the last audit first
    "-days": "r.submitted_at DESC, l.code",
    "location": "l.code",
    # Locations without customer figures last; revenue lost and at risk sort alike (both ∝ R·n).
    "nps": f"{LeagueVoice.NPS} IS NULL, {LeagueVoice.NPS}, l.code",  # lowest NPS first
    "-nps": f"{LeagueVoice.NPS} IS NULL, {LeagueVoice.NPS} DESC, l.code",
    "risk": f"{LeagueVoice.RISK} IS NULL, {LeagueVoice.RISK}, l.code",
    "-risk": f"{LeagueVoice.RISK} IS NULL, {LeagueVoice.RISK} DESC, l.code",  # most at risk first
}


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def ranked_sql(
    query: InsightQuery,
    *,
    where: str = "",
    where_params: tuple = (),
    order: str,
    voice: LeagueVoice | None = None,
) -> tuple[str, list]:
    """The latest audits ranked by score (``RANK()``: ties share a rank, 1, 2, 2, 4), with the location,
    the previous audit, the customers' figures when ``voice`` is given (its `LeagueVoice.COLUMNS`
    after the 21 others), and the table's length (after ``where``) in a last ``total`` column.

    Audits without a score are ranked after every scored one and their rank is then dropped (NULL),
    so the scored ones rank exactly as they would without them."""
    latest, params = latest_sql(query)
    voice_cte, voice_params = voice.cte() if voice else ("", [])
    sql = (
        f"WITH latest AS ({latest}), "
        "ranked AS (SELECT latest.*, CASE WHEN latest.score IS NULL THEN NULL ELSE RANK() OVER ("
        "ORDER BY CASE WHEN latest.score IS NULL THEN 1 ELSE 0 END, latest.score DESC) END AS rank "
        f"FROM latest){', ' + voice_cte if voice else ''} "
        "SELECT r.rank, r.location_id, l.code, l.name, l.city, r.outlet_type, f.name, g.name, r.id, "
        "r.submitted_at, r.score, r.band, r.critical_failure, r.failed_count, r.repeat_count, "
        "r.previous_score, r.previous_at, r.previous_id, r.score - r.previous_score AS change, "
        f"r.na_count, r.cannot_check_count, {voice.COLUMNS + ', ' if voice else ''}COUNT(*) OVER () AS total "
        f"FROM ranked r JOIN {_table(Location)} l ON l.id = r.location_id "
        f"LEFT JOIN {_table(Franchisee)} f ON f.id = r.franchisee_id "
        f"LEFT JOIN {_table(Region)} g ON g.id = r.region_id "
        f"{voice.joins() if voice else ''} {where} ORDER BY {order}"
    )
    return sql, [*params, *voice_params, *where_params]


@dataclass(frozen=True)
class _Ranked:
    """One row of `ranked_sql`, typed (SQLite hands back numbers as floats and times as text)."""

    rank: int
    location_id: int
    code: str
    name: str
    city: str
    outlet_type: str
    franchisee: str
    region: str
    audit_id: int
    submitted_at: datetime
    score: Decimal
    band: str
    critical_failure: bool
    failed_count: int
    repeat_count: int
    previous_score: Decimal | None
    previous_at: datetime | None
    previous_id: int | None


def _ranked(row: tuple) -> _Ranked:
    return _Ranked(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6] or "",
        row[7] or "",
        row[8],
        db_datetime(row[9]),
        db_decimal(row[10]),
        row[11],
        bool(row[12]),
        row[13],
        row[14],
        db_decimal(row[15]),
        db_datetime(row[16]),
        row[17],
    )


# Orderings by what customers say need every location's figures before the page can be cut.
VOICE_ORDERINGS = frozenset({"nps", "-nps", "risk", "-risk"})


@dataclass
class LeagueRows:
    """The league a page at a time: one statement per page, the customers' figures included.

    Sorted by the audit, a page sums the feedback of its own locations only (the voice CTE is given
    the same ordering and page, `LeagueVoice` ``among``): a year of a large chain's feedback is a
    million rows, and summing all of them for 50 rows would cost most of the page. Sorted by NPS or
    revenue at risk, or read whole (CSV), every location's figures are summed, once.
    """

    query: InsightQuery
    ordering: str  # one of `LEAGUE_ORDERINGS` (the league's declaration reads it: `catalogue`)
    enrich: Callable[[list[Any]], list[Any]] | None = None

    def page(self, offset: int, limit: int | None) -> tuple[list[Any], int]:
        return self.rows(offset, limit).page(offset, limit)

    def rows(self, offset: int = 0, limit: int | None = None) -> SqlRows:
        query, order = self.query, LEAGUE_ORDERINGS[self.ordering]
        among: dict[str, Any] = {}
        if limit is not None and self.ordering not in VOICE_ORDERINGS:
            page = (
                f"SELECT r.location_id FROM ranked r JOIN {_table(Location)} l ON l.id = r.location_id "
                f"ORDER BY {order} LIMIT %s OFFSET %s"
            )
            among["among"] = (page, [limit, offset])
        voice = LeagueVoice(
            brand_id=query.brand.pk, start=query.start, end=query.end, date_to=query.date_to, **among
        )
        sql, params = ranked_sql(query, order=order, voice=voice)
        return SqlRows(sql, params, league_row(query), self.enrich)


def league(query: InsightQuery, ordering: str) -> LeagueRows:
    """Locations by the score of their latest audit in the window; ties share a rank (1, 2, 2, 4).

    ``ordering`` is one of `LEAGUE_ORDERINGS`. Each row carries what customers say of the location
    (`cx_audit.voice.sidebyside`), read in the same query.
    """
    return LeagueRows(query, ordering)


def league_row(query: InsightQuery) -> Callable[[tuple], LeagueRow]:
    """Makes a `LeagueRow` of a row of `ranked_sql` with the voice's columns."""
    tz = timezone.get_current_timezone()
    today = query.today
    figures_of = LeagueVoice.reader()
    customers = slice(21, 21 + LeagueVoice.WIDTH)

    def convert(values: tuple) -> LeagueRow:
        # By position, no intermediate object: the whole chain is 10,000 of these in an export.
        submitted_at, score, previous = db_datetime(values[9]), db_decimal(values[10]), db_decimal(values[15])
        figures = figures_of(values[customers])
        return LeagueRow(
            values[0],
            values[1],
            values[2],
            values[3],
            values[4],
            values[5],
            values[6] or "",
            values[7] or "",
            values[8],
            submitted_at,
            (today - submitted_at.astimezone(tz).date()).days,
            score,
            values[11],
            bool(values[12]),
            values[13],
            values[14],
            previous,
            None if previous is None or score is None else score - previous,
            no_score_reason(score, values[19], values[20]),
            figures.nps,
            figures.nps_answers,
            figures.revenue_lost,
            figures.revenue_at_risk,
        )

    return convert


@dataclass(frozen=True)
class RegressionRow:
    """A location whose score dropped by more than the brand's threshold since its previous audit."""

    rank: int
    location_id: int
    location_code: str
    location_name: str
    outlet_type: str
    franchisee: str
    region: str
    previous_audit_id: int
    previous_submitted_at: datetime
    previous_score: Decimal
    audit_id: int
    submitted_at: datetime
    score: Decimal
    change: Decimal
    threshold: Decimal


def regressions(query: InsightQuery) -> SqlRows:
    """Latest audits whose score fell more than ``brand.regression_threshold`` points below the one before.

    "More than": a drop of exactly the threshold is not flagged. Biggest drop first. Compared in
    whole hundredths of a point, so that SQLite's floating point cannot move the line.
    """
    threshold = rounded(query.brand.regression_threshold)
    sql, params = ranked_sql(
        query,
        where="WHERE r.score IS NOT NULL AND r.previous_score IS NOT NULL "
        "AND ROUND((r.score - r.previous_score) * 100) < %s",
        where_params=(-int(threshold * 100),),
        order="r.score - r.previous_score, l.code",
    )

    def convert(values: tuple) -> RegressionRow:
        row = _ranked(values)
        return RegressionRow(
            rank=row.rank,
            location_id=row.location_id,
            location_code=row.code,
            location_name=row.name,
            outlet_type=row.outlet_type,
            franchisee=row.franchisee,
            region=row.region,
            previous_audit_id=row.previous_id,
            previous_submitted_at=row.previous_at,
            previous_score=row.previous_score,
            audit_id=row.audit_id,
            submitted_at=row.submitted_at,
            score=row.score,
            change=row.score - row.previous_score,
            threshold=threshold,
        )

    return SqlRows(sql, params, convert)


@dataclass(frozen=True)
class LocationGapRow:
    """How much a location's latest audit hurts the brand: points lost, weighted by what customers value."""

    rank: int
    location_id: int
    location_code: str
    location_name: str
    outlet_type: str
    franchisee: str
    region: str
    audit_id: int
    submitted_at: datetime
    score: Decimal
    points_lost: Decimal
    weighted_points_lost: Decimal
    key_experiences: tuple[str, ...] = ()  # dimension codes, the most harmful first


LOCATION_GAP_ORDERINGS = {
    "weighted": ("rank", "loc_code"),
    "-weighted": ("-rank", "loc_code"),
    "lost": ("-lost", "loc_code"),
    "score": ("audit_score", "loc_code"),
    "location": ("loc_code",),
}


def location_gaps(query: InsightQuery, ordering: str) -> QueryRows:
    """Locations by weighted points lost: Σ over dimensions of importance ÷ 10 × (possible − earned).

    (`maths.weighted_points_lost` is the same sum in Python.) Points lost on standards mapped to
    no dimension count in ``points_lost`` only. The key experiences are the audit's Delta model
    (docs/scoring.md §6): dimensions losing satisfaction, the heaviest first. Audits without a score
    are left out: nothing scored, nothing lost — they would read as the best stores.
    """
    order = LOCATION_GAP_ORDERINGS[ordering]
    weighted = (
        DimensionResult.objects.filter(audit_id=OuterRef("pk"))
        .values("audit_id")
        .annotate(
            sum=Sum(
                ExpressionWrapper(
                    F("importance") * (F("possible") - F("earned")) * Value(Decimal("0.1")),
                    output_field=POINTS,
                )
            )
        )
        .values("sum")
    )
    lost = (
        SectionResult.objects.filter(audit_id=OuterRef("pk"))
        .values("audit_id")
        .annotate(sum=Sum(F("possible") - F("earned"), output_field=POINTS))
        .values("sum")
    )
    rows = (
        latest_audits(query)
        .filter(score__isnull=False)
        .annotate(
            weighted=Coalesce(
                Subquery(weighted, output_field=POINTS), Value(Decimal(0)), output_field=POINTS
            ),
            lost=Coalesce(Subquery(lost, output_field=POINTS), Value(Decimal(0)), output_field=POINTS),
        )
        .annotate(rank=Window(Rank(), order_by=F("weighted").desc()), total=Window(Count("pk")))
        .values("rank", "total", "weighted", "lost", **LOCATION_VALUES)
        .order_by(*order)
    )

    def convert(row: dict[str, Any]) -> LocationGapRow:
        return LocationGapRow(
            rank=row["rank"],
            location_id=row["loc_id"],
            location_code=row["loc_code"],
            location_name=row["loc_name"],
            outlet_type=row["snap_outlet_type"],
            franchisee=row["snap_franchisee"] or "",
            region=row["snap_region"] or "",
            audit_id=row["audit_id"],
            submitted_at=row["when"],
            score=rounded(row["audit_score"]),
            points_lost=rounded(row["lost"]),
            weighted_points_lost=rounded(row["weighted"]),
        )

    def with_key_experiences(page: list[LocationGapRow]) -> list[LocationGapRow]:
        keys: dict[int, list[str]] = {}
        for audit_id, code in (
            DimensionResult.objects.filter(
                audit_id__in=[row.audit_id for row in page], key_rank__isnull=False
            )
            .order_by("audit_id", "key_rank")
            .values_list("audit_id", "dimension_code")
        ):
            keys.setdefault(audit_id, []).append(code)
        return [replace(row, key_experiences=tuple(keys.get(row.audit_id, ()))) for row in page]

    return QueryRows(rows, convert, with_key_experiences)
