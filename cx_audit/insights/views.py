"""The HQ insight pages: a dashboard and one page per ranking, drilling down to the audit itself.

chain (dashboard) → region (the dashboard filtered by region, its sub-regions compared) →
location (its scorecard) → audit (`/audits/<id>/`) → the failed item with its photos
(`/audits/<id>/#item-<code>`). Every page reads the same `InsightFilterSet` as the API and links
its tables' CSV exports to the API (``?format=csv``). HQ roles only (403 otherwise); bad filters
answer 400 with the form explaining which field is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from cx_audit.core import charts
from cx_audit.insights import comparisons, consistency, heatmaps, rankings, standards, summary, trends
from cx_audit.insights.access import can_see_insights, insight_locations
from cx_audit.insights.filters import InsightFilterSet, InsightQuery
from cx_audit.insights.labels import query_regions
from cx_audit.insights.latest import latest_set
from cx_audit.insights.regions import ancestors
from cx_audit.insights.scorecard import scorecard
from cx_audit.insights.tables import ListRows, RowSource
from locations.models import OutletType

PAGE_SIZE = 50
TABS = (
    ("dashboard", gettext_lazy("Overview")),
    ("league", gettext_lazy("League table")),
    ("standards", gettext_lazy("Standards")),
    ("location_gaps", gettext_lazy("Location gaps")),
    ("consistency", gettext_lazy("Consistency")),
    ("comparisons", gettext_lazy("Comparisons")),
    ("trends", gettext_lazy("Trends")),
    ("regressions", gettext_lazy("Regressions")),
    ("heatmaps", gettext_lazy("Heat maps")),
)


class BadParameter(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class RowsPage:
    """One page of a table, shaped like Django's paginator page for includes/pagination.html."""

    rows: list[Any]
    number: int
    size: int
    count: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def paginator(self) -> RowsPage:
        return self

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size


class InsightPage(LoginRequiredMixin, View):
    """Filters read once, a selector per table, the page rendered (400 for bad input, 403 for non-HQ)."""

    template_name = ""
    tab = ""
    # The filters the page's form shows (``location`` is for the API; a location has its own page).
    filter_fields = (
        "brand",
        "region",
        "outlet_type",
        "franchisee",
        "city_tier",
        "city",
        "kind",
        "date_from",
        "date_to",
    )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not can_see_insights(request.user):
            raise PermissionDenied(_("Chain insights are for HQ admins and HQ analysts."))
        return super().dispatch(request, *args, **kwargs)

    def filter_data(self) -> QueryDict:
        return self.request.GET

    def known_brand(self) -> Any:
        """A brand this request has read already from the user's insight brands (None: look it up)."""
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.filterset = InsightFilterSet(self.filter_data(), request=request, brand=self.known_brand())
        context: dict[str, Any] = {
            "filterset": self.filterset,
            "filter_fields": self.filter_fields,
            "tabs": self.tabs(),
            "tab": self.tab,
        }
        if not self.filterset.is_valid():
            return render(request, self.template_name, context, status=400)
        query = self.filterset.insight_query()
        context.update(self.common(query))
        try:
            context.update(self.insight(query, **kwargs))
        except BadParameter as error:
            context["parameter_error"] = (error.field, str(error))
            return render(request, self.template_name, context, status=400)
        except rankings.UnknownOrdering as error:
            context["parameter_error"] = ("ordering", str(error))
            return render(request, self.template_name, context, status=400)
        return render(request, self.template_name, context)

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        raise NotImplementedError

    def tabs(self) -> list[dict[str, Any]]:
        keep = self.filters_only().urlencode()
        return [
            {
                "label": label,
                "url": reverse(f"insights:{name}") + (f"?{keep}" if keep else ""),
                "current": name == self.tab,
            }
            for name, label in TABS
        ]

    def filters_only(self) -> QueryDict:
        """The request's query without paging, ordering and page-specific choices."""
        query = self.request.GET.copy()
        for name in ("page", "ordering", "by", "format"):
            query.pop(name, None)
        return query

    def common(self, query: InsightQuery) -> dict[str, Any]:
        regions = query_regions(query)
        names = {region.id: region for region in regions}
        trail = ancestors(regions, query.region.pk) if query.region else []
        base = self.filters_only()
        base.pop("region", None)
        crumbs = [{"label": query.brand.name, "url": f"{reverse('insights:dashboard')}?{base.urlencode()}"}]
        for region_id in trail:
            base["region"] = str(region_id)
            crumbs.append(
                {"label": names[region_id].name, "url": f"{reverse('insights:dashboard')}?{base.urlencode()}"}
            )
        filters = self.filters_only()
        return {
            "query": query,
            "crumbs": crumbs,
            "filter_query": filters.urlencode(),
            "query_without_page": self._without("page"),
        }

    def _without(self, *names: str) -> str:
        query = self.request.GET.copy()
        for name in names:
            query.pop(name, None)
        return query.urlencode()

    def csv_url(self, api_name: str, **extra: str) -> str:
        query = self.request.GET.copy()
        query.pop("page", None)
        for key, value in extra.items():
            query[key] = value
        query["format"] = "csv"
        return f"{reverse(api_name)}?{query.urlencode()}"

    def page_number(self) -> int:
        raw = self.request.GET.get("page", "")
        if raw == "":
            return 1
        if not raw.isdigit() or int(raw) < 1:
            raise BadParameter("page", _("A page number is a whole number from 1."))
        return int(raw)

    def rows_page(self, source: RowSource, size: int = PAGE_SIZE) -> RowsPage:
        number = self.page_number()
        rows, total = source.page((number - 1) * size, size)
        if not rows and number > 1:
            raise Http404(_("There is no such page."))
        return RowsPage(rows, number, size, total)

    def sort_links(self, orderings: dict[str, Any], current: str) -> dict[str, dict[str, Any]]:
        """For each ordering: the URL that sorts by it and whether it is the current one."""
        links = {}
        for name in orderings:
            query = self.request.GET.copy()
            query.pop("page", None)
            query["ordering"] = name
            links[name.replace("-", "desc_")] = {"url": f"?{query.urlencode()}", "current": name == current}
        return links

    def paging_context(self, page: RowsPage) -> dict[str, Any]:
        return {"page_obj": page, "is_paginated": page.num_pages > 1, "rows": page.rows}


