"""`cx_audit/audits/scoring/`: every rule of docs/scoring.md, then hypothesis properties of the whole.

No database: the scoring is a pure function. Test classes are named `<Thing>Tests` (STYLE §5),
which pyproject's `python_classes` collects.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cx_audit.audits.scoring import (
    DEFAULT_BANDS,
    DEFAULT_POLICY,
    Answer,
    AnswerKind,
    AuditScore,
    Band,
    DimensionRule,
    ItemRule,
    ItemScore,
    Outcome,
    Policy,
    SectionRule,
    answer_issue,
    answer_problem,
    band_for,
    band_problems,
    missing_answers,
    normalise,
    score_audit,
    signage_matches,
)
from cx_audit.audits.scoring.numbers import _round

D = Decimal
BOTH = frozenset({"direct", "authorized"})
YES, NO = Answer(yes=True), Answer(yes=False)
NA, CANNOT = Answer(kind=AnswerKind.NA), Answer(kind=AnswerKind.CANNOT_CHECK)
RESERVED = ("Store", "Retail", "Experience Store", "Flagship", "体验店", "旗舰店", "专卖店")


def rated(value: int | str) -> Answer:
    return Answer(number=D(value))


def price(observed: str, listed: str) -> Answer:
    return Answer(number=D(observed), list_price=D(listed))


def sign(text: str, photos: int = 0) -> Answer:
    return Answer(text=text, photos=photos)


def audit(
    items: list[ItemRule],
    answers: dict[str, Answer],
    outlet: str = "direct",
    sections: list[SectionRule] | None = None,
    **options,
) -> AuditScore:
    """Score with one weight-1 section per section code the items use, unless sections are given."""
    if sections is None:
        sections = [SectionRule(code) for code in dict.fromkeys(item.section for item in items)]
    return score_audit(outlet_type=outlet, items=items, answers=answers, sections=sections, **options)


def one(rule: ItemRule, answer: Answer | None, outlet: str = "direct", **options) -> ItemScore:
    answers = {} if answer is None else {rule.code: answer}
    return audit([rule], answers, outlet, **options).items[0]


NUMBER = ItemRule("DSP-01", "display", "number", weight=D(3), targets={"direct": D(24), "authorized": D(8)})
PRICE = ItemRule(
    "PRC-01",
    "pricing",
    "price",
    weight=D(3),
    price_bands={"direct": (D(100), D(100)), "authorized": (D(90), D(100))},
)
SIGNAGE = ItemRule(
    "SIG-01",
    "signage",
    "signage_text",
    applies_to=frozenset({"authorized"}),
    required_terms=("Authorized Dealer",),
    forbidden_terms=RESERVED,
)


class NormaliseTests:
    def test_full_width_becomes_ascii_and_case_folds(self):
        assert normalise("ＨＵＡＷＥＩ Ｓｔｏｒｅ") == "huawei store"

    def test_whitespace_runs_collapse_and_trim(self):
        assert normalise("  Experience\t\n  Store\u3000\u00a0Now ") == "experience store now"

    def test_casefold_is_stronger_than_lower(self):
        assert normalise("STRASSE") == normalise("Straße")


class SignageMatchesTests:
    @pytest.mark.parametrize(
        "text",
        [
            "Huawei Store",
            "HUAWEI STORE",
            "store体验店",
            "Aurora STORE.",
            "Ｓｔｏｒｅ",
            "(store)",
            "體驗 Store",
        ],
    )
    def test_latin_term_matches_as_a_whole_word(self, text):
        assert signage_matches(text, ["Store"]) == ("Store",)

    @pytest.mark.parametrize(
        "text", ["Restore", "Stores", "Store2", "Storeroom", "2Store", "Storé", "ÉStore"]
    )
    def test_latin_term_does_not_match_inside_a_longer_word(self, text):
        assert signage_matches(text, ["Store"]) == ()

    def test_plural_needs_its_own_term(self):
        assert signage_matches("Aurora Stores", ["Store", "Stores"]) == ("Stores",)

    @pytest.mark.parametrize("text", ["Aurora体验店", "极光数码体验店旗舰", "体验店", "Aurora 体验店 Store"])
    def test_cjk_term_matches_as_a_substring(self, text):
        assert signage_matches(text, ["体验店"]) == ("体验店",)

    def test_cjk_term_not_found_when_absent(self):
        assert signage_matches("极光授权经销商", ["体验店", "旗舰店"]) == ()

    def test_multi_word_term_matches_across_any_whitespace(self):
        assert signage_matches("Aurora Experience\n  STORE", ["Experience Store"]) == ("Experience Store",)

    def test_full_width_term_and_text(self):
        assert signage_matches("極光 Ｆｌａｇｓｈｉｐ", ["FLAGSHIP"]) == ("FLAGSHIP",)

    def test_japanese_and_korean_count_as_cjk(self):
        assert signage_matches("オーロラストア", ["ストア"]) == ("ストア",)
        assert signage_matches("오로라매장", ["매장"]) == ("매장",)

    def test_latin_term_next_to_kana_or_hangul_is_a_word(self):
        assert signage_matches("ストアStore", ["Store"]) == ("Store",)
        assert signage_matches("매장Store", ["Store"]) == ("Store",)

    def test_matched_terms_are_reported_as_given_in_term_order_once(self):
        found = signage_matches("旗舰店 Store store", ["Store", "体验店", "旗舰店", "Store"])
        assert found == ("Store", "旗舰店")

    def test_regex_characters_in_terms_are_literal(self):
        assert signage_matches("Aurora (Authorized)", ["(Authorized)"]) == ("(Authorized)",)
        assert signage_matches("Aurora Authorized", ["(Authorized)"]) == ()
        assert signage_matches("A.B", ["A*B"]) == ()

    def test_blank_term_never_matches(self):
        assert signage_matches("anything", ["", "   "]) == ()


class AnswerProblemTests:
    @pytest.mark.parametrize(
        ("rule", "answer", "field", "message"),
        [
            (ItemRule("A", "s", "yes_no"), Answer(), "yes", "answer yes or no"),
            (ItemRule("A", "s", "rating"), rated(0), "number", "a rating is a whole number from 1 to 5"),
            (ItemRule("A", "s", "rating"), rated(6), "number", "a rating is a whole number from 1 to 5"),
            (ItemRule("A", "s", "rating"), rated("3.5"), "number", "a rating is a whole number from 1 to 5"),
            (ItemRule("A", "s", "rating"), Answer(), "number", "a rating is a whole number from 1 to 5"),
            (ItemRule("A", "s", "rating"), rated("NaN"), "number", "a rating is a whole number from 1 to 5"),
            (NUMBER, Answer(), "number", "give a number"),
            (NUMBER, Answer(number=D("Infinity")), "number", "give a number"),
            (NUMBER, Answer(number=D(-1)), "number", "a number cannot be negative"),
            (PRICE, Answer(number=D(5)), "list_price", "give the observed price and the list price"),
            (PRICE, Answer(list_price=D(5)), "number", "give the observed price and the list price"),
            (PRICE, price("5", "0"), "list_price", "the list price must be more than 0"),
            (PRICE, price("-1", "10"), "number", "the observed price cannot be negative"),
            (SIGNAGE, sign("  "), "text", "write down the signage text as it is shown"),
            (ItemRule("A", "s", "yes_no"), NA, "kind", "N/A is not allowed for this item"),
            (
                ItemRule("A", "s", "yes_no", cannot_check_allowed=False),
                CANNOT,
                "kind",
                "'cannot check' is not allowed for this item",
            ),
            (
                ItemRule("A", "s", "photo"),
                Answer(photos=-1),
                "photos",
                "the number of photos cannot be negative",
            ),
        ],
    )
    def test_rejects_with_field_and_reason(self, rule, answer, field, message):
        assert answer_problem(rule, answer) == message
        assert answer_issue(rule, answer) == (field, message)

    @pytest.mark.parametrize(
        ("rule", "answer"),
        [
            (ItemRule("A", "s", "yes_no"), NO),
            (ItemRule("A", "s", "rating"), rated("4.0")),
            (NUMBER, Answer(number=D(0))),
            (PRICE, price("0", "1")),
            (SIGNAGE, sign("x")),
            (ItemRule("A", "s", "yes_no", na_allowed=True), NA),
            (ItemRule("A", "s", "yes_no"), CANNOT),
            (ItemRule("A", "s", "text"), Answer()),  # completeness, not validity: see missing_answers
            (ItemRule("A", "s", "photo"), Answer()),
        ],
    )
    def test_accepts(self, rule, answer):
        assert answer_problem(rule, answer) is None

    def test_na_needs_no_value(self):
        assert answer_problem(replace(PRICE, na_allowed=True), NA) is None


class MissingAnswersTests:
    ITEMS = (
        ItemRule("Y", "s", "yes_no"),
        ItemRule("P", "s", "photo"),
        ItemRule("T", "s", "text", na_allowed=True),
        ItemRule("R", "s", "yes_no", photo_required=True),
        ItemRule("ONLY-AUTH", "s", "yes_no", applies_to=frozenset({"authorized"})),
        ItemRule("BAD", "s", "rating"),
    )

    def test_reports_each_incomplete_applicable_item_in_order(self):
        answers = {"P": Answer(), "T": Answer(text=" "), "R": YES, "BAD": rated(9)}
        assert missing_answers(outlet_type="direct", items=self.ITEMS, answers=answers) == [
            ("Y", "not answered"),
            ("P", "take at least one photo"),
            ("T", "write the answer"),
            ("R", "a photo is required for this item"),
            ("BAD", "a rating is a whole number from 1 to 5"),
        ]

    def test_complete_audit_has_nothing_missing(self):
        answers = {
            "Y": NO,
            "P": Answer(photos=1),
            "T": Answer(text="ok"),
            "R": Answer(yes=True, photos=2),
            "BAD": rated(3),
        }
        assert missing_answers(outlet_type="direct", items=self.ITEMS, answers=answers) == []

    def test_na_and_cannot_check_need_no_photo_or_text(self):
        answers = {"Y": CANNOT, "P": CANNOT, "T": NA, "R": CANNOT, "BAD": CANNOT}
        assert missing_answers(outlet_type="direct", items=self.ITEMS, answers=answers) == []

    def test_items_for_other_outlet_types_are_not_asked(self):
        missing = missing_answers(outlet_type="authorized", items=self.ITEMS, answers={})
        assert ("ONLY-AUTH", "not answered") in missing
        assert "ONLY-AUTH" not in dict(missing_answers(outlet_type="direct", items=self.ITEMS, answers={}))


class YesNoTests:
    def test_yes_earns_the_weight(self):
        item = one(ItemRule("A", "s", "yes_no", weight=D(2)), YES)
        assert (item.outcome, item.earned, item.possible, item.fraction) == (Outcome.PASS, 2, 2, 1)
        assert item.reason == "yes → 1"

    def test_no_earns_nothing(self):
        item = one(ItemRule("A", "s", "yes_no", weight=D(2)), NO)
        assert (item.outcome, item.earned, item.possible, item.reason) == (Outcome.FAIL, 0, 2, "no → 0")
        assert item.failed


class RatingTests:
    @pytest.mark.parametrize(
        ("rating", "fraction", "outcome"),
        [
            (1, "0.00", Outcome.FAIL),
            (2, "0.25", Outcome.PARTIAL),
            (3, "0.50", Outcome.PARTIAL),
            (4, "0.75", Outcome.PARTIAL),
            (5, "1.00", Outcome.PASS),
        ],
    )
    def test_rating_r_earns_r_minus_one_quarters(self, rating, fraction, outcome):
        item = one(ItemRule("A", "s", "rating", weight=D(4)), rated(rating))
        assert item.fraction == D(fraction)
        assert item.earned == D(fraction) * 4
        assert item.outcome == outcome
        assert item.reason == f"rated {rating} of 5 → {fraction}"
        assert item.failed is (outcome != Outcome.PASS)


class NumberTests:
    def test_partial_credit_below_target(self):
        item = one(replace(NUMBER, targets={"direct": D(10)}, weight=D(1)), Answer(number=D(7)))
        assert (item.outcome, item.earned, item.fraction) == (Outcome.PARTIAL, D("0.70"), D("0.7000"))
        assert item.reason == "7 of target 10 (direct) → 0.70"

    def test_capped_at_full_marks(self):
        item = one(NUMBER, Answer(number=D(30)))
        assert (item.outcome, item.earned, item.possible) == (Outcome.PASS, 3, 3)
        assert item.reason == "30 of target 24 (direct) → 1.00"

    def test_target_depends_on_the_outlet_type(self):
        assert one(NUMBER, Answer(number=D(8)), "authorized").outcome == Outcome.PASS
        direct = one(NUMBER, Answer(number=D(8)), "direct")
        assert direct.earned == D("1.00")  # 8/24 of weight 3
        assert direct.reason == "8 of target 24 (direct) → 0.33"

    def test_zero_earns_nothing(self):
        assert one(NUMBER, Answer(number=D(0))).outcome == Outcome.FAIL

    def test_exact_thirds_are_rounded_only_on_output(self):
        item = one(replace(NUMBER, weight=D(1)), Answer(number=D(8)))
        assert (item.earned, item.fraction) == (D("0.33"), D("0.3333"))
        result = audit(
            [replace(NUMBER, code=f"N{n}", weight=D(1)) for n in range(3)],
            {f"N{n}": Answer(number=D(8)) for n in range(3)},
        )
        assert result.sections[0].earned == D("1.00")  # 3 × 1/3 exactly, not 0.99
        assert result.sections[0].score == D("33.33")

    @pytest.mark.parametrize(
        ("value", "outcome"), [("2", Outcome.FAIL), ("3", Outcome.PASS), ("9", Outcome.PASS)]
    )
    def test_pass_fail_is_all_or_nothing(self, value, outcome):
        rule = ItemRule("GRT", "s", "number", weight=D(3), targets={"direct": D(3)}, pass_fail=True)
        item = one(rule, Answer(number=D(value)))
        assert item.outcome == outcome
        assert item.earned == (3 if outcome == Outcome.PASS else 0)
        assert item.reason == f"{value} of target 3 (direct), pass/fail → {outcome.value}"

    @pytest.mark.parametrize("pass_fail", [False, True])
    def test_zero_target_is_always_met(self, pass_fail):
        rule = ItemRule("Z", "s", "number", targets={"direct": D(0)}, pass_fail=pass_fail)
        item = one(rule, Answer(number=D(0)))
        assert (item.outcome, item.earned) == (Outcome.PASS, 1)
        assert item.reason == "0 of target 0 (direct) → 1 (a target of 0 is always met)"

    def test_missing_target_leaves_the_item_unscored(self):
        item = one(replace(NUMBER, targets={"direct": D(24)}), Answer(number=D(3)), "authorized")
        assert (item.outcome, item.possible, item.fraction) == (Outcome.UNSCORED, 0, None)
        assert item.reason == "no target set for authorized outlets"

    def test_decimal_values_print_plainly(self):
        rule = ItemRule("T", "s", "number", targets={"direct": D("10.00")})
        assert one(rule, Answer(number=D("7.50"))).reason == "7.5 of target 10 (direct) → 0.75"


class PriceTests:
    def test_within_the_authorized_band(self):
        item = one(PRICE, price("5299", "5599"), "authorized")
        assert (item.outcome, item.earned, item.possible) == (Outcome.PASS, 3, 3)
        assert item.reason == "observed 5299 = 94.6% of list 5599; authorized band 90–100% → pass"

    def test_band_edges_are_inclusive(self):
        assert one(PRICE, price("900", "1000"), "authorized").outcome == Outcome.PASS
        assert one(PRICE, price("1000", "1000"), "authorized").outcome == Outcome.PASS
        assert one(PRICE, price("1000", "1000"), "direct").reason == (
            "observed 1000 = 100.0% of list 1000; direct band 100% → pass"
        )

    def test_above_list_fails(self):
        item = one(PRICE, price("5699", "5599"), "authorized")
        assert (item.outcome, item.earned) == (Outcome.FAIL, 0)
        assert (
            item.reason
            == "observed 5699 = 101.8% of list 5599; authorized band 90–100% → fail (above the band)"
        )

    def test_direct_store_discount_fails(self):
        item = one(PRICE, price("5299", "5599"), "direct")
        assert item.reason == "observed 5299 = 94.6% of list 5599; direct band 100% → fail (below the band)"

    def test_shown_percentage_never_contradicts_the_verdict(self):
        """89.96% would print as 90.0% — inside a 90–100% band — so it prints more decimals."""
        item = one(PRICE, price("8996", "10000"), "authorized")
        assert item.outcome == Outcome.FAIL
        assert item.reason.startswith("observed 8996 = 89.96% of list 10000")
        assert "100.01%" in one(PRICE, price("10001", "10000"), "direct").reason

    def test_missing_band_leaves_the_item_unscored(self):
        rule = replace(PRICE, price_bands={"direct": (D(100), D(100))})
        item = one(rule, price("1", "1"), "authorized")
        assert (item.outcome, item.reason) == (Outcome.UNSCORED, "no price band set for authorized outlets")


class SignageItemTests:
    def test_forbidden_cjk_term_fails_and_is_reported(self):
        item = one(SIGNAGE, sign("极光 Authorized Dealer 体验店"), "authorized")
        assert (item.outcome, item.earned) == (Outcome.FAIL, 0)
        assert item.matched_forbidden == ("体验店",)
        assert item.matched_required == ("Authorized Dealer",)
        assert item.reason == "forbidden term '体验店' found → fail"

    def test_full_width_latin_forbidden_term(self):
        item = one(SIGNAGE, sign("ＡＵＲＯＲＡ ＳＴＯＲＥ Authorized Dealer"), "authorized")
        assert item.matched_forbidden == ("Store",)
        assert item.outcome == Outcome.FAIL

    def test_missing_required_term(self):
        item = one(SIGNAGE, sign("Aurora Mobile"), "authorized")
        assert item.reason == "required term 'Authorized Dealer' missing → fail"
        assert item.matched_required == ()

    def test_forbidden_and_missing_together(self):
        item = one(SIGNAGE, sign("Aurora Flagship Store 旗舰店"), "authorized")
        assert item.matched_forbidden == ("Store", "Flagship", "旗舰店")
        assert item.reason == (
            "forbidden terms 'Store', 'Flagship', '旗舰店' found; "
            "required term 'Authorized Dealer' missing → fail"
        )

    def test_clean_signage_passes(self):
        item = one(SIGNAGE, sign("Aurora · Restore Mobile · AUTHORIZED DEALER"), "authorized")
        assert (item.outcome, item.earned) == (Outcome.PASS, 1)
        assert item.reason == "required term 'Authorized Dealer' found; no forbidden term → pass"
        assert item.matched_forbidden == ()

    def test_only_forbidden_terms(self):
        rule = replace(SIGNAGE, required_terms=())
        assert one(rule, sign("Aurora"), "authorized").reason == "no forbidden term → pass"

    def test_only_required_terms(self):
        rule = replace(SIGNAGE, forbidden_terms=(), required_terms=("Aurora", "授权经销商"))
        item = one(rule, sign("Aurora授权经销商"), "authorized")
        assert item.reason == "required terms 'Aurora', '授权经销商' found → pass"


class ExclusionTests:
    """Rule 1: not applicable, N/A, cannot check, unscored and missing items are out of the totals."""

    ITEMS = (
        ItemRule("A", "s", "yes_no", weight=D(2)),
        ItemRule("B", "s", "yes_no", weight=D(5), applies_to=frozenset({"authorized"})),
        ItemRule("C", "s", "yes_no", weight=D(7), na_allowed=True),
        ItemRule("E", "s", "yes_no", weight=D(11)),
        ItemRule("T", "s", "text", weight=D(13)),
        ItemRule("P", "s", "photo", weight=D(17)),
        ItemRule("M", "s", "rating", weight=D(19)),
    )
    ANSWERS = {"A": YES, "B": NO, "C": NA, "E": CANNOT, "T": Answer(text="friendly"), "P": Answer(photos=2)}

    def result(self) -> AuditScore:
        return audit(list(self.ITEMS), dict(self.ANSWERS))

    def test_outcomes_and_reasons(self):
        items = {item.code: (item.outcome, item.reason) for item in self.result().items}
        assert items == {
            "A": (Outcome.PASS, "yes → 1"),
            "B": (Outcome.NOT_APPLICABLE, "does not apply to direct outlets"),
            "C": (Outcome.NA, "N/A"),
            "E": (Outcome.CANNOT_CHECK, "cannot check"),
            "T": (Outcome.UNSCORED, "free text: not scored"),
            "P": (Outcome.UNSCORED, "photo: not scored"),
            "M": (Outcome.MISSING, "no answer"),
        }

    def test_only_the_scored_item_counts(self):
        result = self.result()
        section = result.sections[0]
        assert (section.earned, section.possible, section.score) == (2, 2, 100)
        assert all(item.possible == 0 for item in result.items if item.code != "A")
        assert result.raw_score == result.score == 100

    def test_counts(self):
        result = self.result()
        section = result.sections[0]
        assert (section.passed, section.failed, section.na, section.cannot_check, section.missing) == (
            1,
            0,
            1,
            1,
            1,
        )
        assert (result.na_count, result.cannot_check_count, result.missing_count) == (1, 1, 1)

    def test_unusable_answer_is_missing_and_says_why(self):
        item = one(ItemRule("R", "s", "rating"), rated(7))
        assert (item.outcome, item.possible) == (Outcome.MISSING, 0)
        assert item.reason == "answer not usable: a rating is a whole number from 1 to 5"
        assert (
            one(ItemRule("N", "s", "yes_no"), NA).reason
            == "answer not usable: N/A is not allowed for this item"
        )

    def test_unanswered_text_is_unscored_not_missing(self):
        assert one(ItemRule("T", "s", "text"), None).outcome == Outcome.UNSCORED

    def test_cannot_check_on_a_photo_item_is_counted(self):
        assert one(ItemRule("P", "s", "photo"), CANNOT).outcome == Outcome.CANNOT_CHECK

    def test_answers_for_unknown_items_are_ignored(self):
        assert audit([ItemRule("A", "s", "yes_no")], {"A": YES, "ZZZ": NO}).score == 100


class WeightZeroTests:
    def test_outcome_from_the_fraction_but_no_points(self):
        item = one(ItemRule("W", "s", "yes_no", weight=D(0)), NO)
        assert (item.outcome, item.earned, item.possible, item.fraction) == (Outcome.FAIL, 0, 0, 0)
        assert item.reason == "no → 0 (weight 0: no points)"

    def test_does_not_move_the_score(self):
        items = [ItemRule("A", "s", "rating"), ItemRule("W", "s", "yes_no", weight=D(0))]
        result = audit(items, {"A": rated(4), "W": NO})
        assert result.sections[0].score == 75
        assert result.sections[0].failed == 2  # counted as a finding all the same

    def test_a_section_of_weight_zero_items_has_no_score(self):
        result = audit([ItemRule("W", "s", "yes_no", weight=D(0))], {"W": YES})
        assert result.sections[0].score is None
        assert (result.raw_score, result.score, result.band) == (None, None, "")

    def test_critical_weight_zero_item_still_caps(self):
        items = [ItemRule("A", "s", "yes_no"), ItemRule("GATE", "s", "yes_no", weight=D(0), critical=True)]
        result = audit(items, {"A": YES, "GATE": NO})
        assert (result.raw_score, result.score, result.critical_failure) == (100, 50, True)


class SectionAndOverallTests:
    def test_section_score_is_earned_over_possible(self):
        items = [ItemRule("A", "s", "yes_no", weight=D(3)), ItemRule("B", "s", "rating", weight=D(2))]
        section = audit(items, {"A": YES, "B": rated(2)}).sections[0]
        assert (section.earned, section.possible, section.score) == (D("3.50"), D("5.00"), D("70.00"))

    def test_overall_is_weighted_by_section(self):
        items = [ItemRule("A", "x", "yes_no"), ItemRule("B", "y", "yes_no"), ItemRule("C", "y", "yes_no")]
        sections = [SectionRule("x", D(3)), SectionRule("y", D(1))]
        result = audit(items, {"A": YES, "B": YES, "C": NO}, sections=sections)
        assert [s.score for s in result.sections] == [100, 50]
        assert result.raw_score == D("87.50")  # (100×3 + 50×1) / 4

    def test_section_with_nothing_applicable_drops_out(self):
        items = [
            ItemRule("A", "x", "yes_no"),
            ItemRule("B", "y", "yes_no", applies_to=frozenset({"authorized"})),
        ]
        sections = [SectionRule("x", D(1)), SectionRule("y", D(9))]
        result = audit(items, {"A": NO, "B": YES}, sections=sections)
        assert result.sections[1].score is None
        assert result.raw_score == 0  # y's weight 9 is not in the denominator

    def test_section_all_na_drops_out(self):
        items = [ItemRule("A", "x", "yes_no"), ItemRule("B", "y", "yes_no")]
        result = audit(items, {"A": YES, "B": CANNOT}, sections=[SectionRule("x"), SectionRule("y", D(5))])
        assert (result.sections[1].score, result.sections[1].cannot_check, result.raw_score) == (None, 1, 100)

    def test_section_of_weight_zero_is_shown_but_not_combined(self):
        items = [ItemRule("A", "x", "yes_no"), ItemRule("B", "y", "yes_no")]
        result = audit(items, {"A": YES, "B": NO}, sections=[SectionRule("x"), SectionRule("y", D(0))])
        assert (result.sections[1].score, result.raw_score) == (0, 100)

    def test_empty_section_keeps_its_place(self):
        result = audit(
            [ItemRule("A", "x", "yes_no")], {"A": YES}, sections=[SectionRule("e"), SectionRule("x")]
        )
        assert [(s.code, s.score, s.possible) for s in result.sections] == [("e", None, 0), ("x", 100, 1)]

    def test_rounding_is_half_up_from_exact_values(self):
        # 1 of 8 scored → 12.5 exactly; combined with 0 at weights 1:1 → 6.25; with 1:2 → 4.1666…
        items = [ItemRule("A", "x", "yes_no", weight=D(1)), ItemRule("B", "x", "yes_no", weight=D(7))]
        items.append(ItemRule("C", "y", "yes_no"))
        sections = [SectionRule("x", D(1)), SectionRule("y", D(2))]
        result = audit(items, {"A": YES, "B": NO, "C": NO}, sections=sections)
        assert result.sections[0].score == D("12.50")
        assert result.raw_score == D("4.17")

    @pytest.mark.parametrize(
        "value",
        [Fraction(1, 200), Fraction(-1, 200), Fraction(2, 3), Fraction(-2, 3), Fraction(12345, 1000), 0],
    )
    def test_round_matches_decimal_round_half_up(self, value):
        exact = D(value.numerator) / D(value.denominator) if isinstance(value, Fraction) else D(value)
        assert _round(Fraction(value)) == exact.quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert str(_round(Fraction(value))).count(".") == 1

    def test_scores_are_two_decimal_decimals(self):
        result = audit([ItemRule("A", "x", "rating")], {"A": rated(2)})
        assert str(result.score) == "25.00"
        assert str(result.sections[0].earned) == "0.25"


class CriticalTests:
    ITEMS = (
        ItemRule("A", "s", "yes_no", weight=D(9)),
        ItemRule("CRIT", "s", "yes_no", critical=True),
    )

    def test_failed_critical_item_caps_and_keeps_raw(self):
        result = audit(list(self.ITEMS), {"A": YES, "CRIT": NO})
        assert result.critical_failure
        assert (result.raw_score, result.score, result.band) == (D("90.00"), D("50.00"), "Poor")
        assert [item.critical_failed for item in result.items] == [False, True]

    def test_cap_does_not_raise_a_lower_score(self):
        result = audit(list(self.ITEMS), {"A": NO, "CRIT": NO})
        assert (result.raw_score, result.score) == (0, 0)

    def test_brand_sets_the_cap(self):
        result = audit(list(self.ITEMS), {"A": YES, "CRIT": NO}, policy=Policy(critical_cap=D(70)))
        assert (result.score, result.band) == (70, "Needs improvement")

    def test_partly_met_critical_standard_is_a_critical_failure(self):
        rule = ItemRule("CRIT", "s", "rating", critical=True)
        result = audit([ItemRule("A", "s", "yes_no", weight=D(99)), rule], {"A": YES, "CRIT": rated(4)})
        assert result.critical_failure
        assert result.score == 50

    @pytest.mark.parametrize("answer", [YES, CANNOT])
    def test_met_or_unchecked_critical_item_does_not_cap(self, answer):
        result = audit(list(self.ITEMS), {"A": YES, "CRIT": answer})
        assert not result.critical_failure
        assert result.score == result.raw_score == 100

    def test_critical_item_not_applicable_does_not_cap(self):
        items = [self.ITEMS[0], replace(self.ITEMS[1], applies_to=frozenset({"authorized"}))]
        assert not audit(items, {"A": YES, "CRIT": NO}).critical_failure


class RepeatTests:
    def test_failed_again_is_a_repeat(self):
        items = [ItemRule("A", "s", "yes_no"), ItemRule("B", "s", "rating"), ItemRule("C", "s", "yes_no")]
        answers = {"A": NO, "B": rated(3), "C": YES}
        result = audit(items, answers, previous_failures=frozenset({"A", "B", "C", "GONE"}))
        assert [item.repeat for item in result.items] == [True, True, False]
        assert result.repeat_count == 2

    def test_first_failure_is_not_a_repeat(self):
        assert not one(ItemRule("A", "s", "yes_no"), NO).repeat

    def test_na_now_is_not_a_repeat(self):
        item = one(ItemRule("A", "s", "yes_no"), CANNOT, previous_failures=frozenset({"A"}))
        assert not item.repeat


class BandTests:
    @pytest.mark.parametrize(
        ("score", "band"),
        [
            ("0", "Poor"),
            ("59.99", "Poor"),
            ("60", "Needs improvement"),
            ("74.99", "Needs improvement"),
            ("75.00", "Good"),
            ("89.99", "Good"),
            ("90", "Excellent"),
            ("100", "Excellent"),
        ],
    )
    def test_default_bands(self, score, band):
        assert band_for(D(score), DEFAULT_BANDS) == band

    def test_order_of_bands_does_not_matter(self):
        assert band_for(D(80), tuple(reversed(DEFAULT_BANDS))) == "Good"

    def test_no_band_below_the_lowest(self):
        assert band_for(D(10), (Band("ok", D(50)),)) == ""

    def test_default_bands_are_valid(self):
        assert band_problems(DEFAULT_BANDS) == []
        assert DEFAULT_POLICY.bands == DEFAULT_BANDS

    def test_a_single_band_from_zero_is_valid(self):
        assert band_problems([Band("all", D(0))]) == []

    @pytest.mark.parametrize(
        ("bands", "problem"),
        [
            ([], "give at least one band"),
            ([Band("Good", D(50))], "no band starts at 0, so scores below 50 would have no band"),
            (
                [Band("Poor", D(0)), Band("wow", D(120))],
                "band 'wow' starts at 120; a band starts between 0 and 100",
            ),
            (
                [Band("Poor", D(0)), Band("bad", D(-5))],
                "band 'bad' starts at -5; a band starts between 0 and 100",
            ),
            ([Band("Poor", D(0)), Band("a", D(60)), Band("b", D(60))], "bands 'a' and 'b' both start at 60"),
            ([Band("Poor", D(0)), Band("Poor", D(60))], "two bands are called 'Poor'"),
            ([Band("", D(0))], "every band needs a name"),
        ],
    )
    def test_problems(self, bands, problem):
        assert problem in band_problems(bands)


class DimensionTests:
    DIMENSIONS = (
        DimensionRule("service", importance=D(9), expectation=D(8), ideal=D(9)),
        DimensionRule("product", importance=D(3), expectation=D(8), ideal=D(10)),
        DimensionRule("price", importance=D(5), expectation=D(5), ideal=D(7)),
        DimensionRule("web", importance=D(4), expectation=D(5), ideal=D(6)),
    )

    def result(self) -> AuditScore:
        items = [
            ItemRule("S1", "s", "rating", dimension="service"),  # 3 → 0.5
            ItemRule("S2", "s", "yes_no", dimension="service", weight=D(3)),  # yes → 3 of 3
            ItemRule("S3", "s", "yes_no", dimension="service"),  # no
            ItemRule("P1", "s", "number", dimension="product", targets={"direct": D(10)}),  # 4 of 10
            ItemRule("R1", "s", "yes_no", dimension="price"),
            ItemRule("X", "s", "yes_no", dimension="unknown"),
        ]
        answers = {"S1": rated(3), "S2": YES, "S3": NO, "P1": Answer(number=D(4)), "R1": YES, "X": NO}
        return audit(items, answers, dimensions=self.DIMENSIONS)

    def test_delta_law_from_design(self):
        """Importance 9 × satisfaction −2 = −18 outranks importance 3 × satisfaction −4 = −12."""
        service, product, price_, web = self.result().dimensions
        assert (service.earned, service.possible, service.experience) == (D("3.50"), D("5.00"), D("7.00"))
        assert (service.satisfaction, service.weighted_satisfaction) == (D("-1.00"), D("-9.00"))
        assert (product.experience, product.satisfaction, product.weighted_satisfaction) == (4, -4, -12)
        assert (service.ideal_gap, product.ideal_gap) == (-2, -6)
        assert (price_.experience, price_.weighted_satisfaction, price_.key_rank) == (10, 25, None)
        assert (web.experience, web.satisfaction, web.key_rank) == (None, None, None)

    def test_design_example_ranks_importance_over_size_of_shortfall(self):
        items = [
            ItemRule("S", "s", "number", dimension="service", targets={"direct": D(10)}),
            ItemRule("P", "s", "number", dimension="product", targets={"direct": D(10)}),
        ]
        dimensions = [
            DimensionRule("product", importance=D(3), expectation=D(8), ideal=D(10)),
            DimensionRule("service", importance=D(9), expectation=D(8), ideal=D(10)),
        ]
        result = audit(items, {"S": Answer(number=D(6)), "P": Answer(number=D(4))}, dimensions=dimensions)
        product, service = result.dimensions
        assert (service.satisfaction, service.weighted_satisfaction, service.key_rank) == (-2, -18, 1)
        assert (product.satisfaction, product.weighted_satisfaction, product.key_rank) == (-4, -12, 2)
        assert result.key_experiences == ("service", "product")

    def test_key_experiences_ties_by_code_and_exclude_non_negative(self):
        items = [ItemRule(code, "s", "yes_no", dimension=code) for code in ("b", "a", "c")]
        dimensions = [DimensionRule(code, D(2), D(5), D(9)) for code in ("b", "a", "c")]
        result = audit(items, {"a": NO, "b": NO, "c": YES}, dimensions=dimensions)
        assert result.key_experiences == ("a", "b")
        assert [d.key_rank for d in result.dimensions] == [2, 1, None]

    def test_items_of_other_dimensions_and_na_do_not_count(self):
        items = [ItemRule("A", "s", "yes_no", dimension="d", na_allowed=True), ItemRule("B", "s", "yes_no")]
        dimension = DimensionRule("d", D(1), D(1), D(1))
        result = audit(items, {"A": NA, "B": NO}, dimensions=[dimension])
        assert result.dimensions[0].experience is None


class FrameworkCheckTests:
    @pytest.mark.parametrize(
        ("items", "sections"),
        [
            ([ItemRule("A", "nowhere", "yes_no")], [SectionRule("s")]),
            ([ItemRule("A", "s", "yes_no"), ItemRule("A", "s", "yes_no")], [SectionRule("s")]),
            ([ItemRule("A", "s", "essay")], [SectionRule("s")]),
            ([ItemRule("A", "s", "yes_no", weight=D(-1))], [SectionRule("s")]),
            ([ItemRule("A", "s", "yes_no")], [SectionRule("s", D(-1))]),
            ([ItemRule("A", "s", "price", price_bands={"direct": (D(100), D(90))})], [SectionRule("s")]),
            ([ItemRule("A", "s", "yes_no")], [SectionRule("s"), SectionRule("s")]),
        ],
    )
    def test_impossible_frameworks_raise(self, items, sections):
        with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
            score_audit(outlet_type="direct", items=items, answers={}, sections=sections)


# --- properties ---------------------------------------------------------------------------------

OUTLETS = ("direct", "authorized")
TYPES = ("yes_no", "rating", "number", "price", "text", "photo", "signage_text")
REQUIRED_POOL = ("Aurora", "Authorized Dealer", "授权经销商", "Ｐａｒｔｎｅｒ")
FORBIDDEN_POOL = ("Store", "Flagship", "体验店", "旗舰店", "Retail")
FILLER = ("Mobile", "Restore", "手机", "Service", "Stores")
PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def money(low: int, high: int, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Decimals from low to high in steps of 10**-places (integers underneath: much faster to draw)."""
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda units: D(units).scaleb(-places))


