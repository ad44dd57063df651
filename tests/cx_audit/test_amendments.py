"""HQ's rulings in the scoring engine's terms (cx_audit/audits/amendments.py): pure, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cx_audit.audits import amendments, scoring
from cx_audit.audits.amendments import ItemRuling

SECTIONS = (scoring.SectionRule("signage"), scoring.SectionRule("display"))
DIMENSIONS = (scoring.DimensionRule("brand", Decimal(9), Decimal(8), Decimal(9)),)
ITEMS = (
    scoring.ItemRule(
        code="SIG-01",
        section="signage",
        answer_type="signage_text",
        weight=Decimal(3),
        critical=True,
        forbidden_terms=("体验店",),
        dimension="brand",
    ),
    scoring.ItemRule(code="SIG-02", section="signage", answer_type="yes_no", dimension="brand"),
    scoring.ItemRule(code="DIS-01", section="display", answer_type="rating", weight=Decimal(2)),
)
ANSWERS = {
    "SIG-01": scoring.Answer(text="极光数码体验店"),
    "SIG-02": scoring.Answer(yes=True),
    "DIS-01": scoring.Answer(number=Decimal(5)),
}


def score(*rulings: ItemRuling, answers=ANSWERS, previous=frozenset()) -> scoring.AuditScore:
    return amendments.score_with_rulings(
        outlet_type="authorized",
        items=ITEMS,
        answers=answers,
        sections=SECTIONS,
        dimensions=DIMENSIONS,
        previous_failures=previous,
        rulings=rulings,
    )


def item(result: scoring.AuditScore, code: str) -> scoring.ItemScore:
    return next(entry for entry in result.items if entry.code == code)


class RulingTests:
    def test_without_rulings_it_is_the_engine_itself(self):
        assert score() == scoring.score_audit(
            outlet_type="authorized", items=ITEMS, answers=ANSWERS, sections=SECTIONS, dimensions=DIMENSIONS
        )

    def test_the_original_fails_critically_and_is_capped(self):
        original = score()
        assert (original.raw_score, original.score, original.critical_failure) == (Decimal("62.50"), 50, True)

    def test_pass_gives_full_points_and_lifts_the_cap(self):
        result = score(ItemRuling("SIG-01", "pass", "the sign was replaced before the visit"))
        amended = item(result, "SIG-01")
        assert (amended.outcome, amended.earned, amended.possible) == (
            "pass",
            Decimal("3.00"),
            Decimal("3.00"),
        )
        assert not amended.critical_failed
        assert (result.score, result.critical_failure, result.band) == (Decimal("100.00"), False, "Excellent")
        assert (
            amended.reason == "amended by HQ after a dispute: passed — the sign was replaced before the visit"
        )
        assert result.dimensions[0].experience == Decimal("10.00")

    def test_partial_gives_the_share_and_a_critical_item_still_caps(self):
        result = score(ItemRuling("SIG-01", "partial", "half the sign", Decimal("0.5")))
        amended = item(result, "SIG-01")
        assert (amended.outcome, amended.earned) == ("partial", Decimal("1.50"))
        assert result.raw_score == Decimal("81.25")  # signage 2.5/4 = 62.5; display 100
        assert result.critical_failure
        assert result.score == Decimal("50.00")

    def test_struck_out_leaves_both_earned_and_possible(self):
        result = score(ItemRuling("SIG-01", "na", "not this outlet's sign"))
        amended = item(result, "SIG-01")
        assert (amended.outcome, amended.earned, amended.possible) == ("na", 0, 0)
        assert result.sections[0].score == Decimal("100.00")
        assert result.na_count == 1
        assert not result.critical_failure

    def test_a_passed_ruling_is_no_repeat_finding(self):
        assert item(score(previous=frozenset({"SIG-01"})), "SIG-01").repeat
        assert not item(
            score(ItemRuling("SIG-01", "pass", "ok"), previous=frozenset({"SIG-01"})), "SIG-01"
        ).repeat

    @pytest.mark.parametrize(
        ("ruling", "fraction"),
        [("maybe", None), ("partial", None), ("partial", Decimal(1)), ("partial", Decimal(0))],
    )
    def test_bad_rulings_are_refused(self, ruling, fraction):
        with pytest.raises(ValueError, match=r"ruling|share"):
            ItemRuling("SIG-01", ruling, "x", fraction)

    @given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.9999"), places=4))
    def test_a_partial_ruling_earns_exactly_its_share_and_never_lowers_the_raw_score(self, share):
        result = score(ItemRuling("SIG-01", "partial", "x", share))
        assert item(result, "SIG-01").fraction == share
        assert score().raw_score <= result.raw_score <= score(ItemRuling("SIG-01", "pass", "x")).raw_score
