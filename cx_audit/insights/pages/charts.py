"""The charts several insight pages draw (SVG, `cx_audit.core.charts`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from cx_audit.core import charts
from cx_audit.insights import comparisons, heatmaps, standards, trends
from cx_audit.insights.filters import InsightQuery


def league_heat(rows: list[heatmaps.SectionHeatRow], columns: list[Any], filter_query: str) -> str:
    return charts.heat_map(
        [
            f"{row.location_code} {row.location_name}"
            + (f" ({_('no score')})" if row.no_score_reason else "")
            for row in rows
        ],
        [label.name for label in columns],
        [[row.sections.get(label.code) for label in columns] for row in rows],
        title=_("Section scores of each location's latest audit (0–100)"),
        row_links=[f"{reverse('insights:location', args=[row.location_id])}?{filter_query}" for row in rows],
    )


def trend_chart(points: list[trends.TrendPoint], title: str, value: str = "pooled_pct") -> str:
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


def pareto(rows: list[standards.StandardRow]) -> str:
    return charts.pareto_chart(
        [
            charts.ParetoBar(f"{row.item_code}", row.points_lost, row.cumulative_share, row.vital_few)
            for row in rows
        ],
        title=_("Points lost per standard, with the running share of all points lost"),
    )


def comparison_chart(rows: list[comparisons.ComparisonRow], title: str, query: InsightQuery) -> str:
    return charts.bar_chart(
        [charts.Bar(row.label, row.pooled_pct) for row in rows if row.key],
        title=title,
        weak_below=query.brand.weak_below,
    )


def pass_rate(fail_rate: Decimal | None) -> Decimal | None:
    return None if fail_rate is None else Decimal(100) - fail_rate
