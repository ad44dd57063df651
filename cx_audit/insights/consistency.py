"""How uniform the chain is: per section and per standard, and one chain consistency index.

For sections and standards the database returns distributions, not rows per location: how many
latest audits have each section score (per section and outlet type) and each item fraction (per
standard and outlet type). The chain index counts the latest scores from the latest audits the
request has read once for all its figures (`latest.latest_set`, one row per location). Quartiles
come from those counts (`maths.spread`, one sort per distribution).

- **Meeting the standard**: a standard is met where it passed (fraction 1); a section is met
  where none of its scored standards failed (no fail, no partial).
- **Spread**: median and interquartile range (Q3 − Q1) of the scores across locations.
- **Consistency** = 100 − IQR; the **chain consistency index** is that of the locations' scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.db.models import Count, F, Q

from cx_audit.audits.models.results import ItemResult, SectionResult
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.labels import item_labels, section_labels
from cx_audit.insights.latest import grouped, of_latest
from cx_audit.insights.maths import rounded, share, spread
from cx_audit.insights.standards import SCORED
from cx_audit.insights.sums import AuditSums, total
from locations.models import OutletType

ALL = "all"


@dataclass(frozen=True)
class ConsistencyFigures:
    """One group's consistency: how many, how many met, and the spread of their scores."""

    count: int
    meeting: int
    meeting_share: Decimal | None  # % of the group meeting the standard
    median: Decimal | None
    q1: Decimal | None
    q3: Decimal | None
    iqr: Decimal | None
    consistency: Decimal | None  # 100 − IQR


def figures(histogram: list[tuple[Any, int]], meeting: int) -> ConsistencyFigures:
    spread_ = spread(histogram)
    ratio = share(meeting, spread_.count)
    return ConsistencyFigures(
        count=spread_.count,
        meeting=meeting,
        meeting_share=None if ratio is None else rounded(ratio * 100),
        median=rounded(spread_.median),
        q1=rounded(spread_.q1),
        q3=rounded(spread_.q3),
        iqr=rounded(spread_.iqr),
        consistency=rounded(spread_.consistency),
    )


@dataclass(frozen=True)
class ChainConsistency:
    """The chain consistency index, for the whole selection and direct vs authorized."""

    all: ConsistencyFigures
    direct: ConsistencyFigures
    authorized: ConsistencyFigures

    @property
    def index(self) -> Decimal | None:
        return self.all.consistency


def chain_consistency(query: InsightQuery) -> ChainConsistency:
    """From the distribution of the latest scores (`latest_set`, shared with the page's other tables).

    "Meeting" here: no critical failure.
    """
    by_type = grouped(query, "outlet_type", attrgetter("outlet_type"))
    whole = total(by_type.values())
    direct = by_type.get(OutletType.DIRECT, AuditSums())
    authorized = by_type.get(OutletType.AUTHORIZED, AuditSums())
    return ChainConsistency(
        all=figures(whole.histogram, whole.clean),
        direct=figures(direct.histogram, direct.clean),
        authorized=figures(authorized.histogram, authorized.clean),
    )


def _flat(prefix: str, group: ConsistencyFigures) -> dict[str, Any]:
    return {
        f"{prefix}locations": group.count,
        f"{prefix}meeting": group.meeting,
        f"{prefix}meeting_share": group.meeting_share,
        f"{prefix}median": group.median,
        f"{prefix}iqr": group.iqr,
        f"{prefix}consistency": group.consistency,
    }


@dataclass(frozen=True)
class SectionConsistencyRow:
    """A section across the chain: share of locations meeting it and the spread of its scores."""

    section_code: str
    section: str
    locations: int
    meeting: int
    meeting_share: Decimal | None
    median: Decimal | None
    q1: Decimal | None
    q3: Decimal | None
    iqr: Decimal | None
    consistency: Decimal | None
    direct_locations: int
    direct_meeting: int
    direct_meeting_share: Decimal | None
    direct_median: Decimal | None
    direct_iqr: Decimal | None
    direct_consistency: Decimal | None
    authorized_locations: int
    authorized_meeting: int
    authorized_meeting_share: Decimal | None
    authorized_median: Decimal | None
    authorized_iqr: Decimal | None
    authorized_consistency: Decimal | None


