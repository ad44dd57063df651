"""The chain as a whole: the dashboard, groups of locations compared, and the trends.

chain (dashboard) → region (the dashboard filtered by region, its sub-regions compared) →
location (its scorecard, `pages.locations`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cx_audit.insights import catalogue, comparisons, consistency, heatmaps, standards, summary, trends
from cx_audit.insights.catalogue import Asked
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.latest import latest_set
from cx_audit.insights.pages.base import InsightPage
from cx_audit.insights.pages.charts import comparison_chart, league_heat, pareto, trend_chart


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
        worst, _count = catalogue.SECTION_HEAT_MAP.source(query).page(0, 15)  # worst first
        regressed, _count = catalogue.REGRESSIONS.source(query).page(0, self.top)
        columns = heatmaps.section_columns(query)
        filter_query = self.filters_only().urlencode()
        return {
            "summary": figures,
            "chain": chain,
            "standards": ranked.standards[: self.top],
            "pareto_chart": pareto(ranked.standards[:15]),
            "regions": regions,
            "region_chart": comparison_chart(regions, _("Pooled points by region (0–100)"), query),
            "outlets": outlets,
            "trend_chart": trend_chart(
                series["chain"] + series["outlet_type"], _("Pooled points per month (0–100)")
            ),
            "worst": worst,
            "heat_map": league_heat(worst, columns, filter_query) if worst else "",
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
        table = catalogue.COMPARISONS
        asked = self.asked(table, _("Compare by one of: %(choices)s."))
        by = asked.argument
        rows, _total = table.rows(query, asked).page(0, None)  # every group: no paging
        filter_query = self.filters_only()
        choices = []
        for name in table.argument.choices:
            filter_query["by"] = name
            choices.append(
                {"label": COMPARE_LABELS[name], "url": f"?{filter_query.urlencode()}", "current": name == by}
            )
        return {
            "by": by,
            "choices": choices,
            "rows": rows,
            "drill": self._drill(rows, by),
            "chart": comparison_chart(rows, _("Pooled points (0–100)"), query) if rows else "",
            "csv_url": self.table_csv_url(table, asked),
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
            "chain_chart": trend_chart(
                series["chain"] + series["outlet_type"], _("Pooled points per month (0–100)")
            ),
            "score_chart": trend_chart(
                series["chain"] + series["outlet_type"], _("Mean score per month (0–100)"), "mean_score"
            ),
            "region_chart": trend_chart(series["region"], _("Pooled points per month by region (0–100)")),
            "chain_rows": series["chain"],
            "outlet_rows": series["outlet_type"],
            "csv_urls": {
                by: self.table_csv_url(catalogue.TRENDS, Asked(argument=by))
                for by in catalogue.TRENDS.argument.choices
            },
        }
