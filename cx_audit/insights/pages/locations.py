"""Locations ranked — the league, the regressions, the location gaps, the heat maps — and one
location's scorecard, from which HQ drills down to the audit (`/audits/<id>/`) and the failed
item with its photos (`/audits/<id>/#item-<code>`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from cx_audit.core import charts
from cx_audit.insights import catalogue, heatmaps
from cx_audit.insights.access import insight_locations
from cx_audit.insights.catalogue import InsightTable
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.pages.base import InsightPage
from cx_audit.insights.pages.charts import league_heat
from cx_audit.insights.scorecard import scorecard
from locations.models import OutletType


class TablePage(InsightPage):
    """A page showing one page of one declared table."""

    table: InsightTable

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        return self.table_context(self.table, query, self.asked(self.table))


class LeagueView(InsightPage):
    template_name = "cx_audit/insights/league.html"
    tab = "league"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        context = self.table_context(catalogue.LEAGUE, query, self.asked(catalogue.LEAGUE))
        rows = context["rows"]
        heat = heatmaps.with_sections(query, rows) if rows else []  # the page's rows with their sections
        columns = heatmaps.section_columns(query)
        return {
            **context,
            "heat_map": league_heat(heat, columns, self.filters_only().urlencode()) if heat else "",
            "heat_csv_url": self.table_csv_url(catalogue.SECTION_HEAT_MAP),
        }


class RegressionsView(TablePage):
    template_name = "cx_audit/insights/regressions.html"
    tab = "regressions"
    table = catalogue.REGRESSIONS


class LocationGapsView(TablePage):
    template_name = "cx_audit/insights/location_gaps.html"
    tab = "location_gaps"
    table = catalogue.LOCATION_GAPS


class HeatMapsView(InsightPage):
    template_name = "cx_audit/insights/heatmaps.html"
    tab = "heatmaps"
    page_size = 25

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        asked = self.asked(catalogue.SECTION_HEAT_MAP)
        heat = heatmaps.touchpoint_regions(query)
        context = self.table_context(catalogue.SECTION_HEAT_MAP, query, asked, self.page_size)
        rows = context["rows"]
        columns = heatmaps.section_columns(query)
        return {
            **context,
            "touchpoints": heat,
            "touchpoint_chart": charts.heat_map(
                [row.touchpoint for row in heat.rows],
                [name for _code, name in heat.regions],
                [[row.regions.get(code) for code, _name in heat.regions] for row in heat.rows],
                title=_("Pooled points per touchpoint and region (0–100)"),
            )
            if heat.rows
            else "",
            "section_chart": league_heat(rows, columns, self.filters_only().urlencode()) if rows else "",
            "touchpoint_csv_url": self.csv_url("insights-heatmap-touchpoints"),
        }


class LocationView(InsightPage):
    """One location's scorecard, ranked in its whole brand over the same window and audit kinds."""

    template_name = "cx_audit/insights/location.html"
    tab = "league"
    filter_fields = ("kind", "date_from", "date_to")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.location = get_object_or_404(
            insight_locations(request.user).select_related("brand"), pk=kwargs["pk"]
        )
        return super().get(request, *args, **kwargs)

    def filter_data(self) -> QueryDict:
        data = QueryDict(mutable=True)
        for name in ("kind", "date_from", "date_to"):
            if name in self.request.GET:
                data.setlist(name, self.request.GET.getlist(name))
        data["brand"] = str(self.location.brand_id)
        return data

    def known_brand(self) -> Any:
        return self.location.brand

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        card = scorecard(query, self.location)
        history = list(reversed(card.history))
        return {
            "card": card,
            "location": self.location,
            "history_chart": charts.line_chart(
                [charts.Series(self.location.code, [line.score for line in history])],
                x_labels=[line.submitted_at.strftime("%Y-%m-%d") for line in history],
                title=_("Score of each audit in the period (0–100)"),
            )
            if history
            else "",
            "section_chart": charts.bar_chart(
                [charts.Bar(line.section, line.score) for line in card.sections],
                title=_("Section scores of the latest audit (0–100)"),
                weak_below=self.location.brand.weak_below,
            )
            if card.sections
            else "",
            "api_url": reverse("insights-location", args=[self.location.pk])
            + f"?{self.filters_only().urlencode()}",
            "is_direct": self.location.outlet_type == OutletType.DIRECT,
        }
