"""A location's card: its counted audits, latest first, the latest one's stored results, and how
it changed since the audit before — the one builder behind both scorecards.

Why here: HQ's drill into a location (`cx_audit.insights.scorecard`: the window, the rank in the
chain, the regression flag) and the franchisee's scorecard (`cx_audit.scorecards.data`:
amendments, disputes, photos, corrective actions, the benchmark) are built on this card. Insights
and scorecards are siblings that may not import each other, and the franchisee's additions need
actions and disputes, which audits may not import; so what both read lives here, below both.

Two statements, whatever the history: the audits (scoped by the caller), then the latest audit's
sections, dimensions and failed standards (those asked for, ``UNION ALL``), together with any
figures the caller reads beside them in the same statement (`Beside`: the rank, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, TypeVar

from django.db import connection
from django.db.models import BooleanField, CharField, DecimalField, F, QuerySet, Value
from django.db.models.functions import Cast

from cx_audit.audits.choices import FAILED_OUTCOMES
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import DimensionResult, ItemResult, SectionResult
from cx_audit.audits.noscore import no_score_reason
from locations.models import Location

LATEST_FIRST = ("-submitted_at", "-pk")
SECTIONS, DIMENSIONS, FAILED_ITEMS = "section", "dimension", "item"
ALL_RESULTS = (SECTIONS, DIMENSIONS, FAILED_ITEMS)


@dataclass(frozen=True)
class AuditLine:
    """One audit of the card's history (``in_window``: submitted since the card's ``since``)."""

    audit_id: int
    submitted_at: datetime
    kind: str
    score: Decimal | None  # None: visited, not scored (why: ``no_score_reason``)
    band: str
    critical_failure: bool
    failed_items: int
    repeat_findings: int
    in_window: bool
    no_score_reason: str = ""

    @classmethod
    def of(cls, audit: Audit, since: datetime | None = None) -> AuditLine:
        return cls(
            audit_id=audit.pk,
            submitted_at=audit.submitted_at,
            kind=audit.kind,
            score=audit.score,
            band=audit.band,
            critical_failure=audit.critical_failure,
            failed_items=audit.failed_count,
            repeat_findings=audit.repeat_count,
            in_window=since is None or audit.submitted_at >= since,
            no_score_reason=no_score_reason(audit.score, audit.na_count, audit.cannot_check_count),
        )


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


@dataclass(frozen=True)
class Beside:
    """Figures a reader wants in the same statement as the latest audit's results.

    ``sql``: common table expressions (without ``WITH``), the last of them named ``beside`` and
    holding exactly one row, whose columns the card keeps in `LocationCard.beside`.
    """

    sql: str
    params: list


class Keyed(Protocol):
    key_rank: int | None


D = TypeVar("D", bound=Keyed)


def key_dimensions(dimensions: Sequence[D]) -> list[D]:
    """The key experiences (the Delta model's, docs/scoring.md §6): dimensions with a key rank, in it."""
    return sorted((d for d in dimensions if d.key_rank), key=lambda d: d.key_rank or 0)


@dataclass
class LocationCard:
    location: Location
    audits: list[Audit]  # the location's audits among those the card was built from, latest first
    since: datetime | None = None  # the latest audit counts only when submitted since then
    sections: list[SectionLine] = field(default_factory=list)
    dimensions: list[DimensionLine] = field(default_factory=list)
    failed_items: list[FailedItemLine] = field(default_factory=list)
    beside: dict[str, Any] = field(default_factory=dict)

    @property
    def latest(self) -> Audit | None:
        if not self.audits or (self.since is not None and self.audits[0].submitted_at < self.since):
            return None
        return self.audits[0]

    @property
    def previous(self) -> Audit | None:
        """The audit before the latest one, even when it lies before ``since``."""
        return self.audits[1] if self.latest is not None and len(self.audits) > 1 else None

    @property
    def change(self) -> Decimal | None:
        latest, previous = self.latest, self.previous
        if latest is None or previous is None or latest.score is None or previous.score is None:
            return None
        return latest.score - previous.score

    @property
    def lines(self) -> list[AuditLine]:
        """Every audit of the card as a line, latest first."""
        return [AuditLine.of(audit, self.since) for audit in self.audits]

    @property
    def key_experiences(self) -> list[DimensionLine]:
        return key_dimensions(self.dimensions)


def location_card(
    location: Location,
    *,
    audits: QuerySet,
    limit: int | None = None,
    since: datetime | None = None,
    related: tuple[str, ...] = (),
    results: tuple[str, ...] = ALL_RESULTS,
    beside: Beside | None = None,
) -> LocationCard:
    """The card of ``location`` from ``audits`` (already scoped: the caller's user, filters, kinds).

    ``limit``: the newest audits only; ``since``: the latest audit counts only when submitted
    since then (otherwise the card has none, and no results are read); ``related``: relations of
    the audits to read with them; ``results``: which of the latest audit's results to read.
    One statement, two when there is a latest audit.
    """
    newest = audits.filter(location=location).select_related(*related).order_by(*LATEST_FIRST)
    card = LocationCard(location=location, audits=list(newest[:limit]), since=since)
    if card.latest is not None and (results or beside):
        card.sections, card.dimensions, card.failed_items, card.beside = _results(
            card.latest.pk, results, beside
        )
    return card


# The latest audit's results in one statement: each part's rows padded to the same columns.
_NUMBERS = 8
_TEXTS = ("code", "name", "section", "outcome", "reason")
_FLAGS = ("repeat", "critical")
_NUMBER = DecimalField(max_digits=14, decimal_places=4)
_SECTION_NUMBERS = ("score", "passed", "failed", "na", "cannot_check")
_DIMENSION_NUMBERS = (
    "experience",
    "expectation",
    "ideal",
    "importance",
    "satisfaction",
    "weighted_satisfaction",
    "ideal_gap",
    "key_rank",
)


def _part(results: QuerySet, part: str, numbers: tuple[Any, ...], **columns: Any) -> QuerySet:
    """One part of the union: part, code, name, section_code, outcome, reason, repeat, critical,
    eight numbers (padded with nulls) and two ordering keys, in that order."""
    text = {name: columns.get(name, Value("", CharField())) for name in _TEXTS}
    flags = {name: columns.get(name, Value(False, BooleanField())) for name in _FLAGS}
    # Typed nulls: PostgreSQL reads an untyped NULL in the first part of a union as text.
    padded = [*numbers, *[Cast(Value(None), _NUMBER)] * (_NUMBERS - len(numbers))]
    # Named apart from the models' own fields ("section", "outcome"…), which annotations may not shadow.
    values = {
        "u_part": Value(part, CharField()),
        **{f"u_{name}": value for name, value in text.items()},
        **{f"u_{name}": value for name, value in flags.items()},
        **{
            f"u_n{index}": F(number) if isinstance(number, str) else number
            for index, number in enumerate(padded)
        },
        "u_o1": columns["o1"],
        "u_o2": columns["o2"],
    }
    return results.order_by().values(**values)


def _parts(audit_id: int) -> dict[str, QuerySet]:
    return {
        FAILED_ITEMS: _part(
            ItemResult.objects.filter(audit_id=audit_id, outcome__in=FAILED_OUTCOMES),
            FAILED_ITEMS,
            (F("possible") - F("earned"),),
            code=F("item_code"),
            name=F("item__question"),
            section=F("section_code"),
            outcome=F("outcome"),
            reason=F("reason"),
            repeat=F("repeat"),
            critical=F("critical_failed"),
            o1=F("item__section__order"),
            o2=F("item__order"),
        ),
        SECTIONS: _part(
            SectionResult.objects.filter(audit_id=audit_id),
            SECTIONS,
            _SECTION_NUMBERS,
            code=F("section_code"),
            name=F("section__name"),
            o1=F("section__order"),
            o2=F("pk"),
        ),
        DIMENSIONS: _part(
            DimensionResult.objects.filter(audit_id=audit_id),
            DIMENSIONS,
            _DIMENSION_NUMBERS,
            code=F("dimension_code"),
            name=F("dimension__name"),
            o1=F("dimension__order"),
            o2=F("pk"),
        ),
    }


def _results(
    audit_id: int, wanted: tuple[str, ...], beside: Beside | None
) -> tuple[list[SectionLine], list[DimensionLine], list[FailedItemLine], dict[str, Any]]:
    """The audit's sections (checklist order), dimensions (framework order) and failed standards
    (the most points lost first) that are ``wanted``, and the ``beside`` row: one statement."""
    # Failed standards first, as the union has always been written (points lost carry four places).
    parts = [part for name, part in _parts(audit_id).items() if name in wanted]
    sql, params = "", []
    if parts:
        sql, params = parts[0].union(*parts[1:], all=True).query.sql_with_params()
    if beside is not None:
        joined = f"LEFT JOIN ({sql}) r ON 1 = 1" if parts else ""
        columns = "r.*, beside.*" if parts else "beside.*"
        sql, params = f"WITH {beside.sql} SELECT {columns} FROM beside {joined}", [*beside.params, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    extra = (
        {}
        if beside is None or not rows
        else {name: rows[0][name] for name in names if not name.startswith("u_")}
    )
    return (
        [_section(row) for row in sorted(_of(rows, SECTIONS), key=lambda row: (row["u_o1"], row["u_o2"]))],
        [
            _dimension(row)
            for row in sorted(_of(rows, DIMENSIONS), key=lambda row: (row["u_o1"], row["u_o2"]))
        ],
        [
            _failed_item(row)
            for row in sorted(
                _of(rows, FAILED_ITEMS),
                key=lambda row: (-_number(row["u_n0"], 4), row["u_o1"], row["u_o2"], row["u_code"]),
            )
        ],
        extra,
    )


def _of(rows: list[dict[str, Any]], part: str) -> list[dict[str, Any]]:
    return [row for row in rows if row.get("u_part") == part]


_FOUR = Decimal("0.0001")
_CENT = Decimal("0.01")


def _number(value: Any, places: int) -> Decimal | None:
    """A padded number back to its column's places: the union's column has one type for all parts,
    and SQLite hands numbers back as floats."""
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(str(value)).quantize(_FOUR)
    return exact.quantize(Decimal(1).scaleb(-places))


def _count(value: Any) -> int | None:
    return None if value is None else int(value)


def _section(row: dict[str, Any]) -> SectionLine:
    return SectionLine(
        section_code=row["u_code"],
        section=row["u_name"],
        score=_number(row["u_n0"], 2),
        passed=_count(row["u_n1"]),
        failed=_count(row["u_n2"]),
        na=_count(row["u_n3"]),
        cannot_check=_count(row["u_n4"]),
    )


def _dimension(row: dict[str, Any]) -> DimensionLine:
    return DimensionLine(
        dimension_code=row["u_code"],
        dimension=row["u_name"],
        experience=_number(row["u_n0"], 2),
        expectation=_number(row["u_n1"], 1),
        ideal=_number(row["u_n2"], 1),
        importance=_number(row["u_n3"], 1),
        satisfaction=_number(row["u_n4"], 2),
        weighted_satisfaction=_number(row["u_n5"], 2),
        ideal_gap=_number(row["u_n6"], 2),
        key_rank=_count(row["u_n7"]),
    )


def _failed_item(row: dict[str, Any]) -> FailedItemLine:
    return FailedItemLine(
        item_code=row["u_code"],
        question=row["u_name"],
        section_code=row["u_section"],
        outcome=row["u_outcome"],
        points_lost=_number(row["u_n0"], 4).quantize(_CENT, rounding=ROUND_HALF_UP),
        repeat=bool(row["u_repeat"]),
        critical=bool(row["u_critical"]),
        reason=row["u_reason"],
    )