def _ordering(request: HttpRequest, default: str) -> str:
    return request.GET.get("ordering") or default


def _league_heat(rows: list[heatmaps.SectionHeatRow], columns: list[Any], filter_query: str) -> str:
    return charts.heat_map(
        [f"{row.location_code} {row.location_name}" for row in rows],
        [label.name for label in columns],
        [[row.sections.get(label.code) for label in columns] for row in rows],
        title=_("Section scores of each location's latest audit (0–100)"),
        row_links=[f"{reverse('insights:location', args=[row.location_id])}?{filter_query}" for row in rows],
    )


def _trend_chart(points: list[trends.TrendPoint], title: str, value: str = "pooled_pct") -> str:
    series: dict[str, list[Any]] = {}
    months: list[str] = []
    for point in points:
        series.setdefault(point.series, []).append(getattr(point, value))
        label = point.month.strftime("%Y-%m")
        if label not in months:
            months.append(label)
    return charts.line_chart(
        [charts.Series(label, values) for label, values in series.items()], x_labels=months, title=title
    )


class DashboardView(InsightPage):
    """KPI tiles, trend, comparisons, the worst standards and locations: what HQ opens every morning."""

    template_name = "cx_audit/insights/dashboard.html"
    tab = "dashboard"
    top = 10

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        # The latest audits, read once: the key figures, the consistency index and both comparisons
        # are sums over these rows, and the gap ranking selects its item results by their ids.
        latest_set(query)
        chain = consistency.chain_consistency(query)
        figures = summary.summary(query, chain)
        ranked = standards.standards(query, by_region=False)
        regions = comparisons.compare(query, "region")
        outlets = comparisons.compare(query, "outlet_type")
        series = trends.trends(query)
        worst, _count = heatmaps.location_sections(query, "-rank").page(0, 15)
        regressed, _count = rankings.regressions(query).page(0, self.top)
        columns = heatmaps.section_columns(query)
        filter_query = self.filters_only().urlencode()
        return {
            "summary": figures,
            "chain": chain,
            "standards": ranked.standards[: self.top],
            "pareto_chart": _pareto(ranked.standards[:15]),
            "regions": regions,
            "region_chart": _comparison_chart(regions, _("Pooled points by region (0–100)")),
            "outlets": outlets,
            "trend_chart": _trend_chart(
                series["chain"] + series["outlet_type"], _("Pooled points per month (0–100)")
            ),
            "worst": worst,
            "heat_map": _league_heat(worst, columns, filter_query) if worst else "",
            "regressions": regressed,
            "region_drill": self._region_links(regions),
        }

    def _region_links(self, rows: list[comparisons.ComparisonRow]) -> dict[str, str]:
        links = {}
        for row in rows:
            if row.key and row.key.isdigit():
                query = self.filters_only()
                query["region"] = row.key
                links[row.key] = f"?{query.urlencode()}"
        return links


