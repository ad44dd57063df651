"""The voice dashboard at chain scale: each page and endpoint as an HQ analyst against its floor.

How each case is measured:

- **API / page**: through Django (``APIClient`` for ``/api/voice/…``, the test ``Client`` signed in
  for ``/voice/…``): middleware, authentication, the user's scope, the filter form, the selectors,
  JSON or the template. The API's user is read afresh for every request, as a token request reads
  it. Default filters: the brand, the last 90 days.
- **floor**: hand-written SQL on the same connection (`benchmarks.voice_floors`), its answer checked
  equal to the API's before timing (headline, every cut, the worst locations, touchpoints, revenue
  at risk; the top points and their examples; the warning flags; the trend buckets).
- Medians of ``runs`` after one warm-up; the queries of the last run are counted.

The page's floor is the sum of the floors of what it shows (summary, points, warnings, weekly and
monthly trends). `parts` times the page's selectors one by one, to say where its time goes.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from benchmarks import voice_floors as floors
from benchmarks.voice_import import Statements

CENT = Decimal("0.01")
FIGURES = (
    "volume",
    "nps",
    "csat_share",
    "csat_mean",
    "effort_mean",
    "complaint_share",
    "nps_n",
    "complaints",
)


def timed(action: Callable[[], Any], runs: int) -> tuple[float, int, Any]:
    """Median ms of ``runs`` runs after a warm-up, the last run's statements, and its result."""
    from django.db import connection

    result = action()
    times, statements = [], 0
    for n in range(runs):
        counter = Statements()
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            result = action()
            times.append((time.perf_counter() - start) * 1000)
        if n == runs - 1:
            statements = counter.count
    return statistics.median(times), statements, result


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def figures_of(tally: Any) -> dict[str, Any]:
    from cx_audit.voice.selectors import Figures

    figures = Figures.of(tally)
    return {name: getattr(figures, name) for name in FIGURES}


def same_figures(api: dict[str, Any], tally: Any, where: str) -> None:
    expected = figures_of(tally)
    found = {name: Decimal(api[name]) if isinstance(api[name], str) else api[name] for name in FIGURES}
    assert found == expected, f"{where}: the API says {found}, the floor {expected}"