def section_consistency(query: InsightQuery) -> list[SectionConsistencyRow]:
    """Sections in checklist order (one query for the distributions, one for the names)."""
    histograms: dict[tuple[str, str], list[tuple[Any, int]]] = defaultdict(list)
    meeting: dict[tuple[str, str], int] = defaultdict(int)
    for row in (
        of_latest(SectionResult.objects.filter(score__isnull=False), query)
        .values("section_code", "score", outlet_type=F("audit__outlet_type"))
        .annotate(n=Count("pk"), met=Count("pk", filter=Q(failed=0)))
        .order_by()
    ):
        for group in (ALL, row["outlet_type"]):
            histograms[row["section_code"], group].append((row["score"], row["n"]))
            meeting[row["section_code"], group] += row["met"]
    labels = section_labels(query.brand)
    codes = sorted({code for code, _ in histograms}, key=lambda c: (labels[c].order if c in labels else 0, c))
    rows = []
    for code in codes:
        parts = {
            prefix: figures(histograms[code, group], meeting[code, group])
            for prefix, group in (
                ("", ALL),
                ("direct_", OutletType.DIRECT),
                ("authorized_", OutletType.AUTHORIZED),
            )
        }
        whole = parts[""]
        rows.append(
            SectionConsistencyRow(
                section_code=code,
                section=labels[code].name if code in labels else code,
                locations=whole.count,
                meeting=whole.meeting,
                meeting_share=whole.meeting_share,
                median=whole.median,
                q1=whole.q1,
                q3=whole.q3,
                iqr=whole.iqr,
                consistency=whole.consistency,
                **{
                    key: value
                    for prefix in ("direct_", "authorized_")
                    for key, value in _flat(prefix, parts[prefix]).items()
                },
            )
        )
    return rows


@dataclass(frozen=True)
class ItemConsistencyRow:
    """A standard across the chain: share of locations meeting it, the spread of its fraction (0–100)."""

    item_code: str
    question: str
    section_code: str
    assessed: int
    meeting: int
    meeting_share: Decimal | None
    median: Decimal | None
    iqr: Decimal | None
    direct_assessed: int
    direct_meeting_share: Decimal | None
    authorized_assessed: int
    authorized_meeting_share: Decimal | None
    direct_minus_authorized: Decimal | None  # points of meeting share


ITEM_CONSISTENCY_ORDERINGS = {
    "meeting": (lambda row: (row.meeting_share if row.meeting_share is not None else 101, row.item_code),),
    "-meeting": (lambda row: (-(row.meeting_share or 0), row.item_code),),
    "gap": (lambda row: (-abs(row.direct_minus_authorized or 0), row.item_code),),
    "code": (lambda row: row.item_code,),
}


def item_consistency(query: InsightQuery) -> list[ItemConsistencyRow]:
    """Standards, the least met first (one query for the distributions, one for the wording)."""
    histograms: dict[tuple[str, str], list[tuple[Any, int]]] = defaultdict(list)
    for row in (
        of_latest(ItemResult.objects.filter(outcome__in=SCORED), query)
        .values("item_code", "fraction", outlet_type=F("audit__outlet_type"))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        value = None if row["fraction"] is None else row["fraction"] * 100
        for group in (ALL, row["outlet_type"]):
            histograms[row["item_code"], group].append((value, row["n"]))
    labels = item_labels(query.brand)
    rows = []
    for code in sorted({code for code, _ in histograms}):
        parts = {
            group: figures(
                histograms[code, group], sum(n for value, n in histograms[code, group] if value == 100)
            )
            for group in (ALL, OutletType.DIRECT, OutletType.AUTHORIZED)
        }
        whole, direct, authorized = parts[ALL], parts[OutletType.DIRECT], parts[OutletType.AUTHORIZED]
        gap = (
            None
            if direct.meeting_share is None or authorized.meeting_share is None
            else direct.meeting_share - authorized.meeting_share
        )
        rows.append(
            ItemConsistencyRow(
                item_code=code,
                question=labels[code].question if code in labels else "",
                section_code=labels[code].section_code if code in labels else "",
                assessed=whole.count,
                meeting=whole.meeting,
                meeting_share=whole.meeting_share,
                median=whole.median,
                iqr=whole.iqr,
                direct_assessed=direct.count,
                direct_meeting_share=direct.meeting_share,
                authorized_assessed=authorized.count,
                authorized_meeting_share=authorized.meeting_share,
                direct_minus_authorized=gap,
            )
        )
    return rows