def _pareto(rows: list[standards.StandardRow]) -> str:
    return charts.pareto_chart(
        [
            charts.ParetoBar(f"{row.item_code}", row.points_lost, row.cumulative_share, row.vital_few)
            for row in rows
        ],
        title=_("Points lost per standard, with the running share of all points lost"),
    )


def _comparison_chart(rows: list[comparisons.ComparisonRow], title: str) -> str:
    return charts.bar_chart(
        [charts.Bar(row.label, row.pooled_pct) for row in rows if row.key],
        title=title,
        weak_below=Decimal(60),
    )


class LeagueView(InsightPage):
    template_name = "cx_audit/insights/league.html"
    tab = "league"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        ordering = _ordering(self.request, "rank")
        page = self.rows_page(heatmaps.location_sections(query, ordering))
        columns = heatmaps.section_columns(query)
        return {
            **self.paging_context(page),
            "sort": self.sort_links(rankings.LEAGUE_ORDERINGS, ordering),
            "heat_map": _league_heat(page.rows, columns, self.filters_only().urlencode())
            if page.rows
            else "",
            "csv_url": self.csv_url("insights-league"),
            "heat_csv_url": self.csv_url("insights-heatmap-sections"),
        }


class RegressionsView(InsightPage):
    template_name = "cx_audit/insights/regressions.html"
    tab = "regressions"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        page = self.rows_page(rankings.regressions(query))
        return {**self.paging_context(page), "csv_url": self.csv_url("insights-regressions")}


class LocationGapsView(InsightPage):
    template_name = "cx_audit/insights/location_gaps.html"
    tab = "location_gaps"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        ordering = _ordering(self.request, "weighted")
        page = self.rows_page(rankings.location_gaps(query, ordering))
        return {
            **self.paging_context(page),
            "sort": self.sort_links(rankings.LOCATION_GAP_ORDERINGS, ordering),
            "csv_url": self.csv_url("insights-location-gaps"),
        }


class StandardsView(InsightPage):
    template_name = "cx_audit/insights/standards.html"
    tab = "standards"
    page_size = 25

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        ordering = _ordering(self.request, "lost")
        rankings.ordered_by(standards.STANDARD_ORDERINGS, ordering, "lost")
        ranked = standards.standards(query)
        page = self.rows_page(ListRows(standards.sort_standards(ranked.standards, ordering)), self.page_size)
        shown = {row.item_code for row in page.rows}
        region_rows = [row for row in ranked.by_region if row.item_code in shown]
        region_columns = sorted({(row.region_code, row.region) for row in region_rows})
        cells = {(row.item_code, row.region_code): row.fail_rate for row in region_rows}
        return {
            **self.paging_context(page),
            "sort": self.sort_links(standards.STANDARD_ORDERINGS, ordering),
            "pareto_chart": _pareto(ranked.standards[:20]) if ranked.standards else "",
            "total_lost": ranked.total_points_lost,
            "vital_count": sum(1 for row in ranked.standards if row.vital_few),
            "standard_count": len(ranked.standards),
            "region_heat": charts.heat_map(
                [row.item_code for row in page.rows],
                [name or "—" for _code, name in region_columns],
                [
                    [_pass_rate(cells.get((row.item_code, code))) for code, _name in region_columns]
                    for row in page.rows
                ],
                title=_("Share of locations meeting each standard, by region (100 − fail rate)"),
            )
            if page.rows and region_columns
            else "",
            "csv_url": self.csv_url("insights-standards"),
            "region_csv_url": self.csv_url("insights-standards-by-region"),
        }


def _pass_rate(fail_rate: Decimal | None) -> Decimal | None:
    return None if fail_rate is None else Decimal(100) - fail_rate


class StandardDetailView(InsightPage):
    template_name = "cx_audit/insights/standard_detail.html"
    tab = "standards"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        code = kwargs["code"]
        ranked = {row.item_code: row for row in standards.standards(query, by_region=False).standards}
        page = self.rows_page(standards.failing_locations(query, code))
        if code not in ranked and not page.rows:
            raise Http404(_("No location was assessed on this standard in the period."))
        return {
            **self.paging_context(page),
            "standard": ranked.get(code),
            "item_code": code,
            "csv_url": self.csv_url("insights-failing-locations", item_code=code),
        }