class Bench:
    def __init__(self, locations: int, feedback: int) -> None:
        from django.http import QueryDict

        from cx_audit.core.models import User
        from cx_audit.voice.dashboard_filters import VoiceFilterForm
        from cx_audit.voice.policy import policy_for, warning_policy_of
        from locations.models import Brand, Location

        self.size = (locations, feedback)
        self.brand = Brand.objects.get(slug="bench")
        self.users = {name: User.objects.get(username=f"bench-{name}").pk for name in ("analyst", "partner")}
        form = VoiceFilterForm(QueryDict(), user=User.objects.get(pk=self.users["analyst"]))
        assert form.is_valid(), form.errors
        self.query = form.voice_query()
        self.policy = policy_for(self.brand.pk)
        self.warning_policy = warning_policy_of(self.policy)
        self.location = Location.objects.get(brand=self.brand, code=f"L{locations // 2:05d}")
        self.params = floors.Params.of(self.query, self.warning_policy, location=self.location.pk)
        end = self.query.date_to
        month = end.year * 12 + end.month - 1 - 11
        self.year_from = date(month // 12, month % 12 + 1, 1)
        self._clients: dict[str, Any] = {}

    def api(self, path: str, user: str = "analyst") -> Any:
        from rest_framework.test import APIClient

        from cx_audit.core.models import User

        client = APIClient()
        client.force_authenticate(User.objects.get(pk=self.users[user]))
        response = client.get(f"/api/voice/{path}")
        assert response.status_code == 200, response.content[:500]
        return response

    def page(self, path: str, user: str = "analyst") -> Any:
        """A page as a signed-in browser gets it (session and user read from the database)."""
        if user not in self._clients:
            from django.test import Client

            from cx_audit.core.models import User

            self._clients[user] = Client()
            self._clients[user].force_login(User.objects.get(pk=self.users[user]))
        response = self._clients[user].get(path)
        assert response.status_code == 200, response.content[:500]
        return response

    # -- checks ---------------------------------------------------------------------------------
    def same_summary(self, response: Any, floor: dict[str, Any]) -> None:
        from cx_audit.voice.metrics import Tally

        body = response.json()
        head = floor["headline"]
        same_figures(body["headline"]["current"], floors.tally(head[True][:10]), "headline")
        previous = floors.tally(head[False][:10]) if False in head else Tally()
        same_figures(body["headline"]["previous"], previous, "previous period")
        assert body["headline"]["comments"] == head[True][10]
        for cut, tallies in floor["cuts"].items():
            rows = {row["key"]: row["figures"] for row in body[f"by_{cut}"]}
            assert rows.keys() == tallies.keys(), f"{cut}: {sorted(rows)} vs {sorted(tallies)}"
            for key, tally in tallies.items():
                same_figures(rows[key], tally, f"{cut} {key}")
        rows = {row["key"]: row["figures"] for row in body["by_touchpoint"]}
        assert rows.keys() == floor["touchpoints"].keys()
        for key, tally in floor["touchpoints"].items():
            same_figures(rows[key], tally, f"touchpoint {key}")
        worst = [(row["key"], _decimal(row["figures"]["nps"])) for row in body["worst_locations"]]
        assert worst == [(str(row[0]), row[3]) for row in floor["worst"]], "the worst locations differ"
        _locations, revenue, affected = floor["revenue"][None]
        total = body["revenue"]["total"]
        lost = (affected * floors.money_factor(self.policy)).quantize(CENT)
        assert abs(Decimal(total["revenue"]) - revenue) <= CENT, (total["revenue"], revenue)
        assert abs(Decimal(total["lost"]) - lost) <= CENT, (total["lost"], lost)

    def same_points(self, response: Any, floor: dict[str, Any]) -> None:
        body = response.json()
        assert body["comments"] == floor["commented"]
        examples: dict[tuple[str, int], set[int]] = {}
        for code, polarity, feedback_id, *_rest in floor["examples"]:
            examples.setdefault((code, polarity), set()).add(feedback_id)
        for name, polarity in (("pain", -1), ("pleasure", 1)):
            api = [(p["key"], p["mentions"], p["comments"], Decimal(p["weight"])) for p in body[name]]
            expected = [(r[0], r[2], r[3], r[4].quantize(CENT)) for r in floor["ranked"][polarity]]
            assert api == expected, f"{name}: {api} vs {expected}"
            for point in body[name]:
                found = {example["feedback_id"] for example in point["examples"]}
                assert found == examples.get((point["key"], polarity), set()), f"examples of {point['key']}"

    def same_warnings(self, response: Any, floor: set[tuple[str, str, str]]) -> None:
        api = {(flag["scope"], flag["key"], flag["kind"]) for flag in response.json()["flags"]}
        assert api == floor, f"flags: API only {api - floor}, floor only {floor - api}"

    def same_trend(self, response: Any, floor: dict[date, Any]) -> None:
        for point in response.json()["points"]:
            day = date.fromisoformat(point["period_start"])
            tally = floor.get(day)
            if tally is None:
                assert point["figures"]["volume"] == 0
            else:
                same_figures(point["figures"], tally, f"trend {day}")

    def same_location(self, response: Any, floor: list[list[tuple]]) -> None:
        body = response.json()
        head = {row[0]: row[1:] for row in floor[0]}
        same_figures(body["headline"]["current"], floors.tally(head[True][:10]), "location headline")
        weeks = {row[0]: floors.tally(row[1:]) for row in floor[1]}
        for point in body["trend"]:
            day = date.fromisoformat(point["period_start"])
            assert point["figures"]["volume"] == (weeks[day].volume if day in weeks else 0)
        assert [c["feedback_id"] for c in body["comments"]] == [row[0] for row in floor[6]]

    # -- the floors as callables ------------------------------------------------------------------
    def floor_summary(self) -> dict[str, Any]:
        return floors.floor_summary(self.params)

    def floor_points(self) -> dict[str, Any]:
        return floors.floor_points(self.params)

    def floor_warnings(self) -> set:
        return floors.floor_warnings(self.params, self.warning_policy, self.query.date_to)

    def floor_weeks(self) -> dict:
        return floors.floor_trend(self.params, "week")

    def floor_months(self) -> dict:
        from cx_audit.voice.dashboard_filters import local_midnight

        return floors.floor_trend(self.params.but(start=local_midnight(self.year_from)), "month")

    def floor_page(self) -> tuple:
        parts = (
            self.floor_summary,
            self.floor_points,
            self.floor_warnings,
            self.floor_weeks,
            self.floor_months,
        )
        return tuple(part() for part in parts)


def measure(locations: int, feedback: int, runs: int) -> dict[str, Any]:
    from django.db import connection

    bench = Bench(locations, feedback)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM cx_audit_feedback), (SELECT count(*) FROM cx_audit_feedbacktag)"
        )
        stored, tags = cursor.fetchone()
    results: dict[str, Any] = {"locations": locations, "feedback": stored, "tags": tags, "cases": {}}

    def case(name: str, api: Callable[[], Any], floor: Callable[[], Any] | None, check: Any = None) -> None:
        api_ms, queries, response = timed(api, runs)
        entry = {"api_ms": api_ms, "queries": queries, "floor_ms": None}
        if floor is not None:
            floor_ms, floor_queries, rows = timed(floor, runs)
            if check is not None:
                check(response, rows)
            entry.update(floor_ms=floor_ms, floor_queries=floor_queries)
        results["cases"][name] = entry
        print(f"  {name}: {api_ms:.1f} ms", file=sys.stderr)

    location = bench.location
    months = f"trends/?interval=month&date_from={bench.year_from}"
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any] | None, Any]] = [
        ("summary/ (headline, 5 cuts, worst 20, revenue)", lambda: bench.api("summary/"),
         bench.floor_summary, bench.same_summary),
        ("pain-points/ (top 5 + 5 by touchpoint, examples)", lambda: bench.api("pain-points/"),
         bench.floor_points, bench.same_points),
        ("warnings/ (every location and touchpoint)", lambda: bench.api("warnings/"),
         bench.floor_warnings, bench.same_warnings),
        ("trends/ weekly, 90 days", lambda: bench.api("trends/"), bench.floor_weeks, bench.same_trend),
        ("trends/ monthly, 12 months", lambda: bench.api(months), bench.floor_months, bench.same_trend),
        (f"locations/<id>/ (one location's voice, {location.code})",
         lambda: bench.api(f"locations/{location.pk}/"), lambda: floors.floor_location(bench.params),
         bench.same_location),
        ("/voice/ dashboard page", lambda: bench.page("/voice/"), bench.floor_page, None),
        ("/voice/locations/<id>/ page", lambda: bench.page(f"/voice/locations/{location.pk}/"), None, None),
        ("summary/ as a franchisee (its own outlets)", lambda: bench.api("summary/", "partner"), None, None),
        ("/voice/ page as a franchisee", lambda: bench.page("/voice/", "partner"), None, None),
    ]  # fmt: skip
    for name, api, floor, check in cases:
        case(name, api, floor, check)
    results["parts"] = parts(bench, runs)
    return results


