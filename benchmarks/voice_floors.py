"""Hand-written PostgreSQL computing what the voice dashboard shows, for `voice_measure` to compare.

Each floor answers one endpoint's figures on the same data in as few passes as SQL allows — the
headline's two periods in one scan, every cut of the summary in one scan (``GROUPING SETS``), the
worst locations ranked and cut in the database, the warnings' two windows in one scan (``FILTER``),
the examples of the top points by a ``LATERAL`` index walk — and its answer is checked equal to the
API's before anything is timed. The floors know the bench chain's shape (two levels of regions,
every record's brand the analyst's); they are a lower bound for this data, not general code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

TALLY_NAMES = (
    "volume",
    "nps_n",
    "promoters",
    "detractors",
    "csat_n",
    "csat_top2",
    "csat_sum",
    "effort_n",
    "effort_sum",
    "complaints",
)


def tally_sql(where: str = "", alias: str = "f", named: bool = False) -> str:
    """The ten columns of a `Tally` over rows ``alias`` (each aggregate FILTERed by ``where``)."""
    only = f" FILTER (WHERE {where})" if where else ""
    both = f" AND {where}" if where else ""
    a = alias
    columns = (
        f"count(*){only}",
        f"count({a}.nps){only}",
        f"count(*) FILTER (WHERE {a}.nps >= 9{both})",
        f"count(*) FILTER (WHERE {a}.nps <= 6{both})",
        f"count({a}.csat){only}",
        f"count(*) FILTER (WHERE {a}.csat >= 4{both})",
        f"coalesce(sum({a}.csat){only}, 0)",
        f"count({a}.effort){only}",
        f"coalesce(sum({a}.effort){only}, 0)",
        f"count(*) FILTER (WHERE {a}.complaint{both})",
    )
    if named:
        columns = tuple(f"{column} AS {name}" for column, name in zip(columns, TALLY_NAMES, strict=True))
    return ", ".join(columns)


PERIOD = "f.brand_id = %(brand)s AND f.received_at >= %(start)s AND f.received_at < %(end)s"
NPS_SQL = (
    "round(100.0 * (count(*) FILTER (WHERE f.nps >= 9) - count(*) FILTER (WHERE f.nps <= 6))"
    " / nullif(count(f.nps), 0), 1)"
)

HEADLINE_SQL = f"""
SELECT f.received_at >= %(start)s, {tally_sql()}, count(*) FILTER (WHERE f.comment <> '')
FROM cx_audit_feedback f
WHERE f.brand_id = %(brand)s AND f.received_at >= %(previous)s AND f.received_at < %(end)s
GROUP BY 1
"""

CUTS_SQL = f"""
SELECT GROUPING(t.top, f.franchisee_id, l.outlet_type, f.channel), t.top, f.franchisee_id, l.outlet_type,
       f.channel, {tally_sql()}
