"""Every insight table, declared once: its selector, its row, its orderings and its CSV columns.

The pages (`cx_audit.insights.pages`) and the API (`cx_audit.insights.api`) are two renderings of
these declarations: both read what a request asks of a table here (`InsightTable.asked`: the
ordering, a ``by`` or a standard's code), page it with `tables.read_page`, and the API writes it
out as JSON or CSV, its OpenAPI description included. A table's name is its API route's
(``insights-<name>``), which the pages link their CSV downloads to, and its CSV file's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cx_audit.insights import comparisons, consistency, heatmaps, rankings, standards, trends
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.tables import BadParameter, ListRows, RowSource, UnknownOrdering, columns


@dataclass(frozen=True)
class Argument:
    """A parameter choosing what a table shows besides the filters: ``by``, a standard's code."""

    name: str
    description: str  # in the OpenAPI document
    choices: tuple[str, ...] = ()  # none: any text, which must be given
    default: str | None = None
    missing: Any = ""  # the message when a value without choices is missing
    names_file: bool = False  # the CSV file is named for the value too ("comparisons-region")

    def read(self, params: Mapping[str, str], message: str | None = None) -> str:
        """The value asked for; ``message`` (with ``%(choices)s``) says what to use instead."""
        if not self.choices:
            value = params.get(self.name, "").strip()
            if not value:
                raise BadParameter(self.name, str(self.missing))
            return value
        value = params.get(self.name) or self.default
        if value not in self.choices:
            text = message or _("Use one of: %(choices)s.")
            raise BadParameter(self.name, text % {"choices": ", ".join(self.choices)})
        return value


@dataclass(frozen=True)
class Asked:
    """What a request asks of a table, read and checked: an ordering it offers, its argument."""

    ordering: str | None = None
    argument: str | None = None


@dataclass(frozen=True)
class Spread:
    """A dict field written to CSV as one column per key (codes: an export keeps its columns)."""

    field: str
    keys: Callable[[InsightQuery], list[str]]


@dataclass(frozen=True)
class InsightTable:
    name: str
    description: str  # what the table is (the API operation's description)
    row: type  # the rows' dataclass: the JSON fields, the CSV columns, the OpenAPI schema
    rows: Callable[[InsightQuery, Asked], RowSource]  # the selector
    orderings: Mapping[str, Any] | None = None
    default_order: str | None = None
    argument: Argument | None = None
    spread: Spread | None = None  # CSV only; JSON keeps the field as an object

    @property
    def api_name(self) -> str:
        return f"insights-{self.name}"

    def asked(self, params: Mapping[str, str], message: str | None = None) -> Asked:
        """The ordering (the default when none is asked) and the argument of a request (400 otherwise)."""
        ordering = None
        if self.orderings:
            ordering = params.get("ordering") or self.default_order
            if ordering not in self.orderings:
                raise UnknownOrdering(ordering, self.orderings)
        argument = self.argument.read(params, message) if self.argument else None
        return Asked(ordering, argument)

    def source(self, query: InsightQuery, asked: Asked | None = None) -> RowSource:
        """The table's rows as asked (by default: its default ordering and argument)."""
        if asked is None:
            asked = Asked(self.default_order, self.argument.default if self.argument else None)
        return self.rows(query, asked)

    def csv_columns(self, query: InsightQuery) -> list[str]:
        fields = columns(self.row)
        if self.spread is None:
            return fields
        return [name for name in fields if name != self.spread.field] + self.spread.keys(query)

    def csv_rows(self, rows: list[Any]) -> list[Any]:
        """The rows as the CSV writer takes them: dataclass rows, or dicts keyed by column."""
        if self.spread is None:
            return rows
        fixed = [name for name in columns(self.row) if name != self.spread.field]
        spread = self.spread.field
        return [{**{name: getattr(row, name) for name in fixed}, **getattr(row, spread)} for row in rows]

    def filename(self, asked: Asked) -> str:
        named = self.argument is not None and self.argument.names_file
        return f"{self.name}-{asked.argument}" if named else self.name


def standards_of(query: InsightQuery) -> standards.StandardsResult:
    """The gap ranking with its region split, worked out once per request (table, Pareto, heat map)."""
    return query.once("catalogue:standards", lambda: standards.standards(query))