POSITIVE = st.integers(1, 10_000).map(lambda units: D(units).scaleb(-2))  # 0.01 to 100.00
WEIGHTS = st.one_of(st.just(D(0)), money(0, 10), st.sampled_from([D(1), D(2), D(3)]))
OUTLET_SETS = st.sampled_from([set(), {"direct"}, {"authorized"}, set(OUTLETS), set(OUTLETS), set(OUTLETS)])
TARGETS, BAND_LOWS, BAND_WIDTHS = money(0, 30, 0), money(50, 100, 1), money(0, 20, 1)
REQUIRED = st.lists(st.sampled_from(REQUIRED_POOL), max_size=2, unique=True).map(tuple)
FORBIDDEN = st.lists(st.sampled_from(FORBIDDEN_POOL), max_size=3, unique=True).map(tuple)
APPLIES = st.sampled_from([BOTH, BOTH, frozenset({"direct"}), frozenset({"authorized"})])
ANSWER_TYPES = st.sampled_from(TYPES)
FLAGS = st.integers(0, 7)


def type_parameters(draw, answer_type: str) -> dict:
    """Targets, bands or terms, drawn only for the answer type that reads them (sometimes absent)."""
    if answer_type == "number":
        outlets = draw(OUTLET_SETS)
        return {"targets": {o: draw(TARGETS) for o in outlets}, "pass_fail": draw(st.booleans())}
    if answer_type == "price":
        outlets, low = draw(OUTLET_SETS), draw(BAND_LOWS)
        return {"price_bands": {o: (low, low + draw(BAND_WIDTHS)) for o in outlets}}
    if answer_type == "signage_text":
        return {"required_terms": draw(REQUIRED), "forbidden_terms": draw(FORBIDDEN)}
    return {}


