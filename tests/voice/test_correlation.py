"""Spearman's rank correlation (pure, hand-written) against hand-computed examples, ties included."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_audit.voice.correlation import MIN_LOCATIONS, Correlation, describe, ranks, spearman


class RankTests:
    def test_ties_share_the_average_of_their_ranks(self):
        assert ranks([10, 20, 20, 5]) == (2, Fraction(7, 2), Fraction(7, 2), 1)
        assert ranks([Decimal("1.5")] * 3) == (2, 2, 2)

    def test_nan_cannot_be_ranked(self):
        with pytest.raises(ValueError, match="NaN"):
            ranks([1.0, float("nan")])


class SpearmanTests:
    def test_perfect_agreement_and_reversal_are_exactly_one(self):
        assert spearman([(1, 10), (2, 20), (3, 30)]).rho == 1.0
        assert spearman([(1, 30), (2, 20), (3, 10)]).rho == -1.0
        # ranks only: a monotone but far from linear relation is still perfect
        assert spearman([(Decimal(x), x**3) for x in range(1, 8)]).rho == 1.0

    def test_without_ties_it_is_the_textbook_formula(self):
        # d = −1, 1, −1, 1, 0: 1 − 6 × 4 / (5 × 24) = 0.8
        assert spearman([(1, 2), (2, 1), (3, 4), (4, 3), (5, 5)]).rho == pytest.approx(0.8)

    def test_with_ties_it_is_the_correlation_of_average_ranks(self):
        # x ranks 1, 2.5, 2.5, 4 against 1, 2, 3, 4: cov 4.5, variances 4.5 and 5 → 4.5 / √22.5 = √0.9.
        # The shortcut 1 − 6Σd²/(n(n²−1)) would say 0.95: wrong with ties.
        corr = spearman([(1, 1), (2, 2), (2, 3), (3, 4)])
        assert corr.rho == pytest.approx(math.sqrt(0.9))
        assert corr.rho != pytest.approx(0.95)

    def test_nothing_to_rank(self):
        assert spearman([(1, 2), (2, 3)]) == Correlation(None, 2, False)
        assert spearman([(1, 5), (2, 5), (3, 5)]) == Correlation(None, 3, False)
        assert spearman([]) == Correlation(None, 0, False)

    def test_no_claim_below_30_locations_but_rho_is_still_shown(self):
        pairs = [(x, x) for x in range(MIN_LOCATIONS)]
        below = spearman(pairs[:-1])
        assert (below.rho, below.n, below.claim) == (1.0, 29, False)
        assert spearman(pairs).claim

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 20), st.integers(-5, 5)), min_size=3, max_size=40))
    def test_bounded_symmetric_and_blind_to_monotone_rescaling(self, pairs):
        corr = spearman(pairs)
        if corr.rho is None:
            return
        assert -1 <= corr.rho <= 1
        assert spearman([(y, x) for x, y in pairs]).rho == pytest.approx(corr.rho)
        assert spearman([(Decimal(x) * 7 + 100, -y) for x, y in pairs]).rho == pytest.approx(-corr.rho)


class DescribeTests:
    def test_plain_words(self):
        assert describe(Correlation(0.75, 40, True)).startswith(
            "A strong positive correlation (ρ = 0.75, 40 locations)"
        )
        assert "moderate negative" in describe(Correlation(-0.5, 40, True))
        assert "weak positive" in describe(Correlation(0.25, 40, True))
        assert describe(Correlation(0.1, 40, True)).startswith("No meaningful correlation")

    def test_no_claim_and_no_rho(self):
        assert describe(Correlation(0.9, 12, False)).startswith(
            "No claim below 30 locations (ρ = 0.90, 12 locations"
        )
        assert describe(Correlation(None, 2, False)) == "Too few locations to compare (2)."
        assert "the same at every location" in describe(Correlation(None, 5, False), x="service section")
