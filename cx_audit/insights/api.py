"""The chain insights API: every ranking as JSON (paged) and as CSV (``?format=csv``, the whole table).

Every endpoint reads the same `InsightFilterSet` as the pages (brand, region with sub-regions,
outlet type, franchisee, city tier, city, location, audit kind, date_from/date_to — on the audits'
snapshots), and answers 400 naming the parameter for anything it cannot read: a bad filter,
``ordering``, ``page``, ``page_size`` or ``by``. Insights are for HQ roles (`insights.access`):
anyone else gets 403 for the whole API; within it, data comes only from the user's HQ brands,
and a location of another brand is a 404.

Views stay thin: read the filters, call a selector, write the rows out (`insights.tables`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cx_audit.insights import comparisons, consistency, heatmaps, rankings, standards, summary, trends
from cx_audit.insights.access import can_see_insights, insight_locations
from cx_audit.insights.filters import InsightFilterSet, InsightQuery
from cx_audit.insights.scorecard import AuditLine, DimensionLine, FailedItemLine, SectionLine, scorecard
from cx_audit.insights.tables import ListRows, RowSource, columns, csv_text, record, schema_serializer

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class IsInsightReader(permissions.BasePermission):
    message = gettext_lazy("Chain insights are for HQ admins and HQ analysts.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_see_insights(request.user)


@dataclass(frozen=True)
class CsvTable:
    header: list[str]
    rows: list[Any]  # dataclass rows, or dicts keyed by the header's names
    filename: str


class CSVRenderer(BaseRenderer):
    """``?format=csv``: a whole table as CSV with a header row (UTF-8 with BOM, for spreadsheets)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, CsvTable):
            return ("\ufeff" + csv_text(data.header, data.rows)).encode()
        return json.dumps(data).encode()  # never reached for errors: see InsightAPIView.handle_exception


FILTER_PARAMETERS = [
    OpenApiParameter("brand", int, description="Brand id (default: your first HQ brand)."),
    OpenApiParameter("region", int, description="Region id; its sub-regions are included (audit snapshot)."),
    OpenApiParameter("outlet_type", str, enum=["direct", "authorized"], description="Audit snapshot."),
    OpenApiParameter("franchisee", int, description="Franchisee id (audit snapshot)."),
    OpenApiParameter(
        "city_tier", int, many=True, enum=[1, 2, 3, 4], description="Audit snapshot; repeatable."
    ),
    OpenApiParameter("city", str, description="The location's city (case-insensitive)."),
    OpenApiParameter("location", int, description="One location's id."),
    OpenApiParameter(
        "kind",
        str,
        many=True,
        enum=["scheduled", "unannounced", "self_assessment"],
        description="Audit kinds that count (default: scheduled and unannounced; repeatable).",
    ),
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="First day of the window (default: 180 days ago)."
    ),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day of the window (default: today)."),
    OpenApiParameter("format", str, enum=["json", "csv"], description="csv: the whole table, not a page."),
]
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter(
        "page_size", int, description=f"Rows per page, 1–{MAX_PAGE_SIZE} (default {PAGE_SIZE})."
    ),
]


def ordering_parameter(choices: dict[str, Any]) -> OpenApiParameter:
    return OpenApiParameter("ordering", str, enum=list(choices), description="Sort order of the table.")


def paged(row_type: type) -> type:
    return inline_serializer(
        name=f"PaginatedInsight{row_type.__name__}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": schema_serializer(row_type)(many=True),
        },
    )


