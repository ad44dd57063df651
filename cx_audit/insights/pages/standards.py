"""The standards: their gap ranking, one standard with the locations failing it, and consistency."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from cx_audit.core import charts
from cx_audit.insights import catalogue, consistency, standards
from cx_audit.insights.catalogue import Asked
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.pages.base import InsightPage
from cx_audit.insights.pages.charts import pareto, pass_rate


class StandardsView(InsightPage):
    template_name = "cx_audit/insights/standards.html"
    tab = "standards"
    page_size = 25

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        asked = self.asked(catalogue.STANDARDS)
        ranked = catalogue.standards_of(query)  # the table's rows, read once for the charts too
        context = self.table_context(catalogue.STANDARDS, query, asked, self.page_size)
        rows = context["rows"]
        shown = {row.item_code for row in rows}
        region_rows = [row for row in ranked.by_region if row.item_code in shown]
        region_columns = sorted({(row.region_code, row.region) for row in region_rows})
        cells = {(row.item_code, row.region_code): row.fail_rate for row in region_rows}
        return {
            **context,
            "pareto_chart": pareto(ranked.standards[:20]) if ranked.standards else "",
            "total_lost": ranked.total_points_lost,
            "vital_count": sum(1 for row in ranked.standards if row.vital_few),
            "standard_count": len(ranked.standards),
            "region_heat": charts.heat_map(
                [row.item_code for row in rows],
                [name or "—" for _code, name in region_columns],
                [
                    [pass_rate(cells.get((row.item_code, code))) for code, _name in region_columns]
                    for row in rows
                ],
                title=_("Share of locations meeting each standard, by region (100 − fail rate)"),
            )
            if rows and region_columns
            else "",
            "region_csv_url": self.table_csv_url(catalogue.STANDARDS_BY_REGION),
        }


class StandardDetailView(InsightPage):
    template_name = "cx_audit/insights/standard_detail.html"
    tab = "standards"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        code = kwargs["code"]
        ranked = {row.item_code: row for row in standards.standards(query, by_region=False).standards}
        context = self.table_context(catalogue.FAILING_LOCATIONS, query, Asked(argument=code))
        if code not in ranked and not context["rows"]:
            raise Http404(_("No location was assessed on this standard in the period."))
        return {**context, "standard": ranked.get(code), "item_code": code}


class ConsistencyView(InsightPage):
    template_name = "cx_audit/insights/consistency.html"
    tab = "consistency"

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        asked = self.asked(catalogue.CONSISTENCY_ITEMS)
        sections = consistency.section_consistency(query)
        return {
            **self.table_context(catalogue.CONSISTENCY_ITEMS, query, asked),
            "chain": consistency.chain_consistency(query),
            "sections": sections,
            "section_chart": charts.bar_chart(
                [charts.Bar(row.section, row.meeting_share) for row in sections],
                title=_("Share of locations meeting each section (%)"),
                weak_below=query.brand.weak_below,
            )
            if sections
            else "",
            "sections_csv_url": self.table_csv_url(catalogue.CONSISTENCY_SECTIONS),
        }
