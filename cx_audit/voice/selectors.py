"""What the voice dashboard reads: customer metrics by every cut, trends and the top pain points.

Every figure is a `Tally` summed in the database (`tallies.tally_aggregates`) and turned into
metrics by the pure `metrics` functions, so a million answers never travel to Python and the
number of queries does not grow with the feedback or the chain: one grouped aggregate per table,
one for the examples of all the top points together. Everything starts from the `VoiceQuery`
(`dashboard_filters`), whose rows are `Feedback.objects.visible_to(user)` — a franchisee's numbers
are its own outlets' only.

A **touchpoint** of a record is the one it was asked about (``Feedback.touchpoint_code``) and every
touchpoint its comment was tagged with; a record counts once per touchpoint however often it names
it. A record's **region** rolls up to the regions one level below the filter (the top level by
default), so a region's figures include its sub-regions'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, F, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext as _

from cx_audit.voice.choices import FeedbackChannel
from cx_audit.voice.dashboard_filters import VoiceQuery
from cx_audit.voice.metrics import (
    CSAT_TOP2_MIN,
    DETRACTOR_MAX,
    PROMOTER_MIN,
    Period,
    Tally,
    complaint_share,
    csat_mean,
    csat_share,
    effort_mean,
    month_start,
    nps,
    week_start,
)
from cx_audit.voice.models import Feedback, VoicePolicy
from cx_audit.voice.policy import policy_for
from cx_audit.voice.tallies import TALLY_FIELDS, tallies_by, tally_aggregates
from journeys.models import Dimension, Touchpoint
from locations.models import Franchisee, Location, OutletType, Region

METRICS = ("nps", "csat_share", "csat_mean", "effort_mean", "complaint_share")
CUTS = ("region", "franchisee", "outlet_type", "channel", "touchpoint")
SORTS = ("label", "volume", *METRICS)


@dataclass(frozen=True)
class Figures:
    """The metrics of a group of answers (None: nobody answered that question)."""

    volume: int
    nps: Decimal | None
    csat_share: Decimal | None
    csat_mean: Decimal | None
    effort_mean: Decimal | None
    complaint_share: Decimal | None
    nps_n: int
    complaints: int

    @classmethod
    def of(cls, tally: Tally) -> Figures:
        return cls(
            volume=tally.volume,
            nps=nps(tally),
            csat_share=csat_share(tally),
            csat_mean=csat_mean(tally),
            effort_mean=effort_mean(tally),
            complaint_share=complaint_share(tally),
            nps_n=tally.nps_n,
            complaints=tally.complaints,
        )


@dataclass(frozen=True)
class Change:
    """This period minus the previous one, per metric (None when either is missing)."""

    volume: int
    nps: Decimal | None
    csat_share: Decimal | None
    csat_mean: Decimal | None
    effort_mean: Decimal | None
    complaint_share: Decimal | None


@dataclass(frozen=True)
class Headline:
    current: Figures
    previous: Figures
    change: Change
    comments: int  # records with a comment in the period (what a pain point's share is of)


@dataclass(frozen=True)
class CutRow:
    """One group of a cut: its key (an id or a code, "" for none), label, code and figures."""

    key: str
    label: str
    figures: Figures
    code: str = ""


def _tally(row: dict[str, Any]) -> Tally:
    return Tally(**{name: row[name] for name in TALLY_FIELDS})


def _difference(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if now is None or before is None else now - before


def headline(query: VoiceQuery) -> Headline:
    """The period's figures and their change against the period just before: two queries."""
    aggregates = {**tally_aggregates(), "comments": Count("pk", filter=~Q(comment=""))}
    now = query.feedback().order_by().aggregate(**aggregates)
    before = query.previous().feedback().order_by().aggregate(**aggregates)
    current, previous = Figures.of(_tally(now)), Figures.of(_tally(before))
    change = Change(
        volume=current.volume - previous.volume,
        **{name: _difference(getattr(current, name), getattr(previous, name)) for name in METRICS},
    )
    return Headline(current, previous, change, now["comments"])


# --- cuts --------------------------------------------------------------------------------------