def parts(bench: Bench, runs: int) -> dict[str, Any]:
    """The dashboard page's selectors one by one, each on a fresh query (nothing memoised)."""
    from cx_audit.voice import flags, location_reads, points, selectors
    from cx_audit.voice.metrics import Period
    from cx_audit.voice.pages import year_of_months

    def fresh() -> Any:
        from dataclasses import replace

        return replace(bench.query, memo={})

    steps: dict[str, Callable[[], Any]] = {
        "headline (2 periods)": lambda: selectors.headline(fresh()),
        **{f"cut: {name}": (lambda name=name: selectors.cut(fresh(), name)) for name in selectors.CUTS},
        "locations table (every location)": lambda: selectors.location_rows(fresh()),
        "top points with examples": lambda: points.points(fresh(), "touchpoint", comments=1),
        "trend: weeks of the period": lambda: selectors.trend(fresh(), Period.WEEK),
        "trend: 12 months": lambda: selectors.trend(year_of_months(fresh()), Period.MONTH),
        "early warnings": lambda: flags.early_warning_flags(fresh()),
        "revenue at risk (the year)": lambda: location_reads.revenue_view(fresh()),
    }
    found = {}
    for name, step in steps.items():
        ms, queries, _result = timed(step, runs)
        found[name] = {"ms": ms, "queries": queries}
    return found
