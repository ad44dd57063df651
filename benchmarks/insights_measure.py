"""The cases of the insights benchmark: each endpoint, its SQL floor, and the naive ORM loop.

- **API**: the endpoint through Django and DRF (`APIClient`), a freshly loaded user each time,
  JSON rendered — what a client waits for, minus the network.
- **floor**: hand-written PostgreSQL computing the same result on the same data (checked equal
  to the API's answer before timing), run through the same connection: the least the database
  can be asked to do. The floors use everything PostgreSQL offers (one pass with ``LAG`` and
  ``DISTINCT ON``, a CTE, ``FILTER``).
- **naive**: what the same result costs written the obvious way, a loop over the locations
  with the ORM asking for each one's audits (1,000 locations only: it takes seconds).
- **page**: an HTML page through Django's test client, signed in (the session and the user are
  read from the database on every request, as in real life); timed alone, with no floor — a page
  is many tables at once, and each has its own floor above.
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


# The dashboard's key figures (`summary/`): per outlet type and in all (ROLLUP), over each
# location's latest audit — counts, sums, the section points, the quartiles of the scores
# (percentile_cont: the definition docs/insights.md §7 uses) and the regressions.
SUMMARY_SQL = f"""
WITH latest AS ({LATEST}),
kept AS (SELECT * FROM latest WHERE submitted_at >= %(start)s),
points AS (
    SELECT s.audit_id, sum(s.earned) AS earned, sum(s.possible) AS possible
    FROM cx_audit_sectionresult s WHERE s.audit_id IN (SELECT id FROM kept) GROUP BY s.audit_id
)
SELECT k.outlet_type, count(*), sum(k.score), count(*) FILTER (WHERE k.critical_failure),
       sum(k.failed_count), sum(k.repeat_count), sum(p.earned), sum(p.possible),
       percentile_cont(0.25) WITHIN GROUP (ORDER BY k.score),
       percentile_cont(0.75) WITHIN GROUP (ORDER BY k.score),
       count(*) FILTER (WHERE k.score - k.previous_score < -%(threshold)s)
FROM kept k LEFT JOIN points p ON p.audit_id = k.id
GROUP BY ROLLUP (k.outlet_type)
"""

# The same with each audit's section points read beside it (LATERAL): PostgreSQL then estimates the
# rows right and does not compile the query (JIT), which the form above makes it do. The floor is
# the faster of the two.
SUMMARY_SQL_LATERAL = f"""
WITH latest AS ({LATEST}),
kept AS (SELECT * FROM latest WHERE submitted_at >= %(start)s)
SELECT k.outlet_type, count(*), sum(k.score), count(*) FILTER (WHERE k.critical_failure),
       sum(k.failed_count), sum(k.repeat_count), sum(p.earned), sum(p.possible),
       percentile_cont(0.25) WITHIN GROUP (ORDER BY k.score),
       percentile_cont(0.75) WITHIN GROUP (ORDER BY k.score),
       count(*) FILTER (WHERE k.score - k.previous_score < -%(threshold)s)
FROM kept k LEFT JOIN LATERAL (
    SELECT sum(s.earned) AS earned, sum(s.possible) AS possible
    FROM cx_audit_sectionresult s WHERE s.audit_id = k.id
) p ON true
GROUP BY ROLLUP (k.outlet_type)
"""

# Coverage: open locations, and those due / overdue by the default plan (the bench chain has no
# audit plans: every location is due 90 days after its last counted audit).
COVERAGE_SQL = """
SELECT count(*), count(*) FILTER (WHERE last IS NULL OR last < %(due)s),
       count(*) FILTER (WHERE last IS NULL OR last < %(overdue)s)