@st.composite
def item_rules(draw, code: str, sections: st.SearchStrategy[str], dimensions: st.SearchStrategy) -> ItemRule:
    answer_type = draw(ANSWER_TYPES)
    flags = draw(FLAGS)  # critical, N/A allowed, cannot check allowed: one draw for three
    return ItemRule(
        code=code,
        section=draw(sections),
        answer_type=answer_type,
        weight=draw(WEIGHTS),
        critical=bool(flags & 1),
        applies_to=draw(APPLIES),
        dimension=draw(dimensions),
        na_allowed=bool(flags & 2),
        cannot_check_allowed=bool(flags & 4),
        **type_parameters(draw, answer_type),
    )


SIGNAGE_WORDS = st.lists(st.sampled_from(REQUIRED_POOL + FORBIDDEN_POOL + FILLER), min_size=1, max_size=5)
VALUE_ANSWERS: dict[str, st.SearchStrategy[Answer]] = {
    "yes_no": st.builds(Answer, yes=st.booleans()),
    "rating": st.builds(Answer, number=st.integers(1, 5).map(D)),
    "number": st.builds(Answer, number=money(0, 40, 1)),
    "price": st.builds(Answer, number=money(0, 12000), list_price=money(1, 10000)),
    "signage_text": st.builds(Answer, text=SIGNAGE_WORDS.map(" ".join), photos=st.integers(0, 2)),
    "text": st.builds(
        Answer, text=st.sampled_from(["", "friendly staff", "店员热情"]), photos=st.integers(0, 2)
    ),
    "photo": st.builds(Answer, photos=st.integers(0, 2)),
}


