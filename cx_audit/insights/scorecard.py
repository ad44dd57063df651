"""One location as HQ drills into it: its latest audit, its place in the chain, its history.

Two queries, whatever the size of the chain: the location's counted audits with its rank among
the brand's latest audits in the window (one statement), then the latest audit's sections,
dimensions and failed standards (one statement, ``UNION ALL``). The audit page (`/audits/<id>/`)
then shows every answer with its photos.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, CharField, DecimalField, F, QuerySet, Value
from django.db.models.functions import Cast

from cx_audit.audits.models.results import DimensionResult, ItemResult, SectionResult
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.latest import latest_sql
from cx_audit.insights.maths import rounded
from cx_audit.insights.rankings import days_between
from cx_audit.insights.standards import FAILED
from cx_audit.insights.tables import db_datetime, db_decimal
from locations.models import Location


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
    audits, higher, ranked = _history(query, location)
    card.history = [line for line in audits if line.in_window]
    if not card.history:
        return card
    card.latest = latest = audits[0]
    card.previous = audits[1] if len(audits) > 1 else None
    card.days_since_audit = days_between(latest.submitted_at, query.today)
    if card.previous is not None:
        card.change = latest.score - card.previous.score
        card.regression = card.change < -query.brand.regression_threshold
    # Rank as in the league: 1 + the locations scoring strictly more.
    card.rank, card.ranked = higher + 1, ranked
    card.sections, card.dimensions, card.failed_items = _results(latest.audit_id)
    return card


HISTORY_COLUMNS = (
    "id",
    "submitted_at",
    "kind",
    "score",
    "band",
    "critical_failure",
    "failed_count",
    "repeat_count",
)


def _history(query: InsightQuery, location: Location) -> tuple[list[AuditLine], int, int]:
    """The location's counted audits, latest first, and (locations scoring more, locations ranked)
    among the brand's latest audits in the window — one statement.

    The rank is taken against the location's own row of the latest audits, which is its newest
    audit here whenever that lies in the window (otherwise the card shows no rank). Scores are
    compared in whole hundredths, so that SQLite's floating point cannot split a tie.
    """
    latest, latest_params = latest_sql(
        query, previous=(), columns=("id", "location_id", "score", "submitted_at")
    )
    history, history_params = (
        query.audits.filter(location=location).order_by().values(*HISTORY_COLUMNS).query.sql_with_params()
    )
    sql = (
        f"WITH latest AS ({latest}), "
        "mine AS (SELECT score FROM latest WHERE location_id = %s), "
        "standing AS (SELECT COALESCE(SUM(CASE WHEN ROUND(l.score * 100) > ROUND(m.score * 100) "
        "THEN 1 ELSE 0 END), 0) AS higher, COUNT(*) AS ranked FROM latest l CROSS JOIN mine m) "
        f"SELECT h.*, standing.higher, standing.ranked FROM ({history}) h CROSS JOIN standing "
        "ORDER BY h.submitted_at DESC, h.id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*latest_params, location.pk, *history_params])
        rows = cursor.fetchall()
    lines = [_line(row, query) for row in rows]
    return lines, (int(rows[0][-2]) if rows else 0), (int(rows[0][-1]) if rows else 0)


def _line(row: tuple, query: InsightQuery) -> AuditLine:
    submitted_at = db_datetime(row[1])
    return AuditLine(
        audit_id=row[0],
        submitted_at=submitted_at,
        kind=row[2],
        score=rounded(db_decimal(row[3])),
        band=row[4],
        critical_failure=bool(row[5]),
        failed_items=row[6],
        repeat_findings=row[7],
        in_window=submitted_at >= query.start,
    )


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


def _results(audit_id: int) -> tuple[list[SectionLine], list[DimensionLine], list[FailedItemLine]]:
    """The latest audit's sections (checklist order), dimensions (framework order) and failed
    standards (the most points lost first): one statement."""
    sections = _part(
        SectionResult.objects.filter(audit_id=audit_id),
        "section",
        _SECTION_NUMBERS,
        code=F("section_code"),
        name=F("section__name"),
        o1=F("section__order"),
        o2=F("pk"),
    )
    dimensions = _part(
        DimensionResult.objects.filter(audit_id=audit_id),
        "dimension",
        _DIMENSION_NUMBERS,
        code=F("dimension_code"),
        name=F("dimension__name"),
        o1=F("dimension__order"),
        o2=F("pk"),
    )
    failed = _part(
        ItemResult.objects.filter(audit_id=audit_id, outcome__in=FAILED),
        "item",
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
    )
    # Failed standards first: the first part's columns decide how each column is read back, and
    # points lost carry four places.
    rows = list(failed.union(sections, dimensions, all=True))
    return (
        [_section(row) for row in sorted(_of(rows, "section"), key=lambda row: (row["u_o1"], row["u_o2"]))],
        [
            _dimension(row)
            for row in sorted(_of(rows, "dimension"), key=lambda row: (row["u_o1"], row["u_o2"]))
        ],
        [
            _failed_item(row)
            for row in sorted(
                _of(rows, "item"), key=lambda row: (-row["u_n0"], row["u_o1"], row["u_o2"], row["u_code"])
            )
        ],
    )


def _of(rows: list[dict[str, Any]], part: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["u_part"] == part]


def _number(value: Any, places: int) -> Decimal | None:
    """A padded number back to its column's places (the union's column has one type for all parts)."""
    return None if value is None else db_decimal(value, 4).quantize(Decimal(1).scaleb(-places))


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
        points_lost=rounded(_number(row["u_n0"], 4)),
        repeat=bool(row["u_repeat"]),
        critical=bool(row["u_critical"]),
        reason=row["u_reason"],
    )