FROM cx_audit_feedback f
JOIN locations_location l ON l.id = f.location_id
LEFT JOIN locations_region r ON r.id = l.region_id
CROSS JOIN LATERAL (SELECT coalesce(r.parent_id, r.id) AS top) t
WHERE {PERIOD}
GROUP BY GROUPING SETS ((t.top), (f.franchisee_id), (l.outlet_type), (f.channel))
"""

WORST_SQL = f"""
SELECT w.location_id, l.code, l.name, w.nps, w.volume
FROM (
    SELECT f.location_id, {NPS_SQL} AS nps, {tally_sql(named=True)}
    FROM cx_audit_feedback f WHERE {PERIOD} GROUP BY f.location_id
) w JOIN locations_location l ON l.id = w.location_id
ORDER BY w.nps ASC NULLS LAST, w.volume DESC, lower(l.name) COLLATE "C"
LIMIT %(worst)s
"""

TOUCHPOINT_SQL = f"""
SELECT p.tp, {tally_sql()}
FROM (
    SELECT t.feedback_id AS fid, t.touchpoint_code AS tp FROM cx_audit_feedbacktag t
    WHERE t.brand_id = %(brand)s AND t.received_at >= %(start)s AND t.received_at < %(end)s
      AND t.touchpoint_code <> ''
    UNION
    SELECT f.id, f.touchpoint_code FROM cx_audit_feedback f WHERE {PERIOD} AND f.touchpoint_code <> ''
) p JOIN cx_audit_feedback f ON f.id = p.fid
GROUP BY p.tp
"""

REVENUE_SQL = """
WITH y AS (
    SELECT f.location_id, count(f.nps) AS n, count(*) FILTER (WHERE f.nps <= 6) AS d
    FROM cx_audit_feedback f
    WHERE f.brand_id = %(brand)s AND f.received_at >= %(year)s AND f.received_at < %(end)s
    GROUP BY f.location_id
)
SELECT coalesce(r.parent_id, r.id), count(*), sum(l.annual_revenue), sum(l.annual_revenue * y.d / y.n)
FROM locations_location l
JOIN y ON y.location_id = l.id AND y.n > 0
LEFT JOIN locations_region r ON r.id = l.region_id
WHERE l.brand_id = %(brand)s AND l.annual_revenue IS NOT NULL
GROUP BY ROLLUP (1)
"""

NAMES_SQL = """
SELECT 'region', id::text, name FROM locations_region WHERE brand_id = %(brand)s
UNION ALL SELECT 'franchisee', id::text, name FROM locations_franchisee WHERE brand_id = %(brand)s
"""

POINTS_SQL = """
SELECT t.touchpoint_code, t.polarity, count(*), count(DISTINCT t.feedback_id), sum(t.weight)
FROM cx_audit_feedbacktag t
WHERE t.brand_id = %(brand)s AND t.received_at >= %(start)s AND t.received_at < %(end)s
  AND t.touchpoint_code <> ''
GROUP BY 1, 2
"""

COMMENTED_SQL = f"SELECT count(*) FROM cx_audit_feedback f WHERE {PERIOD} AND f.comment <> ''"

EXAMPLES_SQL = """
SELECT p.tp, p.pol, x.feedback_id, x.start, x."end", x.comment
FROM unnest(%(codes)s::text[], %(polarities)s::int[]) AS p(tp, pol)
CROSS JOIN LATERAL (
    SELECT DISTINCT ON (t.received_at, t.feedback_id)
           t.feedback_id, t.start, t."end", f.comment, t.received_at
    FROM cx_audit_feedbacktag t JOIN cx_audit_feedback f ON f.id = t.feedback_id
    WHERE t.brand_id = %(brand)s AND t.touchpoint_code = p.tp AND t.polarity = p.pol
      AND t.received_at >= %(start)s AND t.received_at < %(end)s
    ORDER BY t.received_at DESC, t.feedback_id DESC, t.id
    LIMIT 3
) x
"""

WARNING_LOCATIONS_SQL = f"""
SELECT f.location_id, {tally_sql("f.received_at >= %(current)s")}, {tally_sql("f.received_at < %(current)s")},
       min(f.received_at) FILTER (WHERE f.received_at < %(current)s)
