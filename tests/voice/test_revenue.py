"""Revenue at risk (pure rules): the documented worked example, the funnel's invariants, the lever."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_audit.voice.revenue import (
    DEFAULT_SHARES,
    FunnelShares,
    RevenueAtRisk,
    complaint_lever,
    quantize_money,
    revenue_at_risk,
    roll_up,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "voice.md"
ROW = re.compile(r"^\|\s*`(\w+)`\s*\|[^|]*\|\s*([-\d,.]+)\s*\|\s*$")

# The worked example of docs/voice.md ("## Revenue at risk"), restated: a store with ¥12,000,000
# annual revenue and 18 % detractors, the default funnel, and the lever from 2 % to 5 %.
EXAMPLE = {
    "revenue": Decimal("12000000"),
    "negative_share": Decimal("0.18"),
    "complaint_rate": Decimal("0.02"),
    "affected": Decimal("2160000.00"),
    "complainers": Decimal("43200.00"),
    "silent": Decimal("2116800.00"),
    "lost": Decimal("964656.00"),
    "at_risk": Decimal("1178928.00"),
    "retained": Decimal("16416.00"),
    "lever_rate": Decimal("0.05"),
    "lost_then": Decimal("953640.00"),
    "saved": Decimal("11016.00"),
}


def documented_example(text: str) -> dict[str, Decimal]:
    """The `name` | formula | value rows of the "Revenue at risk" section."""
    section = text.split("## Revenue at risk", 1)[1].split("\n## ", 1)[0]
    found = (ROW.match(line.strip()) for line in section.splitlines())
    return {match[1]: Decimal(match[2].replace(",", "")) for match in found if match}


class WorkedExampleTests:
    def test_the_function_gives_the_example(self):
        shares = replace(DEFAULT_SHARES, complaint_rate=EXAMPLE["complaint_rate"])
        result = revenue_at_risk(EXAMPLE["revenue"], EXAMPLE["negative_share"], shares)
        for name in ("affected", "complainers", "silent", "lost", "at_risk", "retained"):
            assert quantize_money(getattr(result, name)) == EXAMPLE[name], name
        lever = complaint_lever(EXAMPLE["revenue"], EXAMPLE["negative_share"], shares, EXAMPLE["lever_rate"])
        assert lever.lost_now == result.lost
        assert quantize_money(lever.lost_then) == EXAMPLE["lost_then"]
        assert quantize_money(lever.saved) == EXAMPLE["saved"]

    def test_docs_voice_md_shows_the_same_example(self):
        assert DOC.exists(), "docs/voice.md is missing its 'Revenue at risk' section"
        assert documented_example(DOC.read_text(encoding="utf-8")) == EXAMPLE

    def test_the_parser_reads_value_rows_only(self):
        text = "## Revenue at risk\n| `lost` | a × b | 1,234.50 |\n| quantity | formula | value |\n"
        text += "## Next\n| `x` | | 1 |"
        assert documented_example(text) == {"lost": Decimal("1234.50")}


class FunnelSharesTests:
    def test_the_defaults_are_a_funnel_and_the_silent_keep_nobody(self):
        assert DEFAULT_SHARES.validate() is DEFAULT_SHARES
        assert DEFAULT_SHARES.silent_retained == 0

    def test_every_problem_is_named(self):
        shares = FunnelShares(complainer_retained=Decimal("0.5"), silent_lost=Decimal("1.2"))
        problems = shares.errors()
        assert "silent_lost must be between 0 and 1" in problems
        assert any("complainers retained + at risk + lost must be 1" in p for p in problems)
        assert any("silent at risk + lost" in p for p in problems)
        with pytest.raises(ValueError, match="silent_lost"):
            revenue_at_risk(Decimal(100), Decimal("0.1"), shares)

    @pytest.mark.parametrize(("revenue", "share"), [("-1", "0.1"), ("100", "1.01"), ("100", "-0.01")])
    def test_impossible_inputs_are_refused(self, revenue, share):
        with pytest.raises(ValueError, match=r"revenue|negative_share"):
            revenue_at_risk(Decimal(revenue), Decimal(share))


def decimals(places: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, high * 10**places).map(lambda units: Decimal(units).scaleb(-places))


@st.composite
def funnels(draw) -> FunnelShares:
    """Any valid funnel with shares of four decimals."""
    first, second = sorted(draw(st.lists(st.integers(0, 10_000), min_size=2, max_size=2)))
    at_risk, lost = sorted(draw(st.lists(st.integers(0, 10_000), min_size=2, max_size=2)))
    share = lambda units: Decimal(units).scaleb(-4)  # noqa: E731
    return FunnelShares(
        complaint_rate=draw(decimals(4, 1)),
        complainer_retained=share(first),
        complainer_at_risk=share(second - first),
        complainer_lost=share(10_000 - second),
        silent_at_risk=share(at_risk),
        silent_lost=share(lost - at_risk),
    )


revenues = decimals(2, 10**11)  # up to ¥100 billion, in cents
negative_shares = decimals(4, 1)


class RevenuePropertyTests:
    @settings(max_examples=200, deadline=None)
    @given(revenues, negative_shares, funnels())
    def test_lost_at_risk_and_retained_add_up_to_the_affected_revenue_exactly(self, revenue, share, funnel):
        result = revenue_at_risk(revenue, share, funnel)
        assert result.lost + result.at_risk + result.retained == result.affected == revenue * share
        assert result.complainers + result.silent == result.affected
        assert min(result.lost, result.at_risk, result.retained) >= 0

    @settings(max_examples=100, deadline=None)
    @given(revenues, negative_shares, decimals(4, 1), decimals(4, 1))
    def test_with_the_default_shares_more_complaints_lose_less(self, revenue, share, low, high):
        low, high = sorted((low, high))
        lever = complaint_lever(revenue, share, replace(DEFAULT_SHARES, complaint_rate=low), high)
        assert (
            lever.saved
            == lever.lost_now - lever.lost_then
            == revenue * share * (high - low) * Decimal("0.17")
        )
        if revenue * share and high > low:
            assert lever.lost_then < lever.lost_now

    @settings(max_examples=50, deadline=None)
    @given(st.lists(st.tuples(revenues, negative_shares), max_size=6))
    def test_the_roll_up_is_the_sum_of_its_locations(self, stores):
        items = [revenue_at_risk(revenue, share) for revenue, share in stores]
        total = roll_up(items)
        for name in ("revenue", "affected", "complainers", "silent", "lost", "at_risk", "retained"):
            assert getattr(total, name) == sum((getattr(item, name) for item in items), Decimal(0))
        assert total.lost + total.at_risk + total.retained == total.affected


class RollUpTests:
    def test_the_chains_negative_share_is_weighted_by_revenue(self):
        big, small = (
            revenue_at_risk(Decimal(9_000_000), Decimal("0.1")),
            revenue_at_risk(Decimal(1_000_000), Decimal("0.5")),
        )
        total = roll_up([big, small])
        assert total == big + small
        # (900,000 + 500,000) / 10,000,000, not (0.1 + 0.5) / 2
        assert total.negative_share == Decimal("0.14")

    def test_nothing_rolls_up_to_zero(self):
        empty = roll_up([])
        assert isinstance(empty, RevenueAtRisk)
        assert (empty.revenue, empty.negative_share, empty.lost) == (0, 0, 0)


def test_money_is_rounded_to_cents_half_up_only_for_display():
    assert quantize_money(Decimal("0.005")) == Decimal("0.01")
    assert quantize_money(Decimal("1234.5649")) == Decimal("1234.56")
    lost = revenue_at_risk(Decimal("100.01"), Decimal("0.3333")).lost
    funnel = Decimal("0.02") * Decimal("0.28") + Decimal("0.98") * Decimal("0.45")
    assert lost == Decimal("100.01") * Decimal("0.3333") * funnel
    assert quantize_money(lost) != lost  # kept exact inside