FROM (
    SELECT (SELECT max(a.submitted_at) FROM cx_audit_audit a
            WHERE a.location_id = l.id AND a.status = 'submitted' AND a.kind <> 'self_assessment') AS last
    FROM locations_location l WHERE l.brand_id = %(brand)s AND l.status = 'open'
) x
"""


class Bench:
    def __init__(self, size: int) -> None:
        from django.test import RequestFactory

        from cx_audit.core.models import User
        from cx_audit.insights.filters import InsightFilterSet
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

        from cx_audit.core.models import User

        client = APIClient()
        client.force_authenticate(User.objects.get(pk=self.user_id))
        response = client.get(f"/api/insights/{path}")
        assert response.status_code == 200, response.content[:500]
        return response

    def page(self, path: str) -> Any:
        """A page as a signed-in browser gets it (session and user read from the database)."""
        if not hasattr(self, "_browser"):
            from django.test import Client

            from cx_audit.core.models import User

            self._browser = Client()
            self._browser.force_login(User.objects.get(pk=self.user_id))
        response = self._browser.get(path)
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

    def floor_summary(self, statement: str = SUMMARY_SQL) -> dict[str, Any]:
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        from cx_audit.audits.models.planning import AuditPlan
        from cx_audit.audits.planning import DEFAULT_INTERVAL_DAYS

        assert not AuditPlan.objects.filter(brand=self.brand).exists(), "the coverage floor assumes no plans"
        cutoff = self.query.today - timedelta(days=DEFAULT_INTERVAL_DAYS)

        def midnight(day: Any) -> datetime:
            return timezone.make_aware(datetime.combine(day, time.min))

        rows = self.sql(statement, threshold=self.brand.regression_threshold)
        coverage = self.sql(COVERAGE_SQL, due=midnight(cutoff + timedelta(days=1)), overdue=midnight(cutoff))
        return {"groups": {row[0]: row for row in rows}, "coverage": coverage[0]}

    # -- the naive loops ---------------------------------------------------------------------
    def naive_latest(self, outlet_type: str | None = None) -> list[tuple[Any, Any, Any]]:
        from cx_audit.audits.models.audits import Audit
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

    def naive_summary(self) -> dict[str, Any]:
        from datetime import timedelta

        from django.db.models import Max
        from django.utils import timezone

        from cx_audit.audits.models.audits import Audit
        from locations.models import Location

        latest = self.naive_latest()
        earned = possible = Decimal(0)
        for _location, audit, _previous in latest:
            for section in audit.section_results.all():
                earned += section.earned
                possible += section.possible
        scores = sorted(audit.score for _loc, audit, _prev in latest)
        threshold = self.brand.regression_threshold
        cutoff = self.query.today - timedelta(days=90)
        due = 0
        for location in Location.objects.filter(brand=self.brand, status="open"):
            last = (
                Audit.objects.filter(location=location, status="submitted")
                .exclude(kind="self_assessment")
                .aggregate(last=Max("submitted_at"))["last"]
            )
            due += last is None or timezone.localdate(last) <= cutoff
        return {
            "locations": len(latest),
            "average": sum(scores) / len(scores),
            "pooled": earned / possible,
            "critical": sum(audit.critical_failure for _loc, audit, _prev in latest),
            "regressions": sum(
                1 for _loc, audit, prev in latest if prev and audit.score - prev.score < -threshold
            ),
            "median": scores[len(scores) // 2],
            "due": due,
        }

    def naive_scorecard(self) -> dict[str, Any]:
        from cx_audit.audits.models.audits import Audit

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

    def same_summary(response: Any, floor: dict[str, Any]) -> None:
        body, whole = response.json(), floor["groups"][None]
        n, total, critical, q1, q3, regressed = whole[1], whole[2], whole[3], whole[8], whole[9], whole[10]
        cent = Decimal("0.01")
        expected = {
            "locations_audited": n,
            "average_score": str((total / n).quantize(cent, rounding=ROUND_HALF_UP)),
            "critical_failures": critical,
            "regressions": regressed,
            # percentile_cont works in floating point: back to the exact quarter-hundredths first
            "consistency_index": str(
                (100 - Decimal(str(round(q3 - q1, 6)))).quantize(cent, rounding=ROUND_HALF_UP)
            ),
            "open_locations": floor["coverage"][0],
            "due_now": floor["coverage"][1],
            "overdue": floor["coverage"][2],
        }
        assert {key: body[key] for key in expected} == expected, "the summary floor disagrees with the API"

    case(
        "key figures (summary/)",
        lambda: bench.api("summary/"),
        [bench.floor_summary, lambda: bench.floor_summary(SUMMARY_SQL_LATERAL)],
        bench.naive_summary if naive else None,
        same_summary,
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
    dashboard_ms, _ = _time(lambda: bench.page("/insights/"), runs)
    results["cases"]["dashboard page (/insights/)"] = {"api_ms": dashboard_ms, "floor_ms": None}
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
            text = f"    {result['size']:>6,} locations: API {entry['api_ms']:8.1f} ms"
            if entry["floor_ms"]:
                ratio = entry["api_ms"] / entry["floor_ms"]
                text += f" · floor {entry['floor_ms']:8.1f} ms · ×{ratio:.2f} of the floor"
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