def _item_consistency(query: InsightQuery, asked: Asked) -> RowSource:
    (key,) = consistency.ITEM_CONSISTENCY_ORDERINGS[asked.ordering]
    return ListRows(sorted(consistency.item_consistency(query), key=key))


def _section_codes(query: InsightQuery) -> list[str]:
    return [label.code for label in heatmaps.section_columns(query)]


LEAGUE = InsightTable(
    name="league",
    description="The league table: each location's latest counted audit in the window, ranked by score.",
    row=rankings.LeagueRow,
    rows=lambda query, asked: rankings.league(query, asked.ordering),
    orderings=rankings.LEAGUE_ORDERINGS,
    default_order="rank",
)
REGRESSIONS = InsightTable(
    name="regressions",
    description="Locations whose latest score fell more than the brand's regression threshold below "
    "the previous one.",
    row=rankings.RegressionRow,
    rows=lambda query, asked: rankings.regressions(query),
)
LOCATION_GAPS = InsightTable(
    name="location-gaps",
    description="Locations by points lost weighted by dimension importance, with their key experiences.",
    row=rankings.LocationGapRow,
    rows=lambda query, asked: rankings.location_gaps(query, asked.ordering),
    orderings=rankings.LOCATION_GAP_ORDERINGS,
    default_order="weighted",
)
STANDARDS = InsightTable(
    name="standards",
    description="The gap ranking of standards with its Pareto view and the direct/authorized split.",
    row=standards.StandardRow,
    rows=lambda query, asked: ListRows(
        standards.sort_standards(standards_of(query).standards, asked.ordering)
    ),
    orderings=standards.STANDARD_ORDERINGS,
    default_order="lost",
)
STANDARDS_BY_REGION = InsightTable(
    name="standards-by-region",
    description="The gap ranking split by region (the level below the region filter; top regions "
    "without one).",
    row=standards.StandardRegionRow,
    rows=lambda query, asked: ListRows(standards_of(query).by_region),
)
FAILING_LOCATIONS = InsightTable(
    name="failing-locations",
    description="The locations whose latest audit failed one standard (``item_code``), the most "
    "points lost first.",
    row=standards.FailingLocationRow,
    rows=lambda query, asked: standards.failing_locations(query, asked.argument),
    argument=Argument(
        "item_code", "The standard's code.", missing=gettext_lazy("Name the standard by its code.")
    ),
)
CONSISTENCY_SECTIONS = InsightTable(
    name="consistency-sections",
    description="Per section: share of locations meeting it, median and IQR of its scores, direct vs "
    "authorized.",
    row=consistency.SectionConsistencyRow,
    rows=lambda query, asked: ListRows(consistency.section_consistency(query)),
)
CONSISTENCY_ITEMS = InsightTable(
    name="consistency-items",
    description="Per standard: share of locations meeting it, spread, direct vs authorized; least met first.",
    row=consistency.ItemConsistencyRow,
    rows=_item_consistency,
    orderings=consistency.ITEM_CONSISTENCY_ORDERINGS,
    default_order="meeting",
)
COMPARISONS = InsightTable(
    name="comparisons",
    description="Groups of locations side by side, by pooled points (Σ earned ÷ Σ possible), never a "
    "mean of means.",
    row=comparisons.ComparisonRow,
    rows=lambda query, asked: ListRows(comparisons.compare(query, asked.argument)),
    argument=Argument(
        "by", "Default: region.", choices=comparisons.COMPARE_BY, default="region", names_file=True
    ),
)
TRENDS = InsightTable(
    name="trends",
    description="Monthly series of audits, mean score and pooled points (use ``location`` for one "
    "location's).",
    row=trends.TrendPoint,
    rows=lambda query, asked: ListRows(trends.trends(query)[asked.argument]),
    argument=Argument("by", "Default: chain.", choices=trends.TREND_BY, default="chain", names_file=True),
)
SECTION_HEAT_MAP = InsightTable(
    name="heatmap-sections",
    description="Location × section: the league (worst first by default) with each section's score by "
    "section code.",
    row=heatmaps.SectionHeatRow,
    rows=lambda query, asked: heatmaps.location_sections(query, asked.ordering),
    orderings=rankings.LEAGUE_ORDERINGS,
    default_order="-rank",
    spread=Spread("sections", _section_codes),
)
