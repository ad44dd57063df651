"""Audit scores and customers side by side: what the scorecard and the league table show of the voice.

The scorecard shows one location's customers beside its audit (`customer_voice`): the quarter's
NPS, CSAT and effort and its top pain points, and the year's revenue at risk — the figures of
`tallies.location_voice`, so every page that shows a location's voice tells the same story.

The league table ranks and sorts every location of a brand by its audit, its NPS and its revenue at
risk in **one** SQL statement, whatever the chain's size or the volume of feedback: `LeagueVoice`
gives the rankings' SQL a ``voice`` CTE (one aggregate over the brand's feedback), the brand's
policy joined by brand, and turns the fetched counts into figures with the same pure functions
(`metrics.nps`, `tallies.negative_share`, `revenue.revenue_at_risk`).

Periods: the league measures customers over the league's own window (``date_from``–``date_to``)
and revenue at risk over the year ending ``date_to`` (the year `location_voice` uses when
``date_to`` is today); the scorecard, always "now", over the last `WINDOW_DAYS` and
`REVENUE_WINDOW_DAYS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from cx_audit.voice.metrics import Tally, csat_mean, csat_share, effort_mean, nps
from cx_audit.voice.models import Feedback, FeedbackTag, VoicePolicy
from cx_audit.voice.policy import policy_for
from cx_audit.voice.revenue import (
    DEFAULT_SHARES,
    FunnelShares,
    RevenueAtRisk,
    quantize_money,
    revenue_at_risk,
)
from cx_audit.voice.tallies import REVENUE_WINDOW_DAYS, WINDOW_DAYS, location_voice, negative_share, since
from journeys.models import Dimension, FrameworkStatus, Touchpoint
from locations.models import Location

TOP_PAIN_POINTS = 3
TOUCHPOINT, DIMENSION = "touchpoint", "dimension"


# --- pain points -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PainPoint:
    """A touchpoint (or, for tags naming none, a dimension) customers complained about: ``mentions``
    comments with a pain tag there. Names only: never the comments themselves."""

    kind: str  # TOUCHPOINT or DIMENSION
    code: str
    name: str
    mentions: int


def pain_points(
    location_ids: Sequence[int], *, brand_id: int, start: datetime, top: int = TOP_PAIN_POINTS
) -> dict[int, list[PainPoint]]:
    """Each location's ``top`` pain points since ``start``, most mentioned first: one grouped query over
    the tags, and one per kind of name needed.

    A comment counts once per pain point, however many of its words hurt there.
    """
    point = Case(
        When(touchpoint_code="", then=Concat(Value(f"{DIMENSION}:"), F("dimension_code"))),
        default=Concat(Value(f"{TOUCHPOINT}:"), F("touchpoint_code")),
        output_field=CharField(),
    )
    rows = (
        FeedbackTag.objects.filter(location_id__in=location_ids, polarity__lt=0, received_at__gte=start)
        .exclude(touchpoint_code="", dimension_code="")
        .annotate(point=point)
        .values("location_id", "point")
        .annotate(mentions=Count("feedback_id", distinct=True))
        .order_by()
    )
    found: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for row in rows:
        kind, code = row["point"].split(":", 1)
        found[row["location_id"]].append((kind, code, row["mentions"]))
    tops = {
        location_id: sorted(points, key=lambda p: (-p[2], p[0] != TOUCHPOINT, p[1]))[:top]
        for location_id, points in found.items()
    }
    names = _names(brand_id, [p for points in tops.values() for p in points])
    return {
        location_id: [PainPoint(kind, code, names.get((kind, code), code), n) for kind, code, n in points]
        for location_id, points in tops.items()
    }


def _names(brand_id: int, points: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str], str]:
    """The framework's names of these codes, from the newest published version (else the code stays)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for kind, code, _mentions in points:
        wanted[kind].add(code)
    names: dict[tuple[str, str], str] = {}
    sources = {TOUCHPOINT: (Touchpoint, "stage__journey__framework"), DIMENSION: (Dimension, "framework")}
    for kind, codes in wanted.items():
        model, framework = sources[kind]
        rows = (
            model.objects.filter(**{f"{framework}__brand_id": brand_id, "code__in": codes})
            .exclude(**{f"{framework}__status": FrameworkStatus.DRAFT})
            .order_by("code", f"-{framework}__version")
            .values_list("code", "name")
        )
        for code, name in rows:
            names.setdefault((kind, code), name)
    return names


