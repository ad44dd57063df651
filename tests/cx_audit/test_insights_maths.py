"""The pure formulas of the insights (docs/insights.md), with hypothesis properties; no database."""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cx_audit.core import charts
from cx_audit.insights.maths import (
    consistency_index,
    dropped,
    mean,
    pareto,
    percentile,
    pooled_pct,
    rounded,
    share,
    spread,
    weighted_points_lost,
)
from cx_audit.insights.regions import RegionNode, ancestors, display_group
from cx_audit.insights.sums import AuditSums, sums_by, total

D = Decimal
scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
histograms = st.lists(st.tuples(scores, st.integers(min_value=0, max_value=5)), min_size=1, max_size=30)


def expand(histogram) -> list[Fraction]:
    return [Fraction(value) for value, count in histogram for _ in range(count)]


class PercentileTests:
    def test_worked_example(self):
        # 50, 75, 100, 100: h = 3q; Q1 = 50 + 0.75·25, median halfway between 75 and 100, Q3 = 100.
        histogram = [(D(100), 2), (D(50), 1), (D(75), 1)]
        assert percentile(histogram, Fraction(1, 4)) == Fraction("68.75")
        assert percentile(histogram, Fraction(1, 2)) == Fraction("87.5")
        assert spread(histogram).iqr == Fraction("31.25")
        assert consistency_index(histogram) == Fraction("68.75")

    def test_empty_and_single(self):
        assert percentile([], Fraction(1, 2)) is None
        assert percentile([(D(10), 0)], Fraction(1, 2)) is None
        assert spread([(D(42), 3)]).iqr == 0
        assert consistency_index([(D(42), 1)]) == 100
        assert consistency_index([]) is None

    def test_rejects_bad_input(self):
        with pytest.raises(ValueError, match="q must"):
            percentile([(D(1), 1)], 2)
        with pytest.raises(ValueError, match="negative"):
            percentile([(D(1), -1)], Fraction(1, 2))

    @given(histograms)
    def test_same_as_python_statistics_inclusive_quartiles(self, histogram):
        values = expand(histogram)
        if len(values) < 2:
            return
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        found = spread(histogram)
        assert (found.q1, found.median, found.q3) == (q1, median, q3)
        assert found.median == statistics.median(values)

    @given(histograms, st.randoms())
    def test_order_and_splitting_of_counts_do_not_matter(self, histogram, rng):
        split = [(value, 1) for value, count in histogram for _ in range(count)]
        rng.shuffle(split)
        assert spread(split) == spread(histogram)

    @given(histograms, st.fractions(min_value=0, max_value=1), st.fractions(min_value=0, max_value=1))
    def test_monotone_and_within_range(self, histogram, a, b):
        values = expand(histogram)
        if not values:
            return
        low, high = sorted((a, b))
        assert min(values) <= percentile(histogram, low) <= percentile(histogram, high) <= max(values)

    @given(histograms)
    def test_the_number_type_of_the_values_does_not_matter(self, histogram):
        # The database hands back decimals (PostgreSQL) or floats (SQLite); the quartiles are exact.
        found = spread(histogram)
        assert spread([(Fraction(value), count) for value, count in histogram]) == found
        assert spread([(float(value), count) for value, count in histogram]) == found
        mixed = [(Fraction(value) if n % 2 else value, count) for n, (value, count) in enumerate(histogram)]
        assert spread(mixed) == found
        assert found.consistency == consistency_index(histogram)

    @given(histograms, st.decimals(min_value=-50, max_value=50, places=2))
    def test_consistency_ignores_the_level_of_scores(self, histogram, shift):
        if not expand(histogram):
            return
        moved = [(value + shift, count) for value, count in histogram]
        assert consistency_index(moved) == consistency_index(histogram)
        assert 0 <= consistency_index(histogram) <= 100