ANSWER_STRATEGIES = {
    (answer_type, na, cannot): st.one_of(
        *[VALUE_ANSWERS[answer_type]] * 3,
        *([st.just(NA)] if na else []),
        *([st.just(CANNOT)] if cannot else []),
    )
    for answer_type in TYPES
    for na in (False, True)
    for cannot in (False, True)
}


def answers_for(rule: ItemRule) -> st.SearchStrategy[Answer]:
    """Valid answers for the rule, good and bad alike: mostly values, sometimes N/A or cannot check."""
    return ANSWER_STRATEGIES[rule.answer_type, rule.na_allowed, rule.cannot_check_allowed]


ANSWERED = st.integers(0, 19)  # 1 in 20 items left unanswered
SECTION_WEIGHTS, ZERO_TO_TEN = money(0, 5), money(0, 10, 1)


@st.composite
def audits(draw) -> dict:
    """A random framework (1-4 sections, 1-30 items, 0-3 dimensions), outlet type and valid answers."""
    section_codes = tuple(f"S{n}" for n in range(draw(st.integers(1, 4))))
    dimension_codes = tuple(f"D{n}" for n in range(draw(st.integers(0, 3))))
    sections, dimensions = st.sampled_from(section_codes), st.sampled_from((None, *dimension_codes))
    items = [draw(item_rules(f"I{n:02d}", sections, dimensions)) for n in range(draw(st.integers(1, 30)))]
    answers = {rule.code: draw(answers_for(rule)) for rule in items if draw(ANSWERED)}
    return {
        "outlet_type": draw(st.sampled_from(OUTLETS)),
        "items": items,
        "answers": answers,
        "sections": [SectionRule(code, draw(SECTION_WEIGHTS)) for code in section_codes],
        "dimensions": [
            DimensionRule(code, draw(ZERO_TO_TEN), draw(ZERO_TO_TEN), draw(ZERO_TO_TEN))
            for code in dimension_codes
        ],
        "previous_failures": frozenset(item.code for item in items if draw(st.booleans())),
    }


