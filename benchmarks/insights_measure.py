"""The cases of the insights benchmark: each endpoint, its SQL floor, and the naive ORM loop.

- **API**: the endpoint through Django and DRF (`APIClient`), a freshly loaded user each time,
  JSON rendered — what a client waits for, minus the network.
- **floor**: hand-written PostgreSQL computing the same result on the same data (checked equal
  to the API's answer before timing), run through the same connection: the least the database
  can be asked to do. The floors use everything PostgreSQL offers (one pass with ``LAG`` and
  ``DISTINCT ON``, a CTE, ``FILTER``).
- **naive**: what the same result costs written the obvious way, a loop over the locations
  with the ORM asking for each one's audits (1,000 locations only: it takes seconds).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

KINDS = ("scheduled", "unannounced")
PAGE = 50


def _time(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = action()  # warm-up (and the result to compare)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def _time_pair(
    first: Callable[[], Any], second: Callable[[], Any], runs: int
) -> tuple[float, Any, float, Any]:
    """Both timed in turns, so that a busy moment of a shared machine falls on both alike."""
    one, two = first(), second()  # warm-up (and the results to compare)
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for action, times in ((first, samples[0]), (second, samples[1])):
            start = time.perf_counter()
            action()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[0]), one, statistics.median(samples[1]), two


LATEST = """
    SELECT DISTINCT ON (a.location_id)
        a.id, a.location_id, a.score, a.band, a.critical_failure, a.failed_count, a.repeat_count,
        a.submitted_at, a.outlet_type, a.franchisee_id, a.region_id,
        LAG(a.score) OVER (PARTITION BY a.location_id ORDER BY a.submitted_at, a.id) AS previous_score
    FROM cx_audit_audit a
    WHERE a.brand_id = %(brand)s AND a.status = 'submitted' AND a.kind = ANY(%(kinds)s)
      AND a.submitted_at < %(end)s AND (%(outlet)s::text IS NULL OR a.outlet_type = %(outlet)s)
    ORDER BY a.location_id, a.submitted_at DESC, a.id DESC
"""

# Only what the aggregates need: no previous audit, no location columns.
LATEST_IDS = """
    SELECT DISTINCT ON (a.location_id) a.id, a.score, a.submitted_at, a.outlet_type, a.region_id
    FROM cx_audit_audit a
    WHERE a.brand_id = %(brand)s AND a.status = 'submitted' AND a.kind = ANY(%(kinds)s)
      AND a.submitted_at < %(end)s
    ORDER BY a.location_id, a.submitted_at DESC, a.id DESC
"""

LEAGUE_SQL = f"""
WITH latest AS ({LATEST}),
ranked AS (
    SELECT latest.*, RANK() OVER (ORDER BY score DESC) AS rank, COUNT(*) OVER () AS total
    FROM latest WHERE submitted_at >= %(start)s
)
SELECT r.rank, l.code, r.score, r.previous_score, r.score - r.previous_score, l.id, l.name, l.city,
       r.outlet_type, f.name, g.name, r.id, r.submitted_at, r.band, r.critical_failure, r.failed_count,
       r.repeat_count, r.total
FROM ranked r
JOIN locations_location l ON l.id = r.location_id
LEFT JOIN locations_franchisee f ON f.id = r.franchisee_id
LEFT JOIN locations_region g ON g.id = r.region_id
ORDER BY r.rank, l.code
LIMIT %(limit)s
"""

STANDARDS_SQL = f"""
WITH latest AS ({LATEST_IDS})
SELECT ir.item_code, l.outlet_type, l.region_id,
       count(*) FILTER (WHERE ir.outcome IN ('pass', 'partial', 'fail')) AS assessed,
       count(*) FILTER (WHERE ir.outcome IN ('partial', 'fail')) AS failing,
       count(*) FILTER (WHERE ir.repeat) AS repeats,
       sum(ir.possible - ir.earned) AS lost,
       count(*) FILTER (WHERE ir.outcome = 'na') AS na,
       count(*) FILTER (WHERE ir.outcome = 'cannot_check') AS cannot_check