FROM cx_audit_feedback f
WHERE f.brand_id = %(brand)s AND f.received_at >= %(baseline)s AND f.received_at < %(end)s
GROUP BY f.location_id
"""

WARNING_TOUCHPOINTS_SQL = f"""
SELECT p.tp, {tally_sql("f.received_at >= %(current)s")}, {tally_sql("f.received_at < %(current)s")}
FROM (
    SELECT t.feedback_id AS fid, t.touchpoint_code AS tp FROM cx_audit_feedbacktag t
    WHERE t.brand_id = %(brand)s AND t.received_at >= %(baseline)s AND t.received_at < %(end)s
      AND t.touchpoint_code <> ''
    UNION
    SELECT f.id, f.touchpoint_code FROM cx_audit_feedback f
    WHERE f.brand_id = %(brand)s AND f.received_at >= %(baseline)s AND f.received_at < %(end)s
      AND f.touchpoint_code <> ''
) p JOIN cx_audit_feedback f ON f.id = p.fid
GROUP BY p.tp
"""

TREND_SQL = f"""
SELECT date_trunc(%(unit)s, f.received_at AT TIME ZONE %(zone)s)::date, {tally_sql()}
FROM cx_audit_feedback f WHERE {PERIOD}
GROUP BY 1
"""

LOCATION_SQL = (
    f"""SELECT f.received_at >= %(start)s, {tally_sql()}, count(*) FILTER (WHERE f.comment <> '')
    FROM cx_audit_feedback f
    WHERE f.location_id = %(location)s AND f.received_at >= %(previous)s AND f.received_at < %(end)s
    GROUP BY 1""",
    f"""SELECT date_trunc('week', f.received_at AT TIME ZONE %(zone)s)::date, {tally_sql()}
    FROM cx_audit_feedback f
    WHERE f.location_id = %(location)s AND f.received_at >= %(start)s AND f.received_at < %(end)s
    GROUP BY 1""",
    """SELECT t.touchpoint_code, t.polarity, count(*), count(DISTINCT t.feedback_id), sum(t.weight)
    FROM cx_audit_feedbacktag t
    WHERE t.location_id = %(location)s AND t.received_at >= %(start)s AND t.received_at < %(end)s
      AND t.touchpoint_code <> ''
    GROUP BY 1, 2""",
    """SELECT t.dimension_code, sum(t.weight) FILTER (WHERE t.polarity > 0),
           sum(t.weight) FILTER (WHERE t.polarity < 0), count(DISTINCT t.feedback_id)
    FROM cx_audit_feedbacktag t
    WHERE t.location_id = %(location)s AND t.received_at >= %(start)s AND t.received_at < %(end)s
      AND t.dimension_code <> ''
    GROUP BY 1""",
    f"""SELECT {tally_sql("f.received_at >= %(current)s")}, {tally_sql("f.received_at < %(current)s")},
           min(f.received_at) FILTER (WHERE f.received_at < %(current)s)
    FROM cx_audit_feedback f
    WHERE f.location_id = %(location)s AND f.received_at >= %(baseline)s AND f.received_at < %(end)s""",
    """SELECT count(f.nps), count(*) FILTER (WHERE f.nps <= 6) FROM cx_audit_feedback f
    WHERE f.location_id = %(location)s AND f.received_at >= %(year)s AND f.received_at < %(end)s""",
    """SELECT f.id, f.received_at, f.comment, f.nps,
           (SELECT json_agg(json_build_array(t.term, t.start, t."end") ORDER BY t.start, t.id)
            FROM cx_audit_feedbacktag t WHERE t.feedback_id = f.id)
    FROM cx_audit_feedback f
    WHERE f.location_id = %(location)s AND f.received_at >= %(start)s AND f.received_at < %(end)s
      AND f.comment <> ''
    ORDER BY f.received_at DESC, f.id DESC LIMIT 10""",
    """SELECT count(*), count(*) FILTER (WHERE status = 'recovered') FROM cx_audit_recoveryaction
    WHERE location_id = %(location)s AND opened_at >= %(start)s AND opened_at < %(end)s""",
)


@dataclass(frozen=True)
class Params:
    """The floors' parameters, from the same `VoiceQuery` the API resolves its filters to."""

    values: dict[str, Any]

    @classmethod
    def of(cls, query: Any, policy: Any, **extra: Any) -> Params:
        from django.conf import settings

        from cx_audit.voice.dashboard_filters import local_midnight
        from cx_audit.voice.tallies import REVENUE_WINDOW_DAYS
        from cx_audit.voice.warnings import windows

        span = windows(query.date_to, policy)
        return cls(
            {
                "brand": query.brand.pk,
                "start": query.start,
                "end": query.end,
                "previous": query.previous().start,
                "year": local_midnight(query.date_to - timedelta(days=REVENUE_WINDOW_DAYS - 1)),
                "current": local_midnight(span.current_start),
                "baseline": local_midnight(span.baseline_start),
                "zone": settings.TIME_ZONE,
                "worst": 20,
                **extra,
            }
        )

    def but(self, **changes: Any) -> Params:
        return Params({**self.values, **changes})


def sql(statement: str, params: Params) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params.values)
        return cursor.fetchall()


def tally(values: Any) -> Any:
    from cx_audit.voice.metrics import Tally

    return Tally(*(int(value) for value in values))