def passing_answer(rule: ItemRule, outlet: str) -> Answer:
    """An answer that fully meets the rule at this outlet type."""
    if rule.answer_type == "rating":
        return rated(5)
    if rule.answer_type == "number":
        return Answer(number=rule.targets.get(outlet, D(0)))
    if rule.answer_type == "price":
        low = rule.price_bands.get(outlet, (D(100), D(100)))[0]
        return price(str(low * 10), "1000")
    if rule.answer_type == "signage_text":
        return sign(" ".join([*rule.required_terms, "Mobile"]))
    return YES


def failing_answer(rule: ItemRule, outlet: str) -> tuple[ItemRule, Answer]:
    """The rule, adjusted so that it can fail at this outlet type, and an answer that fails it."""
    rule = replace(rule, applies_to=BOTH)
    if rule.answer_type == "rating":
        return rule, rated(1)
    if rule.answer_type == "number":
        return replace(rule, targets={outlet: D(5)}), Answer(number=D(0))
    if rule.answer_type == "price":
        return replace(rule, price_bands={outlet: (D(90), D(100))}), price("120", "100")
    if rule.answer_type == "signage_text":
        return replace(rule, forbidden_terms=("Store",)), sign("Aurora Store")
    return replace(rule, answer_type="yes_no"), NO


