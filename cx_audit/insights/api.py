"""The chain insights API: every ranking as JSON (paged) and as CSV (``?format=csv``, the whole table).

Every endpoint reads the same `InsightFilterSet` as the pages (brand, region with sub-regions,
outlet type, franchisee, city tier, city, location, audit kind, date_from/date_to — on the audits'
snapshots), and answers 400 naming the parameter for anything it cannot read: a bad filter,
``ordering``, ``page``, ``page_size`` or ``by``. Insights are for HQ roles (`insights.access`):
anyone else gets 403 for the whole API; within it, data comes only from the user's HQ brands,
and a location of another brand is a 404.

Views stay thin: read the filters, then what the table's declaration (`insights.catalogue`) reads
of the request, call its selector, write the rows out (`insights.tables`). Every table's view is
made from its declaration (`table_view`); only the touchpoint heat map, the key figures and a
location's scorecard, which are not lists, have views of their own.
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

from cx_audit.audits.locationcard import AuditLine, DimensionLine, FailedItemLine, SectionLine
from cx_audit.insights import catalogue, heatmaps, predict, summary
from cx_audit.insights.access import can_see_insights, insight_locations
from cx_audit.insights.catalogue import InsightTable
from cx_audit.insights.filters import InsightFilterSet, InsightQuery
from cx_audit.insights.scorecard import scorecard
from cx_audit.insights.tables import (
    PAGE_SIZE,
    BadParameter,
    PastTheEnd,
    RowSource,
    csv_text,
    read_page,
    record,
    schema_serializer,
    whole_number,
)

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
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="Page number, from 1."),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"Rows per page, 1–{MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
    ),
]


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
    name = "insights"

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, BadParameter):
            exc = ValidationError({exc.field: [str(exc)]})
        elif isinstance(exc, PastTheEnd):
            exc = NotFound("Invalid page.")
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

    def csv(
        self, query: InsightQuery, header: list[str], rows: list[Any], name: str | None = None
    ) -> Response:
        filename = f"{name or self.name}-{query.brand.slug}-{query.date_from}-{query.date_to}.csv"
        return Response(
            CsvTable(header, rows, filename),
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    def paged(self, source: RowSource) -> Response:
        params = self.request.query_params
        number = whole_number(params, "page", 1, message=_("A whole number from 1."))
        size = whole_number(
            params,
            "page_size",
            PAGE_SIZE,
            highest=MAX_PAGE_SIZE,
            message=_("A whole number from 1 to %(n)s.") % {"n": MAX_PAGE_SIZE},
        )
        page = read_page(source, number, size)
        url = self.request.build_absolute_uri()
        return Response(
            {
                "count": page.count,
                "next": replace_query_param(url, "page", number + 1) if number * size < page.count else None,
                "previous": (
                    None
                    if number == 1
                    else remove_query_param(url, "page")
                    if number == 2
                    else replace_query_param(url, "page", number - 1)
                ),
                "results": [record(row) for row in page.rows],
            }
        )


class TableView(InsightAPIView):
    """One declared table (`catalogue`): a page of it as JSON, or all of it as CSV."""

    table: InsightTable

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.insight_query()
        asked = self.table.asked(request.query_params)
        source = self.table.rows(query, asked)
        if self.wants_csv:
            rows, _total = source.page(0, None)
            header = self.table.csv_columns(query)
            return self.csv(query, header, self.table.csv_rows(rows), self.table.filename(asked))
        return self.paged(source)


def table_schema(table: InsightTable) -> Any:
    """The OpenAPI description of a table's endpoint: the filters, paging, its argument and orderings."""
    parameters = FILTER_PARAMETERS + PAGE_PARAMETERS
    if table.argument:
        argument = table.argument
        parameters.append(
            OpenApiParameter(
                argument.name,
                str,
                enum=list(argument.choices) or None,
                required=not argument.choices,
                description=argument.description,
            )
        )
    if table.orderings:
        parameters.append(
            OpenApiParameter(
                "ordering", str, enum=list(table.orderings), description="Sort order of the table."
            )
        )
    return extend_schema(
        parameters=parameters,
        responses={200: paged(table.row), (200, "text/csv"): OpenApiTypes.STR},
    )


