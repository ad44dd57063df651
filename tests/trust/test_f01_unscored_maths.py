"""Finding 1 of issue 12, the pure part: a latest audit without a score is left out of the maths.

No database: the sums (`cx_audit.insights.sums`), the formulas (`cx_audit.insights.maths`) and the
words for why an audit has no score (`cx_audit.audits.noscore`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from hypothesis import given
from hypothesis import strategies as st

from cx_audit.audits.noscore import (
    ALL_CANNOT_CHECK,
    ALL_NA,
    NA_OR_CANNOT_CHECK,
    NOTHING_SCORED,
    no_score_reason,
)
from cx_audit.insights.maths import consistency_index, dropped, mean, mean_of, spread
from cx_audit.insights.sums import AuditSums, sums_by, total

scores = st.decimals(min_value=0, max_value=100, places=2)


class Visit(NamedTuple):
    score: Decimal | None
    critical_failure: bool = False
    failed_count: int = 0
    repeat_count: int = 0
    earned: Decimal = Decimal(0)
    possible: Decimal = Decimal(0)
    group: str = "a"


visits = st.builds(
    Visit,
    score=scores,
    critical_failure=st.booleans(),
    failed_count=st.integers(0, 5),
    repeat_count=st.integers(0, 3),
    earned=st.decimals(min_value=0, max_value=10, places=2),
    possible=st.just(Decimal(10)),
    group=st.sampled_from("abc"),
)
unscored_visits = st.builds(
    Visit,
    score=st.none(),
    failed_count=st.integers(0, 2),
    earned=st.decimals(min_value=0, max_value=10, places=2),
    possible=st.just(Decimal(10)),
    group=st.sampled_from("abc"),
)


def summed(audits: list[Visit]) -> AuditSums:
    sums = AuditSums()
    for audit in audits:
        sums.add(audit)
    return sums


class AuditSumsTests:
    def test_an_unscored_visit_counts_as_a_visit_only(self):
        sums = summed([Visit(Decimal(80), earned=Decimal(8), possible=Decimal(10)), Visit(None)])
        assert (sums.locations, sums.unscored, sums.scored) == (2, 1, 1)
        assert sums.score == Decimal(80)
        assert sums.histogram == [(Decimal(80), 1)]
        assert mean(sums.score, sums.scored) == 80

    @given(st.lists(visits, max_size=12), st.lists(unscored_visits, max_size=5))
    def test_unscored_visits_change_no_figure_over_scores(self, scored, unscored):
        alone, mixed = summed(scored), summed([*scored, *unscored])
        assert mixed.locations == alone.locations + len(unscored)
        assert mixed.unscored == len(unscored)
        assert mixed.scored == alone.locations
        assert (mixed.score, mixed.earned, mixed.possible, mixed.clean) == (
            alone.score,
            alone.earned,
            alone.possible,
            alone.clean,
        )
        assert sorted(mixed.histogram) == sorted(alone.histogram)
        assert mean(mixed.score, mixed.scored) == mean_of(v.score for v in scored)
        assert consistency_index(mixed.histogram) == consistency_index(alone.histogram)

    @given(st.lists(st.one_of(visits, unscored_visits), max_size=15))
    def test_groups_add_up_to_the_whole(self, audits):
        whole = total(sums_by(audits, lambda audit: audit.group).values())
        direct = summed(audits)
        assert (whole.locations, whole.unscored, whole.score, whole.clean, whole.critical) == (
            direct.locations,
            direct.unscored,
            direct.score,
            direct.clean,
            direct.critical,
        )

    def test_clean_counts_scored_locations_without_a_critical_failure(self):
        sums = summed([Visit(Decimal(50), critical_failure=True), Visit(Decimal(90)), Visit(None)])
        assert (sums.clean, sums.critical) == (1, 1)


class MeanOfTests:
    def test_none_is_left_out_never_zero(self):
        assert mean_of([Decimal(100), None, Decimal(50)]) == 75
        assert mean_of([None, None]) is None
        assert mean_of([]) is None

    @given(st.lists(scores, min_size=1, max_size=20), st.integers(0, 5))
    def test_nones_anywhere_change_nothing(self, values, blanks):
        assert mean_of([*values, *([None] * blanks)]) == Fraction(sum(values)) / len(values)


class DroppedTests:
    def test_no_score_is_no_regression(self):
        assert dropped(None, Decimal(90), Decimal(10)) is False
        assert dropped(Decimal(50), None, Decimal(10)) is False
        assert dropped(Decimal(50), Decimal(90), Decimal(10)) is True

    @given(st.one_of(st.none(), scores), st.one_of(st.none(), scores), scores)
    def test_only_two_scores_can_make_a_regression(self, score, previous, threshold):
        expected = score is not None and previous is not None and score - previous < -threshold
        assert dropped(score, previous, threshold) is expected


class SpreadTests:
    @given(st.lists(scores, max_size=12), st.integers(0, 4))
    def test_a_distribution_ignores_missing_scores(self, values, blanks):
        histogram = [(value, 1) for value in values]
        assert spread([*histogram, (None, blanks)]) == spread(histogram)


class NoScoreReasonTests:
    def test_a_scored_audit_needs_no_reason(self):
        assert no_score_reason(Decimal(0), 3, 2) == ""

    def test_the_reason_follows_the_counts(self):
        assert no_score_reason(None, 0, 5) == str(ALL_CANNOT_CHECK)
        assert no_score_reason(None, 4, 0) == str(ALL_NA)
        assert no_score_reason(None, 1, 1) == str(NA_OR_CANNOT_CHECK)
        assert no_score_reason(None, 0, 0) == str(NOTHING_SCORED)
        assert no_score_reason(None, None, None) == str(NOTHING_SCORED)

    @given(st.one_of(st.none(), scores), st.integers(0, 50), st.integers(0, 50))
    def test_a_reason_exactly_when_there_is_no_score(self, score, na, blind):
        assert (no_score_reason(score, na, blind) == "") is (score is not None)