def scores_of(result: AuditScore) -> list[Decimal | None]:
    return [
        result.raw_score,
        result.score,
        *(section.score for section in result.sections),
        *(value for d in result.dimensions for value in (d.experience, d.satisfaction, d.ideal_gap)),
        *(d.weighted_satisfaction for d in result.dimensions),
    ]


def not_lower(after: Decimal | None, before: Decimal | None) -> bool:
    return after == before if before is None or after is None else after >= before


class ScoringPropertyTests:
    @PROPERTY_SETTINGS
    @given(audits())
    def test_scores_are_within_range(self, case):
        result = score_audit(**case)
        for value in (result.raw_score, result.score, *(s.score for s in result.sections)):
            assert value is None or 0 <= value <= 100
        for dimension in result.dimensions:
            assert dimension.experience is None or 0 <= dimension.experience <= 10
        for item in result.items:
            assert 0 <= item.earned <= item.possible
            assert item.fraction is None or 0 <= item.fraction <= 1
        assert (result.score is None) == (result.raw_score is None) == (result.band == "")

    @PROPERTY_SETTINGS
    @given(audits())
    def test_critical_failure_is_exactly_a_failed_critical_item(self, case):
        result = score_audit(**case)
        assert result.critical_failure == any(item.critical_failed for item in result.items)
        if not result.critical_failure:
            assert result.score == result.raw_score
        elif result.score is not None:
            assert result.score == min(result.raw_score, DEFAULT_POLICY.critical_cap)

    @PROPERTY_SETTINGS
    @given(audits(), st.data())
    def test_na_on_one_item_changes_no_other_item(self, case, data):
        applicable = [rule for rule in case["items"] if case["outlet_type"] in rule.applies_to]
        if not applicable:
            return
        chosen = data.draw(st.sampled_from(applicable))
        before = score_audit(**case)
        items = [replace(rule, na_allowed=True) if rule is chosen else rule for rule in case["items"]]
        after = score_audit(**{**case, "items": items, "answers": {**case["answers"], chosen.code: NA}})
        for old, new in zip(before.items, after.items, strict=True):
            if old.code == chosen.code:
                assert (new.outcome, new.possible) == (Outcome.NA, 0)
            else:
                assert new == old

    @PROPERTY_SETTINGS
    @given(audits())
    def test_passing_a_failed_item_never_lowers_a_score(self, case):
        before = score_audit(**case)
        rules = {rule.code: rule for rule in case["items"]}
        for item in before.items:
            if not item.failed:
                continue
            answers = {**case["answers"], item.code: passing_answer(rules[item.code], case["outlet_type"])}
            after = score_audit(**{**case, "answers": answers})
            assert after.items[[i.code for i in after.items].index(item.code)].outcome == Outcome.PASS
            for new, old in zip(
                [after.raw_score, after.score, *(s.score for s in after.sections)],
                [before.raw_score, before.score, *(s.score for s in before.sections)],
                strict=True,
            ):
                assert not_lower(new, old)

    @PROPERTY_SETTINGS
    @given(audits(), POSITIVE)
    def test_scaling_item_weights_changes_no_score(self, case, factor):
        items = [replace(rule, weight=rule.weight * factor) for rule in case["items"]]
        before, after = score_audit(**case), score_audit(**{**case, "items": items})
        assert scores_of(after) == scores_of(before)
        assert (after.band, after.key_experiences) == (before.band, before.key_experiences)

    @PROPERTY_SETTINGS
    @given(audits(), POSITIVE)
    def test_scaling_section_weights_changes_no_score(self, case, factor):
        sections = [replace(section, weight=section.weight * factor) for section in case["sections"]]
        before, after = score_audit(**case), score_audit(**{**case, "sections": sections})
        assert scores_of(after) == scores_of(before)

    @PROPERTY_SETTINGS
    @given(audits(), st.data(), money(0, 100))
    def test_failed_critical_item_always_caps(self, case, data, cap):
        index = data.draw(st.integers(0, len(case["items"]) - 1))
        rule, answer = failing_answer(case["items"][index], case["outlet_type"])
        items = list(case["items"])
        items[index] = replace(rule, critical=True)
        answers = {**case["answers"], rule.code: answer}
        result = score_audit(**{**case, "items": items, "answers": answers}, policy=Policy(critical_cap=cap))
        assert result.items[index].critical_failed
        assert result.critical_failure
        assert result.score is None or result.score <= cap

    @PROPERTY_SETTINGS
    @given(audits(), st.randoms(use_true_random=False))
    def test_item_order_does_not_matter(self, case, random):
        items = list(case["items"])
        random.shuffle(items)
        before, after = score_audit(**case), score_audit(**{**case, "items": items})
        assert scores_of(after) == scores_of(before)
        assert sorted(after.items, key=lambda i: i.code) == sorted(before.items, key=lambda i: i.code)

    @PROPERTY_SETTINGS
    @given(audits())
    def test_missing_answers_lists_exactly_the_unanswered_applicable_items(self, case):
        for rule in case["items"]:  # the strategy gives only valid answers: none may be refused
            if rule.code in case["answers"]:
                assert answer_problem(rule, case["answers"][rule.code]) is None
        missing = dict(
            missing_answers(outlet_type=case["outlet_type"], items=case["items"], answers=case["answers"])
        )
        for rule in case["items"]:
            if case["outlet_type"] in rule.applies_to and rule.code not in case["answers"]:
                assert missing[rule.code] == "not answered"
            if case["outlet_type"] not in rule.applies_to:
                assert rule.code not in missing