def table_view(table: InsightTable) -> Any:
    """The API view of a declared table."""
    title = "".join(part.title() for part in table.name.split("-"))
    view = type(
        f"{title}View", (TableView,), {"table": table, "name": table.name, "__doc__": table.description}
    )
    return table_schema(table)(view).as_view()


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

    name = "heatmap-touchpoints"

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.insight_query()
        heat = heatmaps.touchpoint_regions(query)
        if self.wants_csv:
            codes = [code or "no_region" for code, _ in heat.regions]
            # The rows' own values (decimals, not their JSON text): the CSV writer quotes text only.
            flat = [
                {
                    "touchpoint_code": row.touchpoint_code,
                    "touchpoint": row.touchpoint,
                    "pooled_pct": row.pooled_pct,
                    **dict(zip(codes, row.regions.values(), strict=True)),
                }
                for row in heat.rows
            ]
            return self.csv(query, ["touchpoint_code", "touchpoint", "pooled_pct", *codes], flat)
        records = [record(row) for row in heat.rows]
        return Response(
            {"regions": [{"code": code, "name": name} for code, name in heat.regions], "rows": records}
        )


@extend_schema(
    parameters=[p for p in FILTER_PARAMETERS if p.name not in ("format", "location")],
    responses={200: schema_serializer(summary.Summary)},
)
class SummaryView(InsightAPIView):
    """The dashboard's key figures: average score, coverage and due audits, critical failures, consistency."""

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


class InsightPredictRowSerializer(serializers.Serializer):
    """One row of the prediction (the OpenAPI description only; `insights.predict.PredictRow`)."""

    code = serializers.CharField(help_text="The section's code; empty for the audit score itself.")
    name = serializers.CharField()
    rho = serializers.FloatField(allow_null=True, help_text="Spearman's ρ, −1 to 1.")
    n = serializers.IntegerField(help_text="Locations compared.")
    claim = serializers.BooleanField(help_text="False below min_locations: ρ for reference only.")
    strength = serializers.ChoiceField(["none", "weak", "moderate", "strong"], allow_null=True)
    direction = serializers.ChoiceField(["positive", "negative"], allow_null=True)
    reading = serializers.CharField()


@extend_schema(
    parameters=[p for p in FILTER_PARAMETERS if p.name not in ("format", "location")],
    responses={
        200: inline_serializer(
            name="InsightPrediction",
            fields={
                "date_from": serializers.DateField(),
                "date_to": serializers.DateField(),
                "min_locations": serializers.IntegerField(),
                "min_answers": serializers.IntegerField(),
                "too_few_answers": serializers.IntegerField(),
                "overall": InsightPredictRowSerializer(),
                "sections": InsightPredictRowSerializer(many=True),
                "points": schema_serializer(predict.PredictPoint)(many=True),
            },
        ),
        404: OpenApiResponse(description="Not for your role (HQ admins and HQ analysts only)."),
    },
)
class PredictView(InsightAPIView):
    """Do audit scores predict NPS? Spearman's ρ of the latest audit score, and of each section's, against
    NPS over the window, across the locations with both; no claim below ``min_locations``."""

    name = "predict"
    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can_see_insights(request.user):
            raise NotFound()  # about customers: hidden, like any record of the voice one may not read
        query = self.insight_query()
        result = predict.predict(query)
        return Response(
            {
                "date_from": query.date_from.isoformat(),
                "date_to": query.date_to.isoformat(),
                "min_locations": result.min_locations,
                "min_answers": result.min_answers,
                "too_few_answers": result.too_few_answers,
                "overall": record(result.overall),
                "sections": [record(row) for row in result.sections],
                "points": [record(point) for point in result.points],
            }
        )


urlpatterns = [
    path("summary/", SummaryView.as_view(), name="insights-summary"),
    path("predict/", PredictView.as_view(), name="insights-predict"),
    *(
        path(route, table_view(table), name=table.api_name)
        for route, table in (
            ("league/", catalogue.LEAGUE),
            ("regressions/", catalogue.REGRESSIONS),
            ("location-gaps/", catalogue.LOCATION_GAPS),
            ("standards/", catalogue.STANDARDS),
            ("standards/by-region/", catalogue.STANDARDS_BY_REGION),
            ("standards/failing-locations/", catalogue.FAILING_LOCATIONS),
            ("consistency/sections/", catalogue.CONSISTENCY_SECTIONS),
            ("consistency/items/", catalogue.CONSISTENCY_ITEMS),
            ("comparisons/", catalogue.COMPARISONS),
            ("trends/", catalogue.TRENDS),
            ("heatmaps/sections/", catalogue.SECTION_HEAT_MAP),
        )
    ),
    path("heatmaps/touchpoints/", TouchpointHeatMapView.as_view(), name="insights-heatmap-touchpoints"),
    path("locations/<int:pk>/", LocationScorecardView.as_view(), name="insights-location"),
]
