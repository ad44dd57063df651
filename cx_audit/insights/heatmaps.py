"""Heat maps: location × section (section scores of latest audits) and touchpoint × region (pooled points).

Columns are keyed by code — section codes, region codes — so an export keeps its columns when
a new framework version renames a section. Cells are 0–100; an empty cell means nothing there
was scored (a section that did not apply, a region without that touchpoint).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from operator import attrgetter

from django.db.models import F, Sum

from cx_audit.audits.models.results import ItemResult, SectionResult
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.labels import Label, query_regions, section_labels, touchpoint_labels
from cx_audit.insights.latest import of_latest
from cx_audit.insights.maths import pooled_pct, rounded
from cx_audit.insights.rankings import LeagueRow, LeagueRows, league
from cx_audit.insights.regions import display_group
from cx_audit.insights.standards import SCORED

# More rows than this on one page: the section scores are fetched with the latest-audit subquery
# instead of a list of ids (a CSV of the whole chain).
IDS_IN_ONE_QUERY = 1000


@dataclass
class SectionHeatRow(LeagueRow):
    """A league row with the section scores of the same audit."""

    sections: dict[str, Decimal | None] = field(default_factory=dict)  # section code → section score


def section_columns(query: InsightQuery) -> list[Label]:
    """The sections, in checklist order."""
    return sorted(section_labels(query.brand).values(), key=lambda label: (label.order, label.code))


def location_sections(query: InsightQuery, ordering: str) -> LeagueRows:
    """The league in one of its orderings with each location's section scores, a page at a time."""
    return replace(league(query, ordering), enrich=lambda page: with_sections(query, page))


_LEAGUE_FIELDS = attrgetter(*(part.name for part in fields(LeagueRow)))


def with_sections(query: InsightQuery, rows: list[LeagueRow]) -> list[SectionHeatRow]:
    """League rows with the section scores of their audits: one query."""
    results = SectionResult.objects.all()
    if len(rows) > IDS_IN_ONE_QUERY:
        results = of_latest(results, query)
    else:
        results = results.filter(audit_id__in=[row.audit_id for row in rows])
    scores: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for audit_id, code, score in results.values_list("audit_id", "section_code", "score"):
        scores[audit_id][code] = rounded(score)
    return [SectionHeatRow(*_LEAGUE_FIELDS(row), sections=scores.get(row.audit_id, {})) for row in rows]


@dataclass(frozen=True)
class TouchpointHeatRow:
    touchpoint_code: str
    touchpoint: str
    pooled_pct: Decimal | None  # across every region shown
    regions: dict[str, Decimal | None]  # region code → pooled points


@dataclass(frozen=True)
class TouchpointHeatMap:
    regions: list[tuple[str, str]]  # (code, name) of the columns, "" for locations without a region
    rows: list[TouchpointHeatRow]


def touchpoint_regions(query: InsightQuery) -> TouchpointHeatMap:
    """Pooled points per touchpoint and region over the latest audits (one aggregate, two label queries)."""
    nodes = query_regions(query)
    shown = display_group(nodes, query.region.pk if query.region else None)
    by_id = {node.id: node for node in nodes}
    sums: dict[str, dict[str, list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])
    )
    for row in (
        of_latest(ItemResult.objects.filter(outcome__in=SCORED, item__touchpoint__isnull=False), query)
        .values(code=F("item__touchpoint__code"), region_id=F("audit__region_id"))
        .annotate(earned=Sum("earned"), possible=Sum("possible"))
        .order_by()
    ):
        group = shown.get(row["region_id"], row["region_id"])
        column = by_id[group].code if group in by_id else ""
        for key in (column, None):
            cell = sums[row["code"]][key]
            cell[0] += row["earned"] or 0
            cell[1] += row["possible"] or 0
    columns = sorted({key for cells in sums.values() for key in cells if key is not None})
    names = {node.code: node.name for node in nodes}
    labels = touchpoint_labels(query.brand)
    codes = sorted(sums, key=lambda code: (labels[code].order if code in labels else 0, code))
    return TouchpointHeatMap(
        regions=[(code, names.get(code, "—")) for code in columns],
        rows=[
            TouchpointHeatRow(
                touchpoint_code=code,
                touchpoint=labels[code].name if code in labels else code,
                pooled_pct=rounded(pooled_pct(*sums[code][None])),
                regions={
                    column: rounded(pooled_pct(*sums[code][column])) if column in sums[code] else None
                    for column in columns
                },
            )
            for code in codes
        ],
    )
