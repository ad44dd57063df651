"""What a location's voice page reads beside its metrics: the two Delta models side by side, the
recent comments with their tags, revenue at risk (per location and rolled up), recovery actions.

**The customer's Delta model** (`delta.customer_delta`): per dimension of the brand's framework,
pleasure and pain are the summed weights of the period's tags about the dimension, ``mentions``
the comments that tag it; expectation is what customers said they expected when at least
`MIN_ASKED` of them answered it (``Feedback.expectations``), else the framework's. **The auditor's**
is the stored Delta model of the location's latest counted audit (`audits.locationcard`), so the
page shows what the auditor saw beside what customers felt, on the same 0–10 scale.

**Revenue at risk** takes each store's year to the period's end (`tallies.REVENUE_WINDOW_DAYS`)
and the store filters only (a channel is not a store), from the feedback the user may read, and
rolls up by region and for the chain with `revenue.roll_up`; the lever is `revenue.complaint_lever`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, FloatField, Prefetch, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from cx_audit.audits.choices import COUNTED_KINDS
from cx_audit.audits.locationcard import DIMENSIONS, location_card
from cx_audit.audits.models.audits import Audit
from cx_audit.voice.dashboard_filters import VoiceQuery
from cx_audit.voice.delta import DimensionDelta, DimensionVoice, customer_delta, key_experiences
from cx_audit.voice.highlight import Part, segments
from cx_audit.voice.metrics import Tally
from cx_audit.voice.models import FeedbackTag, RecoveryAction
from cx_audit.voice.policy import funnel_of
from cx_audit.voice.revenue import Lever, RevenueAtRisk, complaint_lever, revenue_at_risk, roll_up
from cx_audit.voice.selectors import region_level, voice_policy
from cx_audit.voice.tallies import REVENUE_WINDOW_DAYS, negative_share, tallies_by
from journeys.models import Dimension, Framework
from locations.models import Location

MIN_ASKED = 5  # customers who stated an expectation before theirs replaces the framework's
RECENT = 10
LEVER_RATE = Decimal("0.05")


# --- the two Delta models ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeltaLine:
    """One dimension: what the auditor saw and what customers felt, each against an expectation."""

    code: str
    name: str
    importance: Decimal
    auditor_experience: Decimal | None
    auditor_expectation: Decimal | None
    auditor_satisfaction: Decimal | None
    auditor_weighted: Decimal | None
    auditor_key: bool
    customer_experience: Decimal | None
    customer_expectation: Decimal
    expectation_source: str
    customer_satisfaction: Decimal | None
    customer_weighted: Decimal | None
    customer_key: bool
    mentions: int


@dataclass(frozen=True)
class DeltaComparison:
    audit: Audit | None
    lines: tuple[DeltaLine, ...]
    auditor_keys: tuple[str, ...]
    customer_keys: tuple[str, ...]


def framework_dimensions(brand_id: int) -> list[Dimension]:
    """The brand's current framework's dimensions (the newest version's when none is published)."""
    frameworks = Framework.objects.filter(brand_id=brand_id)
    framework = frameworks.current().first() or frameworks.order_by("-version").first()
    return [] if framework is None else list(framework.dimensions.order_by("order", "pk"))


def _asked(query: VoiceQuery, codes: list[str]) -> dict[str, Decimal]:
    """The mean expectation customers stated per dimension, where at least `MIN_ASKED` did: one query."""
    if not codes:
        return {}
    aggregates = {}
    for index, code in enumerate(codes):
        aggregates[f"n{index}"] = Count("pk", filter=Q(expectations__has_key=code))
        aggregates[f"m{index}"] = Avg(Cast(KeyTextTransform(code, "expectations"), FloatField()))
    row = query.feedback().order_by().aggregate(**aggregates)
    return {
        code: Decimal(str(row[f"m{index}"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for index, code in enumerate(codes)
        if row[f"n{index}"] >= MIN_ASKED and row[f"m{index}"] is not None
    }


def customer_voices(query: VoiceQuery, dimensions: list[Dimension]) -> list[DimensionVoice]:
    """Pleasure, pain and mentions per dimension from the tags, and stated expectations: two queries."""
    sums = {
        row["dimension_code"]: row
        for row in query.tags()
        .exclude(dimension_code="")
        .order_by()
        .values("dimension_code")
        .annotate(
            pleasure=Coalesce(Sum("weight", filter=Q(polarity__gt=0)), Decimal(0)),
            pain=Coalesce(Sum("weight", filter=Q(polarity__lt=0)), Decimal(0)),
            mentions=Count("feedback_id", distinct=True),
        )
    }
    asked = _asked(query, [dimension.code for dimension in dimensions])
    empty = {"pleasure": Decimal(0), "pain": Decimal(0), "mentions": 0}
    return [
        DimensionVoice(
            code=dimension.code,
            importance=dimension.importance,
            expectation=dimension.expectation,
            pleasure=Decimal(sums.get(dimension.code, empty)["pleasure"]),
            pain=Decimal(sums.get(dimension.code, empty)["pain"]),
            mentions=sums.get(dimension.code, empty)["mentions"],
            asked_expectation=asked.get(dimension.code),
        )
        for dimension in dimensions
    ]


def delta_comparison(query: VoiceQuery, location: Location) -> DeltaComparison:
    """The customer's Delta model over the period beside the latest counted audit's."""
    dimensions = framework_dimensions(location.brand_id)
    deltas = {delta.code: delta for delta in customer_delta(customer_voices(query.at(location), dimensions))}
    audits = Audit.objects.visible_to(query.user).submitted().filter(kind__in=COUNTED_KINDS)
    card = location_card(location, audits=audits, limit=1, results=(DIMENSIONS,))
    seen = {line.dimension_code: line for line in card.dimensions}
    names = {dimension.code: dimension.name for dimension in dimensions}
    codes = [dimension.code for dimension in dimensions] + [code for code in seen if code not in names]
    customer_keys = tuple(delta.code for delta in key_experiences(list(deltas.values()), limit=None))
    auditor_keys = tuple(line.dimension_code for line in card.key_experiences)
    lines = tuple(
        _line(
            code,
            names.get(code) or seen[code].dimension,
            seen.get(code),
            deltas.get(code),
            customer_keys,
            auditor_keys,
        )
        for code in codes
    )
    return DeltaComparison(card.latest, lines, auditor_keys, customer_keys)


def _line(
    code: str, name: str, audit: Any, delta: DimensionDelta | None, customer_keys: tuple, auditor_keys: tuple
) -> DeltaLine:
    return DeltaLine(
        code=code,
        name=name,
        importance=delta.importance if delta else audit.importance,
        auditor_experience=audit.experience if audit else None,
        auditor_expectation=audit.expectation if audit else None,
        auditor_satisfaction=audit.satisfaction if audit else None,
        auditor_weighted=audit.weighted_satisfaction if audit else None,
        auditor_key=code in auditor_keys,
        customer_experience=delta.experience if delta else None,
        customer_expectation=delta.expectation if delta else audit.expectation,
        expectation_source=delta.expectation_source if delta else "framework",
        customer_satisfaction=delta.satisfaction if delta else None,
        customer_weighted=delta.weighted if delta else None,
        customer_key=code in customer_keys,
        mentions=delta.mentions if delta else 0,
    )


# --- recent comments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TagLine:
    term: str
    polarity: int
    touchpoint_code: str
    dimension_code: str
    negated: bool
    matched: str


@dataclass(frozen=True)
class Comment:
    feedback_id: int
    received_at: Any
    channel: str
    nps: int | None
    csat: int | None
    effort: int | None
    comment: str
    parts: tuple[Part, ...]
    tags: tuple[TagLine, ...]


def recent_comments(query: VoiceQuery, limit: int = RECENT) -> list[Comment]:
    """The newest comments of the period with every tag's span marked: two queries."""
    rows = (
        query.feedback()
        .exclude(comment="")
        .order_by("-received_at", "-pk")
        .prefetch_related(Prefetch("tags", queryset=FeedbackTag.objects.order_by("start", "pk")))[:limit]
    )
    return [
        Comment(
            feedback_id=row.pk,
            received_at=row.received_at,
            channel=row.get_channel_display(),
            nps=row.nps,
            csat=row.csat,
            effort=row.effort,
            comment=row.comment,
            parts=segments(row.comment, [(tag.start, tag.end) for tag in row.tags.all()]),
            tags=tuple(
                TagLine(
                    tag.term, tag.polarity, tag.touchpoint_code, tag.dimension_code, tag.negated, tag.matched
                )
                for tag in row.tags.all()
            ),
        )
        for row in rows
    ]


# --- revenue at risk ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RevenueRow:
    key: str
    label: str
    locations: int
    revenue: RevenueAtRisk


@dataclass(frozen=True)
class RevenueView:
    """Revenue at risk of the stores in reach: the total, by region, per location and the lever."""

    total: RevenueAtRisk
    regions: tuple[RevenueRow, ...]
    by_location: dict[int, RevenueAtRisk]
    complaint_rate: Decimal
    lever_rate: Decimal
    lever: Lever | None
    without_revenue: int  # stores with no annual revenue on record
    without_share: int  # stores with a revenue but no NPS answer in the year (and no brand figure)


def lever_rate(rate: Decimal) -> Decimal:
    """The rate the lever shows: 5 %, or twice the brand's when it already reaches 5 %."""
    return LEVER_RATE if rate < LEVER_RATE else min(Decimal(1), rate * 2)


def revenue_view(query: VoiceQuery) -> RevenueView:
    """Each store's revenue at risk over the year to the period's end: three queries, any chain."""
    year = query.about_locations().between(
        query.date_to - timedelta(days=REVENUE_WINDOW_DAYS - 1), query.date_to
    )
    tallies = tallies_by(year.feedback(), "location_id")
    policy = voice_policy(query)
    funnel = funnel_of(policy)
    shown: Callable = region_level(query)
    by_location: dict[int, RevenueAtRisk] = {}
    regions: dict[tuple[str, str], list[RevenueAtRisk]] = {}
    without_revenue = without_share = 0
    for pk, region_id, revenue in year.locations().values_list("pk", "region_id", "annual_revenue"):
        share = negative_share(tallies.get(pk, Tally()), policy.negative_share)
        if revenue is None:
            without_revenue += 1
        elif share is None:
            without_share += 1
        else:
            by_location[pk] = revenue_at_risk(revenue, share, funnel)
            regions.setdefault(shown(region_id), []).append(by_location[pk])
    total = roll_up(by_location.values())
    rate = lever_rate(funnel.complaint_rate)
    lever = complaint_lever(total.revenue, total.negative_share, funnel, rate) if total.revenue else None
    rows = tuple(
        RevenueRow(key, label, len(items), roll_up(items))
        for (key, label), items in sorted(regions.items(), key=lambda item: -roll_up(item[1]).lost)
    )
    return RevenueView(
        total, rows, by_location, funnel.complaint_rate, rate, lever, without_revenue, without_share
    )


# --- recovery ----------------------------------------------------------------------------------


def recovery_of(query: VoiceQuery, location: Location) -> Any:
    """The location's recovery actions opened in the period (None when it has none)."""
    from cx_audit.voice.recovery_stats import opened_between, recovery_counts

    actions = opened_between(
        RecoveryAction.objects.visible_to(query.user).filter(location=location),
        query.date_from,
        query.date_to,
    )
    counts = recovery_counts(actions)
    return counts if counts.opened else None
