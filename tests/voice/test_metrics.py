"""NPS, CSAT, effort and complaints from tallies (pure rules), with the tally's algebra as properties."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_audit.voice.metrics import (
    Period,
    Response,
    Tally,
    complaint_share,
    csat_mean,
    csat_share,
    effort_mean,
    is_complaint,
    is_detractor,
    is_promoter,
    month_start,
    nps,
    period_start,
    tally,
    week_start,
)


def answers(*scores: int | None) -> Tally:
    return tally(Response(nps=score) for score in scores)


class NpsTests:
    def test_nobody_answered_is_no_score_not_zero(self):
        assert nps(Tally()) is None
        assert nps(tally([Response(csat=5), Response(effort=2)])) is None

    def test_the_extremes(self):
        assert nps(answers(7, 8, 7)) == 0
        assert nps(answers(9, 10, 10)) == 100
        assert nps(answers(0, 3, 6)) == -100

    @pytest.mark.parametrize(
        ("score", "promoter", "detractor"),
        [
            (0, False, True),
            (6, False, True),
            (7, False, False),
            (8, False, False),
            (9, True, False),
            (10, True, False),
        ],
    )
    def test_boundaries(self, score, promoter, detractor):
        assert is_promoter(score) is promoter
        assert is_detractor(score) is detractor
        assert nps(answers(score)) == (100 if promoter else -100 if detractor else 0)

    def test_missing_scores_are_ignored_not_counted_as_passives(self):
        t = answers(10, None, 0, None, 9)
        assert (t.volume, t.nps_n, t.passives) == (5, 3, 0)
        assert nps(t) == Decimal("33.3")  # (2 − 1) / 3, not / 5
        assert not is_promoter(None)
        assert not is_detractor(None)

    def test_rounds_half_up_to_one_decimal(self):
        # 1 promoter, 0 detractors in 16 answers: 6.25 → 6.3; 1 detractor in 16: −6.25 → −6.3
        assert nps(answers(10, *[8] * 15)) == Decimal("6.3")
        assert nps(answers(0, *[8] * 15)) == Decimal("-6.3")


class CsatEffortComplaintTests:
    def test_top_two_box_share_and_mean(self):
        t = tally(Response(csat=score) for score in (5, 4, 3, 2, 1, None))
        assert (t.csat_n, t.csat_top2, t.csat_sum) == (5, 2, 15)
        assert csat_share(t) == Decimal("40.0")
        assert csat_mean(t) == Decimal("3.00")
        assert csat_share(tally([Response(csat=3)])) == 0  # 3 is not top-two

    def test_effort_mean_and_complaint_share(self):
        t = tally([Response(effort=1), Response(effort=2, complaint=True), Response(effort=2), Response()])
        assert effort_mean(t) == Decimal("1.67")
        assert complaint_share(t) == Decimal("25.0")  # of all four records, answered or not

    def test_no_answers_no_metrics(self):
        empty = Tally()
        for metric in (csat_share, csat_mean, effort_mean, complaint_share):
            assert metric(empty) is None

    @pytest.mark.parametrize(
        ("nps_score", "csat", "polarity", "complaint"),
        [
            (None, None, None, False),
            (4, 3, 0, False),  # a lukewarm detractor without pain is not a complaint
            (3, None, None, True),
            (None, 2, None, True),
            (None, 3, None, False),
            (10, 5, -1, True),  # praise in the score, pain in the words: the words count
            (9, None, 1, False),
        ],
    )
    def test_what_counts_as_a_complaint(self, nps_score, csat, polarity, complaint):
        assert is_complaint(nps=nps_score, csat=csat, polarity=polarity) is complaint


responses = st.builds(
    Response,
    nps=st.none() | st.integers(0, 10),
    csat=st.none() | st.integers(1, 5),
    effort=st.none() | st.integers(1, 7),
    complaint=st.booleans(),
)
batches = st.lists(responses, max_size=20)


class TallyAlgebraTests:
    @settings(max_examples=100, deadline=None)
    @given(batches, batches, batches)
    def test_adding_tallies_is_tallying_the_concatenation(self, a, b, c):
        ta, tb, tc = tally(a), tally(b), tally(c)
        assert (ta + tb) + tc == ta + (tb + tc) == tally(a + b + c)
        assert ta + Tally() == ta

    @settings(max_examples=100, deadline=None)
    @given(batches)
    def test_metrics_stay_in_their_ranges(self, batch):
        t = tally(batch)
        assert t.promoters + t.passives + t.detractors == t.nps_n <= t.volume
        score = nps(t)
        assert score is None or -100 <= score <= 100
        mean = csat_mean(t)
        assert mean is None or 1 <= mean <= 5


class PeriodTests:
    def test_weeks_start_on_the_iso_monday(self):
        assert week_start(date(2026, 3, 1)) == date(2026, 2, 23)  # a Sunday belongs to the week before
        assert week_start(date(2026, 3, 2)) == date(2026, 3, 2)
        assert week_start(date(2026, 1, 1)) == date(2025, 12, 29)  # across the new year, as ISO weeks do

    def test_months_and_datetimes(self):
        assert month_start(datetime(2026, 2, 28, 23, 59)) == date(2026, 2, 1)
        assert period_start(date(2026, 2, 28), Period.MONTH) == date(2026, 2, 1)
        assert period_start(date(2026, 2, 28), "week") == date(2026, 2, 23)