def voice_policy(query: VoiceQuery) -> VoicePolicy:
    """The brand's voice policy, read once per request (defaults when it has none)."""
    return query.once("policy", lambda: policy_for(query.brand.pk))


def region_level(query: VoiceQuery) -> Callable[[int | None], tuple[str, str]]:
    """Where a location's region shows: the region one level below the filter (or the top level),
    as (key, label). One query for the brand's regions, once per request."""
    regions = query.once(
        "regions",
        lambda: {
            row["pk"]: row
            for row in Region.objects.filter(brand=query.brand).values("pk", "name", "parent_id")
        },
    )
    top = query.region.pk if query.region else None

    def shown(region_id: int | None) -> tuple[str, str]:
        if region_id is None or region_id not in regions:
            return "", _("No region")
        if region_id == top:
            return str(region_id), _("%(name)s (itself)") % {"name": regions[region_id]["name"]}
        while (
            regions[region_id]["parent_id"] not in (top, None) and regions[region_id]["parent_id"] in regions
        ):
            region_id = regions[region_id]["parent_id"]
        return str(region_id), regions[region_id]["name"]

    return shown


def _region_rows(query: VoiceQuery) -> list[CutRow]:
    shown = region_level(query)
    summed: dict[tuple[str, str], Tally] = {}
    for region_id, tally in tallies_by(query.feedback(), "location__region_id").items():
        key = shown(region_id)
        summed[key] = summed.get(key, Tally()) + tally
    return [CutRow(key, label, Figures.of(tally)) for (key, label), tally in summed.items()]


def _franchisee_rows(query: VoiceQuery) -> list[CutRow]:
    tallies = tallies_by(query.feedback(), "franchisee_id")
    names = dict(Franchisee.objects.filter(pk__in=[k for k in tallies if k]).values_list("pk", "name"))
    return [
        CutRow(str(key or ""), names.get(key, "") if key else _("Direct stores"), Figures.of(tally))
        for key, tally in tallies.items()
    ]


def _choice_rows(tallies: dict[Any, Tally], labels: dict[str, Any]) -> list[CutRow]:
    return [
        CutRow(str(key), str(labels.get(key, key)), Figures.of(tally), code=str(key))
        for key, tally in tallies.items()
    ]


def touchpoint_names(query: VoiceQuery) -> dict[str, str]:
    """Touchpoint names by code, the newest framework version's name winning: one query."""
    return query.once(
        "touchpoints",
        lambda: dict(
            Touchpoint.objects.filter(stage__journey__framework__brand=query.brand)
            .order_by("stage__journey__framework__version", "pk")
            .values_list("code", "name")
        ),
    )


def dimension_names(query: VoiceQuery) -> dict[str, str]:
    return query.once(
        "dimensions",
        lambda: dict(
            Dimension.objects.filter(framework__brand=query.brand)
            .order_by("framework__version", "pk")
            .values_list("code", "name")
        ),
    )


# The columns of a `Tally` over the joined rows ``f`` (what `tallies.tally_aggregates` computes; the
# touchpoint cut's test holds both to the pure metrics).
_TALLY_SQL = ", ".join(
    (
        "COUNT(*)",
        "COUNT(f.nps)",
        f"SUM(CASE WHEN f.nps >= {PROMOTER_MIN} THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN f.nps <= {DETRACTOR_MAX} THEN 1 ELSE 0 END)",
        "COUNT(f.csat)",
        f"SUM(CASE WHEN f.csat >= {CSAT_TOP2_MIN} THEN 1 ELSE 0 END)",
        "COALESCE(SUM(f.csat), 0)",
        "COUNT(f.effort)",
        "COALESCE(SUM(f.effort), 0)",
        "SUM(CASE WHEN f.complaint THEN 1 ELSE 0 END)",
    )
)


