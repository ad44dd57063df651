"""The SVG charts: valid XML, bars proportional to their values, labels escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cx_audit.core import charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


class BarChartTests:
    def test_bars_are_proportional_and_weak_ones_red(self):
        svg = parse(
            charts.bar_chart(
                [charts.Bar("Signage", Decimal("50")), charts.Bar("Display", Decimal("100"))],
                title="Sections",
                weak_below=Decimal(60),
            )
        )
        bars = svg.findall("svg:rect", NS)
        widths = [float(bar.get("width")) for bar in bars]
        assert widths[1] == 2 * widths[0] == charts.PLOT_WIDTH
        assert bars[0].get("fill") == charts.COLOURS["weak"]
        assert bars[1].get("fill") == charts.COLOURS["bar"]
        assert svg.find("svg:title", NS).text == "Sections"
        assert "Signage: 50" in svg.find("svg:desc", NS).text

    def test_missing_value_is_marked_not_drawn(self):
        svg = parse(charts.bar_chart([charts.Bar("Facilities", None)], title="t"))
        assert not svg.findall("svg:rect", NS)
        assert any(text.text == "n/a" for text in svg.findall("svg:text", NS))

    def test_labels_are_escaped(self):
        svg = charts.bar_chart([charts.Bar('<script>"x"</script>', Decimal(1))], title="a & b")
        assert "<script>" not in svg
        assert parse(svg).find("svg:title", NS).text == "a & b"

    @given(st.lists(st.decimals(min_value=-50, max_value=200, places=2), min_size=1, max_size=12))
    def test_bars_never_leave_the_plot(self, values):
        svg = parse(charts.bar_chart([charts.Bar(f"s{i}", v) for i, v in enumerate(values)], title="t"))
        for bar in svg.findall("svg:rect", NS):
            assert 0 <= float(bar.get("width")) <= charts.PLOT_WIDTH


class DeltaChartTests:
    def test_experience_bar_with_expectation_and_ideal_markers(self):
        svg = parse(
            charts.delta_chart(
                [charts.DeltaRow("Price", Decimal("5"), Decimal("7"), Decimal("9"), key=True)], title="Delta"
            )
        )
        bar = svg.find("svg:rect", NS)
        assert float(bar.get("width")) == charts.PLOT_WIDTH / 2
        assert bar.get("fill") == charts.COLOURS["weak"]
        expectation = svg.find("svg:line[@class='expectation']", NS)
        ideal = svg.find("svg:line[@class='ideal']", NS)
        assert float(expectation.get("x1")) == charts.LABEL_WIDTH + charts.PLOT_WIDTH * 0.7
        assert float(ideal.get("x1")) == charts.LABEL_WIDTH + charts.PLOT_WIDTH * 0.9
        assert "Price ★" in [text.text for text in svg.findall("svg:text", NS)]