class PooledTests:
    def test_pooled_is_not_the_mean_of_group_percentages(self):
        # A direct store 3 of 4 points (75 %), an outlet 4.5 of 5 (90 %): pooled 7.5 / 9 = 83.33 %.
        assert rounded(pooled_pct(D("7.5"), D(9))) == D("83.33")
        assert rounded((pooled_pct(3, 4) + pooled_pct(D("4.5"), 5)) / 2) == D("82.50")

    def test_nothing_possible(self):
        assert pooled_pct(0, 0) is None
        assert mean(0, 0) is None
        assert share(1, 0) is None

    @given(
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=50), st.integers(min_value=1, max_value=50)),
            min_size=1,
            max_size=10,
        )
    )
    def test_pooled_lies_between_the_groups_and_adds_up(self, groups):
        groups = [(min(earned, possible), possible) for earned, possible in groups]
        whole = pooled_pct(sum(e for e, _ in groups), sum(p for _, p in groups))
        parts = [pooled_pct(e, p) for e, p in groups]
        assert min(parts) <= whole <= max(parts)
        # equal to the mean of the parts weighted by points possible, not by group
        weighted = sum(part * p for part, (_, p) in zip(parts, groups, strict=True)) / sum(
            p for _, p in groups
        )
        assert whole == weighted

    def test_rounding_is_half_up(self):
        assert rounded(Fraction(12345, 1000)) == D("12.35")
        assert rounded(None) is None


class ParetoTests:
    def test_vital_few_reach_eighty_percent(self):
        rows = pareto([("A", 10), ("B", 50), ("C", 30), ("D", 10), ("E", 0)])
        assert [(row.key, row.cumulative, row.vital) for row in rows] == [
            ("B", Fraction(1, 2), True),
            ("C", Fraction(4, 5), True),  # reaches 80 % exactly: in, and the last one in
            ("A", Fraction(9, 10), False),
            ("D", Fraction(1), False),
            ("E", Fraction(1), False),
        ]

    def test_nothing_lost_nothing_vital(self):
        assert not any(row.vital for row in pareto([("A", 0), ("B", 0)]))
        assert pareto([]) == []

    @given(
        st.dictionaries(
            st.text(min_size=1, max_size=4), st.integers(min_value=0, max_value=1000), max_size=20
        )
    )
    def test_properties(self, losses):
        rows = pareto(losses.items())
        assert sorted(row.key for row in rows) == sorted(losses)
        assert [row.lost for row in rows] == sorted((Fraction(v) for v in losses.values()), reverse=True)
        running = [row.cumulative for row in rows]
        assert running == sorted(running)
        total = sum(losses.values())
        if total:
            assert running[-1] == 1
            vital = [row for row in rows if row.vital]
            assert vital == rows[: len(vital)]  # a prefix
            assert vital[-1].cumulative >= Fraction(4, 5)  # it reaches the cutoff
            assert len(vital) == 1 or vital[-2].cumulative < Fraction(4, 5)  # and is the shortest that does
        else:
            assert not any(row.vital for row in rows)


class WeightedGapTests:
    def test_importance_weighs_points_lost(self):
        # importance 9, 1 point lost → 0.9; importance 8, 2 of 3 lost → 1.6; nothing lost → 0
        assert weighted_points_lost([(D(9), D(0), D(1)), (D(8), D(1), D(3)), (D(5), D(2), D(2))]) == Fraction(
            5, 2
        )

    @given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 5), st.integers(0, 5)), max_size=8))
    def test_never_more_than_the_points_lost(self, dimensions):
        dimensions = [(i, min(e, p), p) for i, e, p in dimensions]
        lost = sum(p - e for _, e, p in dimensions)
        assert 0 <= weighted_points_lost(dimensions) <= lost


class RegionTests:
    REGIONS = [
        RegionNode(1, None, "N", "North"),
        RegionNode(2, 1, "NE", "North-East"),
        RegionNode(3, 2, "NE1", "Harbin cluster"),
        RegionNode(4, None, "S", "South"),
    ]

    def test_rolls_up_to_the_top_without_focus(self):
        assert display_group(self.REGIONS, None) == {None: None, 1: 1, 2: 1, 3: 1, 4: 4}

    def test_rolls_up_to_the_focus_children(self):
        assert display_group(self.REGIONS, 1) == {None: None, 1: 1, 2: 2, 3: 2}
        assert display_group(self.REGIONS, 3) == {None: None, 3: 3}

    def test_ancestors_top_down_and_safe_on_loops(self):
        assert ancestors(self.REGIONS, 3) == [1, 2, 3]
        looped = [RegionNode(1, 2, "A", "A"), RegionNode(2, 1, "B", "B")]
        assert ancestors(looped, 1) == [2, 1]