FROM cx_audit_itemresult ir
JOIN latest l ON l.id = ir.audit_id
WHERE l.submitted_at >= %(start)s
GROUP BY 1, 2, 3
"""

# The same aggregate with the latest audits as an IN-subquery: PostgreSQL then reads the item
# results through the audit index, which wins on small chains; the join above wins on large ones.
# The floor is the faster of the two at each size.
STANDARDS_SQL_IN = f"""
SELECT ir.item_code, a.outlet_type, a.region_id,
       count(*) FILTER (WHERE ir.outcome IN ('pass', 'partial', 'fail')) AS assessed,
       count(*) FILTER (WHERE ir.outcome IN ('partial', 'fail')) AS failing,
       count(*) FILTER (WHERE ir.repeat) AS repeats,
       sum(ir.possible - ir.earned) AS lost,
       count(*) FILTER (WHERE ir.outcome = 'na') AS na,
       count(*) FILTER (WHERE ir.outcome = 'cannot_check') AS cannot_check
FROM cx_audit_itemresult ir
JOIN cx_audit_audit a ON a.id = ir.audit_id
WHERE ir.audit_id IN (SELECT id FROM ({LATEST_IDS}) l WHERE l.submitted_at >= %(start)s)
GROUP BY 1, 2, 3
"""

SCORECARD_SQL = [
    """SELECT id, submitted_at, kind, score, band, critical_failure, failed_count, repeat_count
       FROM cx_audit_audit WHERE location_id = %(location)s AND brand_id = %(brand)s AND status = 'submitted'
         AND kind = ANY(%(kinds)s) AND submitted_at < %(end)s ORDER BY submitted_at DESC, id DESC""",
    f"""WITH latest AS ({LATEST_IDS})
        SELECT count(*) FILTER (WHERE score > %(score)s) + 1, count(*)
        FROM latest WHERE submitted_at >= %(start)s""",
    """SELECT s.section_code, x.name, s.score, s.passed, s.failed, s.na, s.cannot_check
       FROM cx_audit_sectionresult s JOIN journeys_section x ON x.id = s.section_id
       WHERE s.audit_id = %(audit)s""",
    """SELECT d.dimension_code, x.name, d.experience, d.expectation, d.ideal, d.importance, d.satisfaction,
              d.weighted_satisfaction, d.ideal_gap, d.key_rank
       FROM cx_audit_dimensionresult d JOIN journeys_dimension x ON x.id = d.dimension_id
       WHERE d.audit_id = %(audit)s""",
    """SELECT r.item_code, i.question, r.section_code, r.outcome, r.possible - r.earned, r.repeat,
              r.critical_failed, r.reason
       FROM cx_audit_itemresult r JOIN journeys_item i ON i.id = r.item_id
       JOIN journeys_section s ON s.id = i.section_id
       WHERE r.audit_id = %(audit)s AND r.outcome IN ('fail', 'partial')
       ORDER BY r.possible - r.earned DESC, s."order", i."order", r.item_code""",
]


class Bench:
    def __init__(self, size: int) -> None:
        from django.test import RequestFactory

        from cx_audit.insights.filters import InsightFilterSet
        from cx_audit.models import User
        from locations.models import Brand, Location

        self.size = size
        self.brand = Brand.objects.get(slug="bench")
        self.user_id = User.objects.get(username="bench-analyst").pk
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=self.user_id)
        filters = InsightFilterSet(request.GET, request=request)
        assert filters.is_valid(), filters.errors
        self.query = filters.insight_query()
        self.location = Location.objects.filter(brand=self.brand).order_by("code")[size // 2]
        self.params = {
            "brand": self.brand.pk,
            "kinds": list(KINDS),
            "start": self.query.start,
            "end": self.query.end,
            "outlet": None,
            "limit": PAGE,
        }

    # -- the API -----------------------------------------------------------------------------
    def api(self, path: str) -> Any:
        from rest_framework.test import APIClient

        from cx_audit.models import User

        client = APIClient()
        client.force_authenticate(User.objects.get(pk=self.user_id))
        response = client.get(f"/api/insights/{path}")
        assert response.status_code == 200, response.content[:500]
        return response

    # -- the floors --------------------------------------------------------------------------
    def sql(self, statement: str, **params: Any) -> list[tuple]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(statement, {**self.params, **params})
            return cursor.fetchall()

    def floor_scorecard(self) -> dict[str, Any]:
        history = self.sql(SCORECARD_SQL[0], location=self.location.pk)
        latest = history[0]
        rank = self.sql(SCORECARD_SQL[1], score=latest[3])[0]
        return {
            "history": history,
            "rank": rank,
            "sections": self.sql(SCORECARD_SQL[2], audit=latest[0]),
            "dimensions": self.sql(SCORECARD_SQL[3], audit=latest[0]),
            "failed": self.sql(SCORECARD_SQL[4], audit=latest[0]),
        }

    # -- the naive loops ---------------------------------------------------------------------
    def naive_latest(self, outlet_type: str | None = None) -> list[tuple[Any, Any, Any]]:
        from cx_audit.models import Audit
        from locations.models import Location

        found = []
        for location in Location.objects.filter(brand=self.brand):
            audits = Audit.objects.filter(
                location=location, status="submitted", kind__in=KINDS, submitted_at__lt=self.query.end
            ).order_by("-submitted_at", "-pk")
            if outlet_type:
                audits = audits.filter(outlet_type=outlet_type)
            latest = audits.first()
            if latest is None or latest.submitted_at < self.query.start:
                continue
            previous = audits.filter(submitted_at__lt=latest.submitted_at).first()
            found.append((location, latest, previous))
        return found

    def naive_league(self, outlet_type: str | None = None) -> list[tuple[int, str, Decimal]]:
        found = sorted(self.naive_latest(outlet_type), key=lambda row: (-row[1].score, row[0].code))
        ranked, rank = [], 0
        for position, (location, latest, _previous) in enumerate(found, start=1):
            if position == 1 or latest.score != found[position - 2][1].score:
                rank = position
            ranked.append((rank, location.code, latest.score))
        return ranked[:PAGE]

    def naive_standards(self) -> dict[str, list]:
        totals: dict[str, list] = {}
        for _location, latest, _previous in self.naive_latest():
            for result in latest.item_results.all():
                entry = totals.setdefault(result.item_code, [0, 0, Decimal(0)])
                entry[0] += result.outcome in ("pass", "partial", "fail")
                entry[1] += result.outcome in ("partial", "fail")
                entry[2] += result.possible - result.earned
        return totals

    def naive_scorecard(self) -> dict[str, Any]:
        from cx_audit.models import Audit

        latest = (
            Audit.objects.filter(location=self.location, status="submitted", kind__in=KINDS)
            .order_by("-submitted_at")
            .first()
        )
        higher = sum(1 for _loc, other, _prev in self.naive_latest() if other.score > latest.score)
        return {
            "rank": higher + 1,
            "sections": [(s.section.name, s.score) for s in latest.section_results.all()],
            "dimensions": [(d.dimension.name, d.experience) for d in latest.dimension_results.all()],
            "failed": [
                (r.item.question, r.outcome)
                for r in latest.item_results.all()
                if r.outcome in ("fail", "partial")
            ],
        }


def measure(size: int, runs: int, naive: bool) -> dict[str, Any]:
    bench = Bench(size)
    results: dict[str, Any] = {"size": size, "cases": {}}

    def case(
        name: str, api: Callable[[], Any], floor: Any, slow: Callable[[], Any] | None, check: Any
    ) -> None:
        """``floor``: one hand-written form, or a list of them (the fastest is the floor)."""
        best: tuple[float, float] | None = None
        for candidate in floor if isinstance(floor, list) else [floor]:
            api_ms, response, floor_ms, rows = _time_pair(api, candidate, runs)
            check(response, rows)
            if best is None or floor_ms < best[1]:
                best = (api_ms, floor_ms)
        entry = {"api_ms": best[0], "floor_ms": best[1]}
        if naive and slow is not None:
            entry["naive_ms"], _ = _time(slow, max(1, min(runs, 3)))
        results["cases"][name] = entry

    def same_league(response: Any, rows: list[tuple]) -> None:
        api = [(r["rank"], r["location_code"], Decimal(r["score"])) for r in response.json()["results"]]
        assert api == [(r[0], r[1], r[2]) for r in rows], "the league floor disagrees with the API"
        assert response.json()["count"] == rows[0][-1]

    case(
        "league, all locations (page of 50)",
        lambda: bench.api("league/"),
        lambda: bench.sql(LEAGUE_SQL),
        bench.naive_league if naive else None,
        same_league,
    )
    case(
        "league, authorized outlets (page of 50)",
        lambda: bench.api("league/?outlet_type=authorized"),
        lambda: bench.sql(LEAGUE_SQL, outlet="authorized"),
        (lambda: bench.naive_league("authorized")) if naive else None,
        same_league,
    )

    def same_csv(response: Any, rows: list[tuple]) -> None:
        assert response.content.decode("utf-8-sig").count("\r\n") == len(rows) + 1

    case(
        "league, all locations as CSV (every row)",
        lambda: bench.api("league/?format=csv"),
        lambda: bench.sql(LEAGUE_SQL, limit=None),
        None,
        same_csv,
    )

    def same_standards(response: Any, rows: list[tuple]) -> None:
        lost: dict[str, Decimal] = {}
        for row in rows:
            lost[row[0]] = lost.get(row[0], Decimal(0)) + row[6]
        api = {r["item_code"]: Decimal(r["points_lost"]) for r in response.json()["results"]}
        top = sorted(lost.items(), key=lambda item: (-item[1], item[0]))[:PAGE]
        assert [(code, value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) for code, value in top] == [
            (code, api[code]) for code, _ in top
        ], "the standards floor disagrees with the API"

    case(
        "gap ranking of standards",
        lambda: bench.api("standards/"),
        [lambda: bench.sql(STANDARDS_SQL), lambda: bench.sql(STANDARDS_SQL_IN)],
        bench.naive_standards if naive else None,
        same_standards,
    )

    def same_card(response: Any, floor: dict[str, Any]) -> None:
        body = response.json()
        assert (body["rank"], body["ranked"]) == tuple(floor["rank"]), "the scorecard floor disagrees"
        assert len(body["failed_items"]) == len(floor["failed"])

    case(
        "one location's scorecard",
        lambda: bench.api(f"locations/{bench.location.pk}/"),
        bench.floor_scorecard,
        bench.naive_scorecard if naive else None,
        same_card,
    )
    return results


def report(results: list[dict[str, Any]]) -> str:
    """A table per case: time by size, ratio to the floor, speed-up on the naive loop, growth."""
    lines = []
    sizes = [result["size"] for result in results]
    names = list(results[0]["cases"]) if results else []
    for name in names:
        lines.append(f"  {name}")
        for result in results:
            entry = result["cases"][name]
            ratio = entry["api_ms"] / entry["floor_ms"] if entry["floor_ms"] else float("nan")
            text = (
                f"    {result['size']:>6,} locations: API {entry['api_ms']:8.1f} ms"
                f" · floor {entry['floor_ms']:8.1f} ms · ×{ratio:.2f} of the floor"
            )
            if "naive_ms" in entry:
                speedup = entry["naive_ms"] / entry["api_ms"]
                text += f" · naive {entry['naive_ms']:9.1f} ms (×{speedup:.0f} slower)"
            lines.append(text)
        if len(sizes) > 1:
            first, last = results[0]["cases"][name], results[-1]["cases"][name]
            growth = last["api_ms"] / first["api_ms"]
            scale = sizes[-1] / sizes[0]
            lines.append(f"    growth {sizes[0]:,} → {sizes[-1]:,}: ×{growth:.1f} for ×{scale:.0f} locations")
    return "\n".join(lines)
