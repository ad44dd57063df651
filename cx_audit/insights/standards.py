"""The gap ranking of standards: which standards the chain fails, where, and which few matter most.

One aggregate over the item results of each location's latest audit, grouped by item code ×
outlet type × region (a few thousand rows at most, whatever the size of the chain); the totals,
the outlet-type split, the region split and the Pareto view are sums of those rows.

Per standard, over the locations whose latest audit scored it (pass, partial or fail; N/A,
cannot check and "does not apply" are not assessments):
- **failing**: locations whose latest audit failed it (fail or partial — partial is not met);
- **fail rate** = failing ÷ assessed;
- **points lost** = Σ (possible − earned);
- **repeat rate** = repeat findings ÷ failing (failed in the audit before as well).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Cast

from cx_audit.audits.choices import FAILED_OUTCOMES, Outcome
from cx_audit.audits.models.audits import Evidence
from cx_audit.audits.models.results import ItemResult
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.labels import ItemLabel, item_labels, query_regions
from cx_audit.insights.latest import known_latest, of_latest
from cx_audit.insights.maths import pareto, rounded, share
from cx_audit.insights.regions import display_group
from cx_audit.insights.tables import QueryRows
from locations.models import OutletType

SCORED = (Outcome.PASS, Outcome.PARTIAL, Outcome.FAIL)


@dataclass
class _Tally:
    assessed: int = 0
    failing: int = 0
    repeats: int = 0
    lost: Decimal = Decimal(0)
    na: int = 0
    cannot_check: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.assessed += row["assessed"]
        self.failing += row["failing"]
        self.repeats += row["repeats"]
        self.lost += row["lost"] or 0
        self.na += row["na"]
        self.cannot_check += row["cannot_check"]

    @property
    def fail_rate(self) -> Decimal | None:
        return _pct(share(self.failing, self.assessed))

    @property
    def repeat_rate(self) -> Decimal | None:
        return _pct(share(self.repeats, self.failing))


def _pct(fraction: Any) -> Decimal | None:
    return None if fraction is None else rounded(fraction * 100)


@dataclass(frozen=True)
class StandardRow:
    """One standard across the chain, with its place in the Pareto view and its direct/authorized split."""

    rank: int
    item_code: str
    question: str
    section_code: str
    critical: bool
    assessed: int
    failing: int
    fail_rate: Decimal | None
    points_lost: Decimal
    share_of_points_lost: Decimal
    cumulative_share: Decimal
    vital_few: bool
    repeat_findings: int
    repeat_rate: Decimal | None
    na: int
    cannot_check: int
    direct_assessed: int
    direct_failing: int
    direct_fail_rate: Decimal | None
    direct_points_lost: Decimal
    authorized_assessed: int
    authorized_failing: int
    authorized_fail_rate: Decimal | None
    authorized_points_lost: Decimal


@dataclass(frozen=True)
class StandardRegionRow:
    """One standard in one region (rolled up to the level shown: see `regions.display_group`)."""

    item_code: str
    question: str
    region_id: int | None
    region_code: str
    region: str
    assessed: int
    failing: int
    fail_rate: Decimal | None
    points_lost: Decimal
    repeat_findings: int
    repeat_rate: Decimal | None


STANDARD_ORDERINGS = {
    "lost": (lambda row: (-row.points_lost, row.item_code),),
    "fail_rate": (lambda row: (-(row.fail_rate or -1), row.item_code),),
    "failing": (lambda row: (-row.failing, row.item_code),),
    "repeat_rate": (lambda row: (-(row.repeat_rate or -1), row.item_code),),
    "code": (lambda row: row.item_code,),
}


@dataclass(frozen=True)
class StandardsResult:
    standards: list[StandardRow]  # by points lost
    by_region: list[StandardRegionRow]  # by standard (as ranked), then region
    total_points_lost: Decimal


def _tallies() -> dict[str, Any]:
    return {
        "assessed": Count("pk", filter=Q(outcome__in=SCORED)),
        "failing": Count("pk", filter=Q(outcome__in=FAILED_OUTCOMES)),
        "repeats": Count("pk", filter=Q(repeat=True)),
        "lost": Sum(F("possible") - F("earned")),
        "na": Count("pk", filter=Q(outcome=Outcome.NA)),
        "cannot_check": Count("pk", filter=Q(outcome=Outcome.CANNOT_CHECK)),
    }


def _tallied(
    query: InsightQuery, shown: dict[int | None, int | None], by_region: bool
) -> Iterable[dict[str, Any]]:
    """Tallies per item code × outlet type (× region as shown, if ``by_region``) over the latest
    audits: one query.

    When this request has read the latest audits already (`latest.known_latest`: the dashboard),
    it knows which outlet type and region each one is in; the item results are then tallied by
    item code within each such group of audit ids — one aggregate per group, in one statement —
    and never joined to their audits, which costs about a third more on a large chain. Otherwise
    the item results of the latest audits are joined to them and grouped by all three. Each group
    is an aggregate PostgreSQL compiles (JIT) on a large chain, so ask for regions only when shown.
    """
    known = known_latest(query)
    if known is None:
        split = {"outlet_type": F("audit__outlet_type")}
        if by_region:
            split["region_id"] = F("audit__region_id")
        return (
            of_latest(ItemResult.objects.all(), query)
            .values("item_code", **split)
            .annotate(**_tallies())
            .order_by()
        )
    groups: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for audit in known:
        region = shown.get(audit.region_id, audit.region_id) if by_region else None
        groups[audit.outlet_type, region].append(audit.id)
    parts = [
        ItemResult.objects.filter(audit_id__in=ids)
        .values("item_code")
        .annotate(
            outlet_type=Value(outlet_type, output_field=CharField()),
            # typed even when NULL (no region): the parts of a union must agree on each column's type
            region_id=Cast(Value(region_id), output_field=IntegerField()),
            **_tallies(),
        )
        .order_by()
        for (outlet_type, region_id), ids in groups.items()
    ]
    return parts[0].union(*parts[1:], all=True) if parts else []


def standards(query: InsightQuery, *, by_region: bool = True) -> StandardsResult:
    """Every standard scored in the latest audits, ranked by points lost (three queries in all).

    ``by_region=False`` (the dashboard, which shows no region split) leaves ``by_region`` empty.
    """
    regions = query_regions(query)
    shown = display_group(regions, query.region.pk if query.region else None)
    totals: dict[str, _Tally] = defaultdict(_Tally)
    by_type: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    by_region_tallies: dict[tuple[str, int | None], _Tally] = defaultdict(_Tally)
    for row in _tallied(query, shown, by_region):
        code = row["item_code"]
        totals[code].add(row)
        by_type[code, row["outlet_type"]].add(row)
        if by_region:
            by_region_tallies[code, shown.get(row["region_id"], row["region_id"])].add(row)
    labels = item_labels(query.brand)
    ranked = pareto((code, tally.lost) for code, tally in totals.items() if tally.assessed)
    rows = [_standard_row(rank, entry, totals, by_type, labels) for rank, entry in enumerate(ranked, start=1)]
    order = {row.item_code: position for position, row in enumerate(rows)}
    names = {region.id: region for region in regions}
    region_rows = [
        StandardRegionRow(
            item_code=code,
            question=_label(labels, code).question,
            region_id=region_id,
            region_code=names[region_id].code if region_id in names else "",
            region=names[region_id].name if region_id in names else "",
            assessed=tally.assessed,
            failing=tally.failing,
            fail_rate=tally.fail_rate,
            points_lost=rounded(tally.lost),
            repeat_findings=tally.repeats,
            repeat_rate=tally.repeat_rate,
        )
        for (code, region_id), tally in by_region_tallies.items()
        if code in order and tally.assessed
    ]
    region_rows.sort(key=lambda row: (order[row.item_code], row.region_code))
    return StandardsResult(rows, region_rows, rounded(sum((t.lost for t in totals.values()), Decimal(0))))


def _label(labels: dict[str, ItemLabel], code: str) -> ItemLabel:
    return labels.get(code) or ItemLabel(
        code=code, question="", section_code="", critical=False, order=(0, 0)
    )


def _standard_row(
    rank: int,
    entry: Any,
    totals: dict[str, _Tally],
    by_type: dict[tuple[str, str], _Tally],
    labels: dict[str, ItemLabel],
) -> StandardRow:
    code = entry.key
    tally, label = totals[code], _label(labels, code)
    direct = by_type.get((code, OutletType.DIRECT), _Tally())
    authorized = by_type.get((code, OutletType.AUTHORIZED), _Tally())
    return StandardRow(
        rank=rank,
        item_code=code,
        question=label.question,
        section_code=label.section_code,
        critical=label.critical,
        assessed=tally.assessed,
        failing=tally.failing,
        fail_rate=tally.fail_rate,
        points_lost=rounded(tally.lost),
        share_of_points_lost=_pct(entry.share),
        cumulative_share=_pct(entry.cumulative),
        vital_few=entry.vital,
        repeat_findings=tally.repeats,
        repeat_rate=tally.repeat_rate,
        na=tally.na,
        cannot_check=tally.cannot_check,
        direct_assessed=direct.assessed,
        direct_failing=direct.failing,
        direct_fail_rate=direct.fail_rate,
        direct_points_lost=rounded(direct.lost),
        authorized_assessed=authorized.assessed,
        authorized_failing=authorized.failing,
        authorized_fail_rate=authorized.fail_rate,
        authorized_points_lost=rounded(authorized.lost),
    )


def sort_standards(rows: list[StandardRow], ordering: str) -> list[StandardRow]:
    """``rows`` in one of `STANDARD_ORDERINGS`."""
    (key,) = STANDARD_ORDERINGS[ordering]
    return sorted(rows, key=key)


@dataclass(frozen=True)
class FailingLocationRow:
    """A location whose latest audit failed the standard, with the evidence to look at."""

    location_id: int
    location_code: str
    location_name: str
    outlet_type: str
    region: str
    audit_id: int
    submitted_at: datetime
    outcome: str
    points_lost: Decimal
    repeat: bool
    reason: str
    photos: int


def failing_locations(query: InsightQuery, item_code: str) -> QueryRows:
    """The locations failing one standard in their latest audit, the most points lost first."""
    photos = (
        Evidence.objects.filter(answer__audit_id=OuterRef("audit_id"), answer__item_id=OuterRef("item_id"))
        .values("answer__audit_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        of_latest(ItemResult.objects.filter(item_code=item_code, outcome__in=FAILED_OUTCOMES), query)
        .annotate(lost=F("possible") - F("earned"), photos=Subquery(photos), total=Window(Count("pk")))
        .values(
            "audit_id",
            "outcome",
            "lost",
            "repeat",
            "reason",
            "photos",
            "total",
            loc_id=F("audit__location_id"),
            loc_code=F("audit__location__code"),
            loc_name=F("audit__location__name"),
            snap_outlet_type=F("audit__outlet_type"),
            snap_region=F("audit__region__name"),
            when=F("audit__submitted_at"),
        )
        .order_by("-lost", "loc_code")
    )

    def convert(row: dict[str, Any]) -> FailingLocationRow:
        return FailingLocationRow(
            location_id=row["loc_id"],
            location_code=row["loc_code"],
            location_name=row["loc_name"],
            outlet_type=row["snap_outlet_type"],
            region=row["snap_region"] or "",
            audit_id=row["audit_id"],
            submitted_at=row["when"],
            outcome=row["outcome"],
            points_lost=rounded(row["lost"]),
            repeat=row["repeat"],
            reason=row["reason"],
            photos=row["photos"] or 0,
        )

    return QueryRows(rows, convert)