NS = {"svg": "http://www.w3.org/2000/svg"}


class InsightChartTests:
    def test_line_chart_breaks_at_missing_months_and_escapes(self):
        svg = ET.fromstring(
            charts.line_chart(
                [charts.Series("Direct <&>", [D(50), D(60), None, D(80)])],
                x_labels=["2025-01", "2025-02", "2025-03", "2025-04"],
                title="Trend",
            )
        )
        assert len(svg.findall("svg:polyline", NS)) == 1  # 50–60; 80 stands alone
        assert len(svg.findall("svg:circle", NS)) == 3
        assert "Direct <&>: 2025-01 50, 2025-02 60, 2025-03 n/a" in svg.find("svg:desc", NS).text

    def test_heat_map_colours_and_links(self):
        svg = ET.fromstring(
            charts.heat_map(
                ["L1", "L2"], ["Signage"], [[D(0)], [None]], title="Heat", row_links=["/a?x=1&y=2", "/b"]
            )
        )
        cells = svg.findall("svg:rect", NS)
        assert cells[0].get("fill") == charts.heat_colour(D(0)) != charts.heat_colour(D(100))
        assert cells[1].get("fill") == charts.heat_colour(None)
        assert svg.findall("svg:a", NS)[0].get("href") == "/a?x=1&y=2"

    @given(st.decimals(min_value=-10, max_value=110, places=1))
    def test_heat_colour_is_always_a_colour(self, value):
        assert len(charts.heat_colour(value)) == 7

    def test_pareto_chart_marks_the_vital_few(self):
        svg = ET.fromstring(
            charts.pareto_chart(
                [
                    charts.ParetoBar("SIG-01", D(8), D(80), True),
                    charts.ParetoBar("DIS-02", D(2), D(100), False),
                ],
                title="Pareto",
            )
        )
        bars = svg.findall("svg:rect", NS)
        assert bars[0].get("fill") == charts.COLOURS["weak"]
        assert bars[1].get("fill") == charts.COLOURS["bar"]
        assert float(bars[0].get("width")) == 4 * float(bars[1].get("width"))
        assert svg.find("svg:line[@class='cutoff']", NS) is not None


class RegressionTests:
    def test_more_than_the_threshold_is_a_regression_exactly_the_threshold_is_not(self):
        assert dropped(D("79.99"), D("90.00"), D("10.00"))
        assert not dropped(D("80.00"), D("90.00"), D("10.00"))
        assert not dropped(D("95.00"), D("90.00"), D("10.00"))
        assert not dropped(D("10.00"), None, D("10.00"))  # a first audit never is


class _Audit:
    def __init__(self, score, critical, failed, repeats, earned, possible):
        self.score, self.critical_failure, self.failed_count = score, critical, failed
        self.repeat_count, self.earned, self.possible = repeats, earned, possible


audits = st.lists(
    st.builds(
        _Audit,
        scores,
        st.booleans(),
        st.integers(0, 20),
        st.integers(0, 5),
        st.decimals(min_value=0, max_value=50, places=4),
        st.decimals(min_value=50, max_value=100, places=4),
    ),
    max_size=40,
)


class SumsTests:
    @given(audits, st.integers(min_value=1, max_value=4))
    def test_groups_add_up_to_the_whole(self, rows, groups):
        by_group = sums_by(rows, lambda audit: int(audit.score) % groups)
        whole = total(by_group.values())
        direct = AuditSums()
        for audit in rows:
            direct.add(audit)
        assert whole == direct
        assert whole.locations == len(rows) == sum(group.locations for group in by_group.values())
        assert whole.clean == sum(1 for audit in rows if not audit.critical_failure)
        assert spread(whole.histogram) == spread([(audit.score, 1) for audit in rows])