class ConsistencyView(InsightPage):
    template_name = "cx_audit/insights/consistency.html"
    tab = "consistency"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        ordering = _ordering(self.request, "meeting")
        (key,) = rankings.ordered_by(consistency.ITEM_CONSISTENCY_ORDERINGS, ordering, "meeting")
        sections = consistency.section_consistency(query)
        page = self.rows_page(ListRows(sorted(consistency.item_consistency(query), key=key)))
        return {
            **self.paging_context(page),
            "chain": consistency.chain_consistency(query),
            "sections": sections,
            "section_chart": charts.bar_chart(
                [charts.Bar(row.section, row.meeting_share) for row in sections],
                title=_("Share of locations meeting each section (%)"),
                weak_below=Decimal(60),
            )
            if sections
            else "",
            "sort": self.sort_links(consistency.ITEM_CONSISTENCY_ORDERINGS, ordering),
            "sections_csv_url": self.csv_url("insights-consistency-sections"),
            "items_csv_url": self.csv_url("insights-consistency-items"),
        }


COMPARE_LABELS = {
    "region": gettext_lazy("Regions"),
    "franchisee": gettext_lazy("Franchisees"),
    "outlet_type": gettext_lazy("Direct vs authorized"),
    "city_tier": gettext_lazy("City tiers"),
}


class ComparisonsView(InsightPage):
    template_name = "cx_audit/insights/comparisons.html"
    tab = "comparisons"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        by = self.request.GET.get("by") or "region"
        if by not in comparisons.COMPARE_BY:
            raise BadParameter(
                "by", _("Compare by one of: %(choices)s.") % {"choices": ", ".join(comparisons.COMPARE_BY)}
            )
        rows = comparisons.compare(query, by)
        filter_query = self.filters_only()
        choices = []
        for name in comparisons.COMPARE_BY:
            filter_query["by"] = name
            choices.append(
                {"label": COMPARE_LABELS[name], "url": f"?{filter_query.urlencode()}", "current": name == by}
            )
        return {
            "by": by,
            "choices": choices,
            "rows": rows,
            "drill": self._drill(rows, by),
            "chart": _comparison_chart(rows, _("Pooled points (0–100)")) if rows else "",
            "csv_url": self.csv_url("insights-comparisons", by=by),
        }

    def _drill(self, rows: list[comparisons.ComparisonRow], by: str) -> dict[str, str]:
        """Each group's link: the dashboard filtered to it (direct stores have no franchisee to filter by)."""
        links = {}
        for row in rows:
            if not row.key or (by == "franchisee" and not row.key.isdigit()):
                continue
            query = self.filters_only()
            if by == "city_tier":
                query.setlist("city_tier", [row.key])
            else:
                query[by] = row.key
            links[row.key] = f"{reverse('insights:dashboard')}?{query.urlencode()}"
        return links


class TrendsView(InsightPage):
    template_name = "cx_audit/insights/trends.html"
    tab = "trends"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        series = trends.trends(query)
        return {
            "chain_chart": _trend_chart(
                series["chain"] + series["outlet_type"], _("Pooled points per month (0–100)")
            ),
            "score_chart": _trend_chart(
                series["chain"] + series["outlet_type"], _("Mean score per month (0–100)"), "mean_score"
            ),
            "region_chart": _trend_chart(series["region"], _("Pooled points per month by region (0–100)")),
            "chain_rows": series["chain"],
            "outlet_rows": series["outlet_type"],
            "csv_urls": {by: self.csv_url("insights-trends", by=by) for by in trends.TREND_BY},
        }


class HeatMapsView(InsightPage):
    template_name = "cx_audit/insights/heatmaps.html"
    tab = "heatmaps"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        heat = heatmaps.touchpoint_regions(query)
        page = self.rows_page(heatmaps.location_sections(query, _ordering(self.request, "-rank")), 25)
        columns = heatmaps.section_columns(query)
        return {
            **self.paging_context(page),
            "touchpoints": heat,
            "touchpoint_chart": charts.heat_map(
                [row.touchpoint for row in heat.rows],
                [name for _code, name in heat.regions],
                [[row.regions.get(code) for code, _name in heat.regions] for row in heat.rows],
                title=_("Pooled points per touchpoint and region (0–100)"),
            )
            if heat.rows
            else "",
            "section_chart": _league_heat(page.rows, columns, self.filters_only().urlencode())
            if page.rows
            else "",
            "touchpoint_csv_url": self.csv_url("insights-heatmap-touchpoints"),
            "section_csv_url": self.csv_url("insights-heatmap-sections"),
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
                weak_below=Decimal(60),
            )
            if card.sections
            else "",
            "api_url": reverse("insights-location", args=[self.location.pk])
            + f"?{self.filters_only().urlencode()}",
            "is_direct": self.location.outlet_type == OutletType.DIRECT,
        }
