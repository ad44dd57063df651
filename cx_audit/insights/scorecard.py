"""One location as HQ drills into it: its latest audit, its place in the chain, its history.

Six queries, whatever the size of the chain: the location's counted audits, its rank among the
brand's latest audits in the window, then the latest audit's sections, dimensions and failed
standards. The audit page (`/audits/<id>/`) then shows every answer with its photos.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import F

from locations.models import Location

from ..models import DimensionResult, ItemResult, SectionResult
from .filters import InsightQuery
from .latest import LATEST_FIRST, standing
from .maths import rounded
from .rankings import days_between
from .standards import FAILED


@dataclass(frozen=True)
class AuditLine:
    audit_id: int
    submitted_at: datetime
    kind: str
    score: Decimal
    band: str
    critical_failure: bool
    failed_items: int
    repeat_findings: int
    in_window: bool


@dataclass(frozen=True)
class SectionLine:
    section_code: str
    section: str
    score: Decimal | None
    passed: int
    failed: int
    na: int
    cannot_check: int


@dataclass(frozen=True)
class DimensionLine:
    dimension_code: str
    dimension: str
    experience: Decimal | None
    expectation: Decimal
    ideal: Decimal
    importance: Decimal
    satisfaction: Decimal | None
    weighted_satisfaction: Decimal | None
    ideal_gap: Decimal | None
    key_rank: int | None


@dataclass(frozen=True)
class FailedItemLine:
    item_code: str
    question: str
    section_code: str
    outcome: str
    points_lost: Decimal
    repeat: bool
    critical: bool
    reason: str


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
        return sorted((d for d in self.dimensions if d.key_rank), key=lambda d: d.key_rank or 0)


def scorecard(query: InsightQuery, location: Location) -> Scorecard:
    """``query`` is the brand-wide one (window and kinds); the location is ranked within it."""
    card = Scorecard(
        location=location,
        date_from=query.date_from,
        date_to=query.date_to,
        regression_threshold=rounded(query.brand.regression_threshold),
    )
    audits = [
        _line(row, query)
        for row in query.audits.filter(location=location)
        .order_by(*LATEST_FIRST)
        .values(
            "pk", "submitted_at", "kind", "score", "band", "critical_failure", "failed_count", "repeat_count"
        )
    ]
    card.history = [line for line in audits if line.in_window]
    if not card.history:
        return card
    card.latest = latest = audits[0]
    card.previous = audits[1] if len(audits) > 1 else None
    card.days_since_audit = days_between(latest.submitted_at, query.today)
    if card.previous is not None:
        card.change = latest.score - card.previous.score
        card.regression = card.change < -query.brand.regression_threshold
    card.rank, card.ranked = standing(query, latest.score)
    card.sections = [
        SectionLine(
            section_code=row.section_code,
            section=row.section.name,
            score=rounded(row.score),
            passed=row.passed,
            failed=row.failed,
            na=row.na,
            cannot_check=row.cannot_check,
        )
        for row in SectionResult.objects.filter(audit_id=latest.audit_id).select_related("section")
    ]
    card.dimensions = [
        DimensionLine(
            dimension_code=row.dimension_code,
            dimension=row.dimension.name,
            experience=row.experience,
            expectation=row.expectation,
            ideal=row.ideal,
            importance=row.importance,
            satisfaction=row.satisfaction,
            weighted_satisfaction=row.weighted_satisfaction,
            ideal_gap=row.ideal_gap,
            key_rank=row.key_rank,
        )
        for row in DimensionResult.objects.filter(audit_id=latest.audit_id).select_related("dimension")
    ]
    card.failed_items = [
        FailedItemLine(
            item_code=row["item_code"],
            question=row["item__question"],
            section_code=row["section_code"],
            outcome=row["outcome"],
            points_lost=rounded(row["lost"]),
            repeat=row["repeat"],
            critical=row["critical_failed"],
            reason=row["reason"],
        )
        for row in ItemResult.objects.filter(audit_id=latest.audit_id, outcome__in=FAILED)
        .annotate(lost=F("possible") - F("earned"))
        .order_by("-lost", "item__section__order", "item__order", "item_code")
        .values(
            "item_code",
            "item__question",
            "section_code",
            "outcome",
            "lost",
            "repeat",
            "critical_failed",
            "reason",
        )
    ]
    return card


def _line(row: dict[str, Any], query: InsightQuery) -> AuditLine:
    return AuditLine(
        audit_id=row["pk"],
        submitted_at=row["submitted_at"],
        kind=row["kind"],
        score=rounded(row["score"]),
        band=row["band"],
        critical_failure=row["critical_failure"],
        failed_items=row["failed_count"],
        repeat_findings=row["repeat_count"],
        in_window=row["submitted_at"] >= query.start,
    )