# --- the scorecard -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerVoice:
    """What customers said about one location, as its scorecard shows it beside the audit score.

    ``tally`` covers ``start``–``end`` (the last `WINDOW_DAYS`); revenue at risk the year's answers
    (``year``) and the location's annual revenue. ``share_source`` says where the negative-experience
    share came from: "brand" (the brand set one figure for every store), "detractors" (the store's
    detractor share over the year) or "" (no revenue at risk: no annual revenue, or no NPS answer).
    """

    start: date
    end: date
    tally: Tally
    year: Tally
    pain_points: tuple[PainPoint, ...]
    annual_revenue: Decimal | None
    revenue: RevenueAtRisk | None
    share_source: str
    window_days: int = WINDOW_DAYS
    revenue_days: int = REVENUE_WINDOW_DAYS

    def without_revenue(self) -> CustomerVoice:
        """The same voice without money figures (for readers outside the brand)."""
        return replace(self, annual_revenue=None, revenue=None, share_source="")

    @property
    def has_feedback(self) -> bool:
        return bool(self.tally.volume or self.year.volume)

    @property
    def nps(self) -> Decimal | None:
        return nps(self.tally)

    @property
    def csat_share(self) -> Decimal | None:
        return csat_share(self.tally)

    @property
    def csat_mean(self) -> Decimal | None:
        return csat_mean(self.tally)

    @property
    def effort_mean(self) -> Decimal | None:
        return effort_mean(self.tally)

    @property
    def lost(self) -> Decimal | None:
        return None if self.revenue is None else quantize_money(self.revenue.lost)

    @property
    def at_risk(self) -> Decimal | None:
        return None if self.revenue is None else quantize_money(self.revenue.at_risk)

    @property
    def negative_pct(self) -> Decimal | None:
        """The negative-experience share used, in % (one decimal)."""
        if self.revenue is None:
            return None
        return (self.revenue.negative_share * 100).quantize(Decimal("0.1"))


def customer_voice(location: Location, *, today: date | None = None) -> CustomerVoice:
    """One location's voice for its scorecard: `location_voice`, its pain points and where the share
    used for revenue at risk came from. Five queries at most, whatever the volume of feedback."""
    today = today or timezone.localdate()
    voice = location_voice([location], today)[location.pk]
    start = since(WINDOW_DAYS, today)
    points = pain_points([location.pk], brand_id=location.brand_id, start=start).get(location.pk, [])
    source = ""
    if voice.revenue is not None:
        brand_set = policy_for(location.brand_id).negative_share is not None
        source = "brand" if brand_set else "detractors"
    return CustomerVoice(
        start=timezone.localdate(start),
        end=today,
        tally=voice.tally,
        year=voice.year,
        pain_points=tuple(points),
        annual_revenue=location.annual_revenue,
        revenue=voice.revenue,
        share_source=source,
    )


# --- the league table --------------------------------------------------------------------------------

POLICY_SHARES = (
    "complaint_rate",
    "complainer_retained",
    "complainer_at_risk",
    "complainer_lost",
    "silent_at_risk",
    "silent_lost",
)


@dataclass(frozen=True)
class LeagueFigures:
    """A league row's voice: NPS over the league's window, revenue lost and at risk over the year."""

    nps: Decimal | None
    nps_answers: int
    revenue_lost: Decimal | None
    revenue_at_risk: Decimal | None


