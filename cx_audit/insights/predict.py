"""Do audit scores predict NPS? The question HQ asks of the whole audit programme (DESIGN §6).

Across the brand's locations that have both a scored latest audit in the window (the league's:
same filters, same audits) and NPS answers in the same window, Spearman's rank correlation
(`cx_audit.voice.correlation`) of the audit score against NPS — and of each section's score of that
audit against NPS, to say *which* sections customers feel. Every row carries its n; below
`correlation.MIN_LOCATIONS` (30) ρ is shown for reference and no claim is made.

A location counts with at least `MIN_ANSWERS` NPS answers: an NPS from two customers is ±100 by
chance, and would rank the store at an extreme. Those with fewer are counted and said, not hidden.
Five queries, whatever the chain: the latest audits, their section scores, the section names, the
location names and one aggregate over the window's feedback.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cx_audit.audits.models.results import SectionResult
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.labels import section_labels
from cx_audit.insights.latest import latest_set, of_latest
from cx_audit.insights.maths import rounded
from cx_audit.voice.correlation import MIN_LOCATIONS, Correlation, describe, spearman
from cx_audit.voice.metrics import nps
from cx_audit.voice.sidebyside import window_feedback
from cx_audit.voice.tallies import tallies_by
from locations.models import Location

MIN_ANSWERS = 5


@dataclass(frozen=True)
class PredictPoint:
    """One location compared: its latest audit's score in the window and its NPS over the window."""

    location_id: int
    location_code: str
    location_name: str
    score: Decimal
    nps: Decimal
    nps_answers: int


@dataclass(frozen=True)
class PredictRow:
    """ρ of one measure of the audit (its score, or one section's) against NPS, with its n."""

    code: str  # the section's code; "" for the audit score itself
    name: str
    rho: float | None
    n: int
    claim: bool
    strength: str | None  # none, weak, moderate, strong (None without ρ)
    direction: str | None  # positive, negative (None without ρ, or ρ = 0)
    reading: str  # `correlation.describe`, in plain words


@dataclass(frozen=True)
class Prediction:
    overall: PredictRow
    sections: list[PredictRow]
    points: list[PredictPoint]  # the locations of the overall row, best audit score first
    too_few_answers: int  # locations with a score and 1 to MIN_ANSWERS − 1 NPS answers, left out
    min_locations: int = MIN_LOCATIONS
    min_answers: int = MIN_ANSWERS


def _row(code: str, name: str, corr: Correlation, what: str) -> PredictRow:
    return PredictRow(
        code=code,
        name=name,
        rho=None if corr.rho is None else round(corr.rho, 4),
        n=corr.n,
        claim=corr.claim,
        strength=corr.strength,
        direction=corr.direction,
        reading=describe(corr, x=what),
    )


def predict(query: InsightQuery) -> Prediction:
    """ρ overall and per section over the locations of ``query`` (an HQ user's: one brand)."""
    latest = [row for row in latest_set(query) if row.score is not None]
    tallies = tallies_by(
        window_feedback(query.brand.pk, query.start, query.end).filter(nps__isnull=False), "location_id"
    )
    scored = {row.location_id: row for row in latest}
    counted = {pk: t for pk, t in tallies.items() if pk in scored and t.nps_n >= MIN_ANSWERS}
    too_few = sum(1 for pk, t in tallies.items() if pk in scored and 0 < t.nps_n < MIN_ANSWERS)
    names = {
        pk: (code, name)
        for pk, code, name in Location.objects.filter(brand=query.brand).values_list("pk", "code", "name")
    }
    points = sorted(
        (
            PredictPoint(pk, *names[pk], scored[pk].score, nps(tally), tally.nps_n)
            for pk, tally in counted.items()
        ),
        key=lambda point: (-point.score, point.location_code),
    )
    overall = _row("", _("Audit score"), spearman([(p.score, p.nps) for p in points]), "audit score")
    return Prediction(overall, _sections(query, scored, points), points, too_few)


def _sections(query: InsightQuery, scored: dict[int, Any], points: list[PredictPoint]) -> list[PredictRow]:
    """One row per section of the brand's framework, in checklist order, over the compared locations
    whose latest audit scored that section (a section that did not apply has no score)."""
    location_of = {scored[p.location_id].id: p for p in points}
    pairs: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    results = of_latest(SectionResult.objects.filter(score__isnull=False), query)
    for audit_id, code, score in results.values_list("audit_id", "section_code", "score"):
        if (point := location_of.get(audit_id)) is not None:
            pairs[code].append((rounded(score), point.nps))
    labels = sorted(section_labels(query.brand).values(), key=lambda label: (label.order, label.code))
    return [
        _row(label.code, label.name, spearman(pairs.get(label.code, [])), f"{label.name} score")
        for label in labels
    ]