def touchpoint_tallies(query: VoiceQuery) -> dict[str, Tally]:
    """Per touchpoint, the records about it (asked about it, or naming it), each once: one query.

    The (record, touchpoint) pairs of the filtered records come from their own ``touchpoint_code``
    and from their tags, ``UNION`` dropping the repeats (a comment naming the checkout twice, or the
    touchpoint it was asked about); each pair then reads its record by primary key and the pairs are
    tallied per touchpoint. The ORM cannot group a union, so the statement is put together from the
    querysets' own SQL.
    """
    named = query.record_tags().exclude(touchpoint_code="").order_by()
    asked = query.feedback().exclude(touchpoint_code="").order_by()
    pairs = named.values(fid=F("feedback_id"), tp=F("touchpoint_code")).union(
        asked.values(fid=F("pk"), tp=F("touchpoint_code"))
    )
    pairs_sql, params = pairs.query.sql_with_params()
    table = connection.ops.quote_name(Feedback._meta.db_table)
    sql = f"SELECT t.tp, {_TALLY_SQL} FROM ({pairs_sql}) t INNER JOIN {table} f ON f.id = t.fid GROUP BY t.tp"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {code: Tally(*(int(value) for value in values)) for code, *values in cursor.fetchall()}


def cut(query: VoiceQuery, name: str) -> list[CutRow]:
    """The figures of one cut (``CUTS``), one row per group, unordered."""
    if name == "region":
        return _region_rows(query)
    if name == "franchisee":
        return _franchisee_rows(query)
    if name == "outlet_type":
        return _choice_rows(tallies_by(query.feedback(), "location__outlet_type"), dict(OutletType.choices))
    if name == "channel":
        return _choice_rows(tallies_by(query.feedback(), "channel"), dict(FeedbackChannel.choices))
    if name == "touchpoint":
        return _choice_rows(touchpoint_tallies(query), touchpoint_names(query))
    raise ValueError(name)


def location_rows(query: VoiceQuery) -> list[CutRow]:
    """One row per location that heard from customers in the period: two queries, whatever the chain."""
    tallies = tallies_by(query.feedback(), "location_id")
    base = Location.objects.all() if query.whole_brand else Location.objects.visible_to(query.user)
    names = {
        pk: (code, name)
        for pk, code, name in base.filter(brand=query.brand).values_list("pk", "code", "name")
    }
    return [
        CutRow(str(pk), names.get(pk, ("", f"#{pk}"))[1], Figures.of(tally), code=names.get(pk, ("", ""))[0])
        for pk, tally in tallies.items()
    ]


def ordered(rows: Iterable[CutRow], sort: str = "nps") -> list[CutRow]:
    """Rows by ``sort`` (``SORTS``, "-" for descending); missing figures last either way; ties by
    volume (most first), then label. The default, ``nps``, is worst first."""
    name = sort.removeprefix("-")
    descending = sort.startswith("-")

    def value(row: CutRow) -> Any:
        return row.label.casefold() if name == "label" else getattr(row.figures, name)

    rows = sorted(rows, key=lambda row: (-row.figures.volume, row.label.casefold()))
    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    return sorted(present, key=value, reverse=descending) + missing


# --- trends ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRow:
    period_start: date
    label: str
    figures: Figures


def _buckets(first: date, last: date, period: Period) -> list[date]:
    starts, day = [], (week_start(first) if period is Period.WEEK else month_start(first))
    while day <= last:
        starts.append(day)
        day = day + timedelta(days=7) if period is Period.WEEK else (day + timedelta(days=32)).replace(day=1)
    return starts


def period_label(start: date, period: Period) -> str:
    if period is Period.WEEK:
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start:%Y-%m}"


def trend(query: VoiceQuery, interval: str) -> list[TrendRow]:
    """The figures of each ISO week (Monday) or month of the period, empty buckets included: one query."""
    period = Period(interval)
    trunc = TruncWeek if period is Period.WEEK else TruncMonth
    rows = query.feedback().annotate(bucket=trunc("received_at", output_field=DateField()))
    tallies = tallies_by(rows, "bucket")
    return [
        TrendRow(start, period_label(start, period), Figures.of(tallies.get(start, Tally())))
        for start in _buckets(query.date_from, query.date_to, period)
    ]


def paged(rows: list[Any], page: int, size: int) -> tuple[list[Any], int]:
    """One page of rows (from 1) and the number of pages (at least 1)."""
    pages = max(1, -(-len(rows) // size))
    return rows[(page - 1) * size : page * size], pages