def floor_summary(params: Params) -> dict[str, Any]:
    """Headline (two periods), region / franchisee / outlet type / channel cuts, the worst 20
    locations, touchpoints and revenue at risk: six statements."""
    headline = {row[0]: row[1:] for row in sql(HEADLINE_SQL, params)}
    cuts: dict[str, dict[str, Any]] = {"region": {}, "franchisee": {}, "outlet_type": {}, "channel": {}}
    masks = {0b0111: "region", 0b1011: "franchisee", 0b1101: "outlet_type", 0b1110: "channel"}
    for grouping, top, franchisee, outlet_type, channel, *values in sql(CUTS_SQL, params):
        name = masks[grouping]
        key = {"region": top, "franchisee": franchisee, "outlet_type": outlet_type, "channel": channel}[name]
        cuts[name]["" if key is None else str(key)] = tally(values)
    worst = sql(WORST_SQL, params)
    touchpoints = {row[0]: tally(row[1:]) for row in sql(TOUCHPOINT_SQL, params)}
    revenue = {row[0]: row[1:] for row in sql(REVENUE_SQL, params)}
    names = sql(NAMES_SQL, params)
    return {
        "headline": headline,
        "cuts": cuts,
        "worst": worst,
        "touchpoints": touchpoints,
        "revenue": revenue,
        "names": names,
    }


def floor_points(params: Params, limit: int = 5) -> dict[str, Any]:
    """The top pain and pleasure touchpoints by weight, the commented count and 3 examples each."""
    rows = sorted(sql(POINTS_SQL, params), key=lambda row: (-row[4], -row[2], row[0]))
    ranked = {-1: [r for r in rows if r[1] == -1][:limit], 1: [r for r in rows if r[1] == 1][:limit]}
    commented = sql(COMMENTED_SQL, params)[0][0]
    top = ranked[-1] + ranked[1]
    examples = sql(EXAMPLES_SQL, params.but(codes=[r[0] for r in top], polarities=[r[1] for r in top]))
    return {"ranked": ranked, "commented": commented, "examples": examples}


def floor_warnings(params: Params, policy: Any, as_of: date) -> set[tuple[str, str, str]]:
    """Every location's and touchpoint's two windows in two statements, then the same pure rule."""
    from django.utils import timezone

    from cx_audit.voice.flags import covered_weeks
    from cx_audit.voice.metrics import Tally
    from cx_audit.voice.warnings import early_warnings, windows

    span = windows(as_of, policy)
    raised = set()
    firsts = []
    for location_id, *values in sql(WARNING_LOCATIONS_SQL, params):
        now, before, first = tally(values[:10]), tally(values[10:20]), values[20]
        if first is not None:
            firsts.append(timezone.localdate(first))
        if not now.volume:
            continue
        weeks = covered_weeks(timezone.localdate(first) if first else None, span, policy)
        for signal in early_warnings(now, before, weeks, policy):
            raised.add(("location", str(location_id), signal.kind))
    weeks = covered_weeks(min(firsts, default=None), span, policy)
    for code, *values in sql(WARNING_TOUCHPOINTS_SQL, params):
        now, before = tally(values[:10]), tally(values[10:20])
        if not now.volume:
            continue
        for signal in early_warnings(now, before if before.volume else Tally(), weeks, policy):
            raised.add(("touchpoint", code, signal.kind))
    return raised


def floor_trend(params: Params, unit: str) -> dict[date, Any]:
    return {row[0]: tally(row[1:]) for row in sql(TREND_SQL, params.but(unit=unit))}


def floor_location(params: Params) -> list[list[tuple]]:
    """A location's headline, weekly trend, touchpoints, dimensions, warning windows, year's
    detractor share, latest comments with their tags and recovery counts: eight statements."""
    return [sql(statement, params) for statement in LOCATION_SQL]


FloorFunction = Callable[[], Any]


def money_factor(policy: Any) -> Decimal:
    """lost ÷ affected revenue under the brand's funnel (`revenue.revenue_at_risk`)."""
    c = policy.complaint_rate
    return c * policy.complainer_lost + (1 - c) * policy.silent_lost
