"""The customer's Delta model (pure rules): experience from tags, expectations, key experiences."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cx_audit.voice.delta import DimensionVoice, customer_delta, key_experiences

D = Decimal


def voice(
    code: str, importance: int, pleasure: str, pain: str, mentions: int = 10, **extra
) -> DimensionVoice:
    return DimensionVoice(
        code, D(importance), extra.pop("expectation", D(8)), D(pleasure), D(pain), mentions, **extra
    )


class CustomerDeltaTests:
    def test_experience_is_the_pleasure_share_out_of_ten(self):
        (delta,) = customer_delta([voice("service", 9, "4.5", "1.5")])
        assert delta.experience == D("7.50")
        assert delta.satisfaction == D("-0.50")  # against the framework's expectation of 8
        assert delta.weighted == D("-4.50")
        assert delta.expectation_source == "framework"

    def test_all_praise_all_pain_and_nothing_felt(self):
        praise, pain, silent = customer_delta(
            [voice("product", 5, "3", "0"), voice("price", 5, "0", "2"), voice("brand_image", 5, "0", "0")]
        )
        assert (praise.experience, pain.experience, silent.experience) == (D(10), D(0), None)
        assert silent.weighted is None

    def test_too_few_mentions_is_no_experience(self):
        few, enough = customer_delta(
            [voice("price", 5, "1", "3", mentions=4), voice("price", 5, "1", "3", mentions=5)]
        )
        assert (few.experience, few.satisfaction, few.weighted) == (None, None, None)
        assert enough.experience == D("2.50")
        (lenient,) = customer_delta([voice("price", 5, "1", "3", mentions=4)], min_mentions=1)
        assert lenient.experience == D("2.50")

    def test_an_asked_expectation_wins_over_the_frameworks(self):
        (delta,) = customer_delta([voice("convenience", 6, "7", "3", asked_expectation=D("6.5"))])
        assert (delta.expectation, delta.expectation_source) == (D("6.5"), "asked")
        assert delta.satisfaction == D("0.50")
        assert delta.weighted == D("3.00")

    def test_rounds_once_at_the_end_half_up(self):
        (delta,) = customer_delta([voice("service", 3, "1", "2", expectation=D(0))])  # 10/3 = 3.333…
        assert delta.experience == D("3.33")
        assert delta.weighted == D("10.00")  # 3 × 3.333… exactly, not 3 × 3.33 = 9.99


class KeyExperienceTests:
    def test_importance_9_at_minus_2_outranks_importance_3_at_minus_4(self):
        # experience 6 against 8 (−2) at importance 9, experience 4 against 8 (−4) at importance 3
        deltas = customer_delta(
            [voice("price", 3, "4", "6"), voice("service", 9, "6", "4"), voice("product", 5, "9", "1")]
        )
        assert [(d.code, d.weighted) for d in key_experiences(deltas)] == [
            ("service", D(-18)),
            ("price", D(-12)),
        ]

    def test_only_shortfalls_worst_first_ties_by_code_limited(self):
        deltas = customer_delta(
            [voice(code, 5, "6", "4") for code in ("service", "brand_image", "price", "convenience")]
            + [voice("product", 9, "2", "8"), voice("relationship", 9, "1", "1", mentions=1)]
        )
        assert [d.code for d in key_experiences(deltas)] == ["product", "brand_image", "convenience"]
        assert [d.code for d in key_experiences(deltas, limit=None)][-1] == "service"
        assert key_experiences(customer_delta([voice("product", 9, "9", "1")])) == ()

    @settings(max_examples=100, deadline=None)
    @given(
        st.lists(
            st.tuples(st.integers(0, 10), st.integers(0, 50), st.integers(0, 50), st.integers(0, 9)),
            max_size=8,
        )
    )
    def test_key_experiences_are_sorted_negative_and_bounded(self, rows):
        dims = [voice(f"d{i}", imp, str(p), str(n), mentions=m) for i, (imp, p, n, m) in enumerate(rows)]
        keys = key_experiences(customer_delta(dims), limit=3)
        weights = [d.weighted for d in keys]
        assert len(keys) <= 3
        assert weights == sorted(weights)
        assert all(w is not None and w < 0 for w in weights)
        for d in customer_delta(dims):
            assert d.experience is None or 0 <= d.experience <= 10