@st.composite
def valid_bands(draw) -> list[Band]:
    starts = draw(st.sets(POSITIVE, max_size=5)) | {D(0)}
    bands = [Band(f"band {n}", start) for n, start in enumerate(sorted(starts))]
    return draw(st.permutations(bands))


class BandPropertyTests:
    @PROPERTY_SETTINGS
    @given(valid_bands(), money(0, 100))
    def test_every_score_has_exactly_one_band(self, bands, extra):
        assert band_problems(bands) == []
        for score in [*(D(n) for n in range(101)), extra]:
            owners = [
                band
                for band in bands
                if band.min_score <= score and not any(band.min_score < o.min_score <= score for o in bands)
            ]
            assert len(owners) == 1
            assert band_for(score, bands) == owners[0].name

    @PROPERTY_SETTINGS
    @given(valid_bands(), st.sampled_from(["gap", "above", "below", "same start", "same name"]))
    def test_band_problems_catches_broken_bands(self, bands, breakage):
        bands = list(bands)
        if breakage == "gap":
            bands = [band for band in bands if band.min_score != 0] or [Band("x", D(1))]
        elif breakage == "above":
            bands.append(Band("too high", D("100.01")))
        elif breakage == "below":
            bands.append(Band("too low", D("-0.01")))
        elif breakage == "same start":
            bands.append(Band("twin", bands[0].min_score))
        else:
            bands.append(Band(bands[0].name, D("100") if bands[0].min_score != 100 else D(0)))
        assert band_problems(bands)