class LeagueVoice:
    """The voice's part of the league's SQL, for a query whose locations are aliased ``l`` and whose
    latest audits are the CTE ``latest``: a ``voice`` CTE aliased ``v``, the policy aliased ``p``."""

    # NULL for a location without NPS answers (or without annual revenue): sorted last by the caller.
    NPS = "((v.promoters - v.detractors) * 1.0 / NULLIF(v.nps_n, 0))"
    RISK = (
        "(l.annual_revenue * COALESCE(p.negative_share, v.year_detractors * 1.0 / NULLIF(v.year_nps_n, 0)))"
    )
    COLUMNS = (
        "v.nps_n, v.promoters, v.detractors, v.year_nps_n, v.year_detractors, l.annual_revenue, "
        "p.negative_share, " + ", ".join(f"p.{name}" for name in POLICY_SHARES)
    )
    WIDTH = 7 + len(POLICY_SHARES)  # the number of columns above

    def __init__(
        self,
        *,
        brand_id: int,
        start: datetime,
        end: datetime,
        date_to: date,
        among: tuple[str, list] = ("SELECT location_id FROM latest", []),
    ) -> None:
        """``among``: SQL (and its parameters) naming the locations whose feedback is summed — every
        location of the league by default; the rankings name one page's when the page is sorted by
        the audit, so that a page costs the feedback of its own 50 locations, not the chain's."""
        self.brand_id, self.start, self.end, self.among = brand_id, start, end, among
        self.year_start = since(REVENUE_WINDOW_DAYS, date_to)

    def cte(self) -> tuple[str, list]:
        """``voice AS (…)``: NPS counts in the window and over the year, per location ``among``."""
        feedback = connection.ops.quote_name(Feedback._meta.db_table)
        adapt = connection.ops.adapt_datetimefield_value
        window, year = adapt(self.start), adapt(self.year_start)
        sql = (
            "voice AS (SELECT f.location_id, "
            "COUNT(CASE WHEN f.received_at >= %s THEN f.nps END) AS nps_n, "
            "SUM(CASE WHEN f.received_at >= %s AND f.nps >= 9 THEN 1 ELSE 0 END) AS promoters, "
            "SUM(CASE WHEN f.received_at >= %s AND f.nps <= 6 THEN 1 ELSE 0 END) AS detractors, "
            "COUNT(CASE WHEN f.received_at >= %s THEN f.nps END) AS year_nps_n, "
            "SUM(CASE WHEN f.received_at >= %s AND f.nps <= 6 THEN 1 ELSE 0 END) AS year_detractors "
            f"FROM {feedback} f WHERE f.brand_id = %s AND f.received_at >= %s AND f.received_at < %s "
            f"AND f.location_id IN ({self.among[0]}) GROUP BY f.location_id)"
        )
        first = adapt(min(self.start, self.year_start))
        return sql, [
            window,
            window,
            window,
            year,
            year,
            self.brand_id,
            first,
            adapt(self.end),
            *self.among[1],
        ]

    def joins(self, ranked: str = "r") -> str:
        policy = connection.ops.quote_name(VoicePolicy._meta.db_table)
        return (
            f"LEFT JOIN voice v ON v.location_id = {ranked}.location_id "
            f"LEFT JOIN {policy} p ON p.brand_id = l.brand_id"
        )

    @staticmethod
    def reader() -> Callable[[Sequence[Any]], LeagueFigures]:
        """Turns the `COLUMNS` of a row into its figures (the funnel is made once per policy)."""
        funnels: dict[tuple, FunnelShares] = {}

        def read(values: Sequence[Any]) -> LeagueFigures:
            nps_n, promoters, detractors, year_n, year_detractors, revenue, override, *shares = values
            window = Tally(nps_n=nps_n or 0, promoters=promoters or 0, detractors=detractors or 0)
            share = negative_share(Tally(nps_n=year_n or 0, detractors=year_detractors or 0), _dec(override))
            if revenue is None or share is None:
                return LeagueFigures(nps(window), window.nps_n, None, None)
            key = tuple(shares)
            if key not in funnels:
                funnels[key] = _funnel(shares)
            money = revenue_at_risk(_dec(revenue, 2), share, funnels[key])
            return LeagueFigures(
                nps(window), window.nps_n, quantize_money(money.lost), quantize_money(money.at_risk)
            )

        return read


def _dec(value: Any, places: int = 4) -> Decimal | None:
    """A decimal column as raw SQL hands it back: a Decimal on PostgreSQL, a float or int on SQLite."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def _funnel(shares: Sequence[Any]) -> FunnelShares:
    """The brand's funnel from its policy's columns; the defaults when the brand has no policy row."""
    if shares[0] is None:
        return DEFAULT_SHARES
    return FunnelShares(**{name: _dec(value) for name, value in zip(POLICY_SHARES, shares, strict=True)})


def window_feedback(brand_id: int, start: datetime, end: datetime) -> Any:
    """The brand's feedback received in [start, end): whose NPS the league and the predict page count."""
    return Feedback.objects.filter(brand_id=brand_id, received_at__gte=start, received_at__lt=end)