class InsightAPIView(GenericAPIView):
    """Read the filters, get the rows from a selector, answer one page as JSON or the whole table as CSV."""

    permission_classes = [permissions.IsAuthenticated, IsInsightReader]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    filter_backends: list = []
    pagination_class = None
    row_type: type | None = None
    name = "insights"

    def handle_exception(self, exc: Exception) -> Response:
        # An error is explained in JSON even when CSV was asked for.
        if getattr(getattr(self.request, "accepted_renderer", None), "format", None) == "csv":
            self.request.accepted_renderer, self.request.accepted_media_type = (
                JSONRenderer(),
                "application/json",
            )
        return super().handle_exception(exc)

    def insight_query(self, params: Any = None, brand: Any = None) -> InsightQuery:
        filters = InsightFilterSet(
            self.request.query_params if params is None else params, request=self.request, brand=brand
        )
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return filters.insight_query()

    @property
    def wants_csv(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", None) == "csv"

    def rows(self, query: InsightQuery) -> RowSource:
        raise NotImplementedError

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.insight_query()
        try:
            source = self.rows(query)
        except rankings.UnknownOrdering as error:
            raise ValidationError({"ordering": [str(error)]}) from error
        if self.wants_csv:
            rows, _ = source.page(0, None)
            return self.csv(query, columns(self.row_type), rows)
        return self.paged(source)

    def csv(self, query: InsightQuery, header: list[str], rows: list[Any]) -> Response:
        filename = f"{self.name}-{query.brand.slug}-{query.date_from}-{query.date_to}.csv"
        return Response(
            CsvTable(header, rows, filename),
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    def page_numbers(self) -> tuple[int, int]:
        def number(name: str, default: int, highest: int | None) -> int:
            raw = self.request.query_params.get(name, "")
            if raw == "":
                return default
            if not raw.isdigit() or int(raw) < 1 or (highest is not None and int(raw) > highest):
                message = (
                    _("A whole number from 1 to %(n)s.") % {"n": highest}
                    if highest
                    else _("A whole number from 1.")
                )
                raise ValidationError({name: [message]})
            return int(raw)

        return number("page", 1, None), number("page_size", PAGE_SIZE, MAX_PAGE_SIZE)

    def paged(self, source: RowSource) -> Response:
        page, size = self.page_numbers()
        rows, total = source.page((page - 1) * size, size)
        if not rows and page > 1:
            raise NotFound("Invalid page.")
        url = self.request.build_absolute_uri()
        return Response(
            {
                "count": total,
                "next": replace_query_param(url, "page", page + 1) if page * size < total else None,
                "previous": (
                    None
                    if page == 1
                    else remove_query_param(url, "page")
                    if page == 2
                    else replace_query_param(url, "page", page - 1)
                ),
                "results": [record(row) for row in rows],
            }
        )


def _table_schema(row_type: type, orderings: dict[str, Any] | None = None, extra: list | None = None) -> Any:
    parameters = FILTER_PARAMETERS + PAGE_PARAMETERS + (extra or [])
    if orderings:
        parameters.append(ordering_parameter(orderings))
    return extend_schema(
        parameters=parameters,
        responses={200: paged(row_type), (200, "text/csv"): OpenApiTypes.STR},
    )


@_table_schema(rankings.LeagueRow, rankings.LEAGUE_ORDERINGS)
class LeagueView(InsightAPIView):
    """The league table: each location's latest counted audit in the window, ranked by score."""

    row_type = rankings.LeagueRow
    name = "league"

    def rows(self, query: InsightQuery) -> RowSource:
        return rankings.league(query, self.request.query_params.get("ordering"))


@_table_schema(rankings.RegressionRow)
class RegressionsView(InsightAPIView):
    """Locations whose latest score fell more than the brand's regression threshold below the previous one."""

    row_type = rankings.RegressionRow
    name = "regressions"

    def rows(self, query: InsightQuery) -> RowSource:
        return rankings.regressions(query)


@_table_schema(rankings.LocationGapRow, rankings.LOCATION_GAP_ORDERINGS)
class LocationGapsView(InsightAPIView):
    """Locations by points lost weighted by dimension importance, with their key experiences."""

    row_type = rankings.LocationGapRow
    name = "location-gaps"

    def rows(self, query: InsightQuery) -> RowSource:
        return rankings.location_gaps(query, self.request.query_params.get("ordering"))


@_table_schema(standards.StandardRow, standards.STANDARD_ORDERINGS)
class StandardsView(InsightAPIView):
    """The gap ranking of standards with its Pareto view and the direct/authorized split."""

    row_type = standards.StandardRow
    name = "standards"

    def rows(self, query: InsightQuery) -> RowSource:
        ordering = self.request.query_params.get("ordering")
        rankings.ordered_by(standards.STANDARD_ORDERINGS, ordering, "lost")  # 400 before any work
        return ListRows(standards.sort_standards(standards.standards(query).standards, ordering))


@_table_schema(standards.StandardRegionRow)
class StandardsByRegionView(InsightAPIView):
    """The gap ranking split by region (the level below the region filter; top regions without one)."""

    row_type = standards.StandardRegionRow
    name = "standards-by-region"

    def rows(self, query: InsightQuery) -> RowSource:
        return ListRows(standards.standards(query).by_region)


ITEM_CODE = OpenApiParameter("item_code", str, required=True, description="The standard's code.")


@_table_schema(standards.FailingLocationRow, extra=[ITEM_CODE])
class FailingLocationsView(InsightAPIView):
    """The locations whose latest audit failed one standard (``item_code``), the most points lost first."""

    row_type = standards.FailingLocationRow
    name = "failing-locations"

    def rows(self, query: InsightQuery) -> RowSource:
        code = self.request.query_params.get("item_code", "").strip()
        if not code:
            raise ValidationError({"item_code": [_("Name the standard by its code.")]})
        return standards.failing_locations(query, code)


@_table_schema(consistency.SectionConsistencyRow)
class SectionConsistencyView(InsightAPIView):
    """Per section: share of locations meeting it, median and IQR of its scores, direct vs authorized."""

    row_type = consistency.SectionConsistencyRow
    name = "consistency-sections"

    def rows(self, query: InsightQuery) -> RowSource:
        return ListRows(consistency.section_consistency(query))


@_table_schema(consistency.ItemConsistencyRow, consistency.ITEM_CONSISTENCY_ORDERINGS)
class ItemConsistencyView(InsightAPIView):
    """Per standard: share of locations meeting it, spread, direct vs authorized; least met first."""

    row_type = consistency.ItemConsistencyRow
    name = "consistency-items"

    def rows(self, query: InsightQuery) -> RowSource:
        ordering = self.request.query_params.get("ordering")
        (key,) = rankings.ordered_by(consistency.ITEM_CONSISTENCY_ORDERINGS, ordering, "meeting")
        return ListRows(sorted(consistency.item_consistency(query), key=key))


def _choice(request: Request, name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.query_params.get(name) or default
    if value not in choices:
        raise ValidationError({name: [_("Use one of: %(choices)s.") % {"choices": ", ".join(choices)}]})
    return value


BY_COMPARISON = OpenApiParameter("by", str, enum=list(comparisons.COMPARE_BY), description="Default: region.")


@_table_schema(comparisons.ComparisonRow, extra=[BY_COMPARISON])
class ComparisonsView(InsightAPIView):
    """Groups of locations side by side, by pooled points (Σ earned ÷ Σ possible), never a mean of means."""

    row_type = comparisons.ComparisonRow
    name = "comparisons"

    def rows(self, query: InsightQuery) -> RowSource:
        by = _choice(self.request, "by", comparisons.COMPARE_BY, "region")
        self.name = f"comparisons-{by}"
        return ListRows(comparisons.compare(query, by))


BY_TREND = OpenApiParameter("by", str, enum=list(trends.TREND_BY), description="Default: chain.")


@_table_schema(trends.TrendPoint, extra=[BY_TREND])
class TrendsView(InsightAPIView):
    """Monthly series of audits, mean score and pooled points (use ``location`` for one location's)."""

    row_type = trends.TrendPoint
    name = "trends"

    def rows(self, query: InsightQuery) -> RowSource:
        by = _choice(self.request, "by", trends.TREND_BY, "chain")
        self.name = f"trends-{by}"
        return ListRows(trends.trends(query)[by])


@_table_schema(heatmaps.SectionHeatRow, rankings.LEAGUE_ORDERINGS)
class SectionHeatMapView(InsightAPIView):
    """Location × section: the league (worst first by default) with each section's score by section code."""

    row_type = heatmaps.SectionHeatRow
    name = "heatmap-sections"

    def rows(self, query: InsightQuery) -> RowSource:
        self.section_codes = [label.code for label in heatmaps.section_columns(query)]
        return heatmaps.location_sections(query, self.request.query_params.get("ordering") or "-rank")

    def csv(self, query: InsightQuery, header: list[str], rows: list[Any]) -> Response:
        fixed = [name for name in header if name != "sections"]
        flat = [{**{name: getattr(row, name) for name in fixed}, **row.sections} for row in rows]
        return super().csv(query, fixed + self.section_codes, flat)


@extend_schema(
    parameters=FILTER_PARAMETERS,
    responses={
        200: inline_serializer(
            name="InsightTouchpointHeatMap",
            fields={
                "regions": inline_serializer(
                    name="InsightHeatMapRegion",
                    fields={"code": serializers.CharField(), "name": serializers.CharField()},
                    many=True,
                ),
                "rows": schema_serializer(heatmaps.TouchpointHeatRow)(many=True),
            },
        ),
        (200, "text/csv"): OpenApiTypes.STR,
    },
)
class TouchpointHeatMapView(InsightAPIView):
    """Touchpoint × region: pooled points of the standards measuring each touchpoint, per region."""

    row_type = heatmaps.TouchpointHeatRow
    name = "heatmap-touchpoints"

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.insight_query()
        heat = heatmaps.touchpoint_regions(query)
        records = [record(row) for row in heat.rows]
        if self.wants_csv:
            codes = [code or "no_region" for code, _ in heat.regions]
            flat = [
                {
                    **{k: v for k, v in entry.items() if k != "regions"},
                    **dict(zip(codes, entry["regions"].values(), strict=True)),
                }
                for entry in records
            ]
            return self.csv(query, ["touchpoint_code", "touchpoint", "pooled_pct", *codes], flat)
        return Response(
            {"regions": [{"code": code, "name": name} for code, name in heat.regions], "rows": records}
        )


@extend_schema(
    parameters=[p for p in FILTER_PARAMETERS if p.name not in ("format", "location")],
    responses={200: schema_serializer(summary.Summary)},
)
class SummaryView(InsightAPIView):
    """The dashboard's key figures: average score, coverage and due audits, critical failures, consistency."""

    row_type = summary.Summary
    name = "summary"

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(record(summary.summary(self.insight_query())))


SCORECARD_PARAMETERS = [p for p in FILTER_PARAMETERS if p.name in ("kind", "date_from", "date_to")]


@extend_schema(
    parameters=SCORECARD_PARAMETERS,
    responses={
        200: inline_serializer(
            name="InsightLocationScorecard",
            fields={
                "location": inline_serializer(
                    name="InsightScorecardLocation",
                    fields={
                        "id": serializers.IntegerField(),
                        "code": serializers.CharField(),
                        "name": serializers.CharField(),
                        "outlet_type": serializers.CharField(),
                        "city": serializers.CharField(),
                    },
                ),
                "date_from": serializers.DateField(),
                "date_to": serializers.DateField(),
                "latest": schema_serializer(AuditLine)(allow_null=True),
                "previous": schema_serializer(AuditLine)(allow_null=True),
                "change": serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True),
                "days_since_audit": serializers.IntegerField(allow_null=True),
                "regression": serializers.BooleanField(),
                "regression_threshold": serializers.DecimalField(max_digits=5, decimal_places=2),
                "rank": serializers.IntegerField(allow_null=True),
                "ranked": serializers.IntegerField(),
                "history": schema_serializer(AuditLine)(many=True),
                "sections": schema_serializer(SectionLine)(many=True),
                "dimensions": schema_serializer(DimensionLine)(many=True),
                "key_experiences": serializers.ListField(child=serializers.CharField()),
                "failed_items": schema_serializer(FailedItemLine)(many=True),
            },
        ),
        404: OpenApiResponse(description="No such location among those you compare."),
    },
)
class LocationScorecardView(InsightAPIView):
    """One location: its latest audit in the window, rank in the brand, change, sections, failures."""

    name = "scorecard"

    def get(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> Response:
        location = get_object_or_404(insight_locations(request.user).select_related("brand"), pk=pk)
        query = self.insight_query(scorecard_params(request.query_params, location), brand=location.brand)
        card = scorecard(query, location)
        return Response(scorecard_record(card))


def scorecard_params(params: Any, location: Any) -> dict[str, Any]:
    """A location is ranked in its whole brand: only the window and the kinds of audit apply."""
    kept = {name: params.getlist(name) for name in ("kind", "date_from", "date_to") if name in params}
    return {**kept, "brand": str(location.brand_id)}


def scorecard_record(card: Any) -> dict[str, Any]:
    return {
        "location": {
            "id": card.location.pk,
            "code": card.location.code,
            "name": card.location.name,
            "outlet_type": card.location.outlet_type,
            "city": card.location.city,
        },
        "date_from": card.date_from.isoformat(),
        "date_to": card.date_to.isoformat(),
        "latest": record(card.latest) if card.latest else None,
        "previous": record(card.previous) if card.previous else None,
        "change": None if card.change is None else str(card.change),
        "days_since_audit": card.days_since_audit,
        "regression": card.regression,
        "regression_threshold": str(card.regression_threshold),
        "rank": card.rank,
        "ranked": card.ranked,
        "history": [record(line) for line in card.history],
        "sections": [record(line) for line in card.sections],
        "dimensions": [record(line) for line in card.dimensions],
        "key_experiences": [line.dimension_code for line in card.key_experiences],
        "failed_items": [record(line) for line in card.failed_items],
    }


urlpatterns = [
    path("summary/", SummaryView.as_view(), name="insights-summary"),
    path("league/", LeagueView.as_view(), name="insights-league"),
    path("regressions/", RegressionsView.as_view(), name="insights-regressions"),
    path("location-gaps/", LocationGapsView.as_view(), name="insights-location-gaps"),
    path("standards/", StandardsView.as_view(), name="insights-standards"),
    path("standards/by-region/", StandardsByRegionView.as_view(), name="insights-standards-by-region"),
    path("standards/failing-locations/", FailingLocationsView.as_view(), name="insights-failing-locations"),
    path("consistency/sections/", SectionConsistencyView.as_view(), name="insights-consistency-sections"),
    path("consistency/items/", ItemConsistencyView.as_view(), name="insights-consistency-items"),
    path("comparisons/", ComparisonsView.as_view(), name="insights-comparisons"),
    path("trends/", TrendsView.as_view(), name="insights-trends"),
    path("heatmaps/sections/", SectionHeatMapView.as_view(), name="insights-heatmap-sections"),
    path("heatmaps/touchpoints/", TouchpointHeatMapView.as_view(), name="insights-heatmap-touchpoints"),
    path("locations/<int:pk>/", LocationScorecardView.as_view(), name="insights-location"),
]
