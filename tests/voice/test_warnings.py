"""Early warning against a location's own baseline (pure rules): thresholds and the minimum sample."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cx_audit.voice.metrics import Tally
from cx_audit.voice.warnings import Signal, WarningPolicy, early_warnings, windows

POLICY = WarningPolicy()  # 15 points, +50 % complaints a week, 20 answers, 8 weeks, 28 days


def answered(n: int, promoters: int = 0, detractors: int = 0, complaints: int = 0) -> Tally:
    return Tally(volume=n, nps_n=n, promoters=promoters, detractors=detractors, complaints=complaints)


class WindowTests:
    def test_current_is_the_last_28_days_and_the_baseline_the_8_weeks_before(self):
        w = windows(date(2026, 3, 31))
        assert (w.current_start, w.current_end) == (date(2026, 3, 4), date(2026, 3, 31))
        assert (w.baseline_start, w.baseline_end) == (date(2026, 1, 7), date(2026, 3, 3))
        assert (w.current_end - w.current_start).days + 1 == POLICY.window_days
        assert (w.baseline_end - w.baseline_start).days + 1 == 7 * POLICY.baseline_weeks


class NpsDropTests:
    def test_a_drop_of_exactly_the_threshold_is_flagged(self):
        # baseline 40 − 10 = 30 in 40 answers; now 5 − 2 = 3 of 20 → 15: a drop of 15 points
        (signal,) = early_warnings(answered(20, 5, 2), answered(40, 16, 4), 8, POLICY)
        assert signal == Signal("nps_drop", Decimal("15.0"), Decimal("30.0"), Decimal("-15.0"), 20)

    def test_a_smaller_drop_or_a_rise_is_not(self):
        assert early_warnings(answered(20, 6, 2), answered(40, 16, 4), 8, POLICY) == ()  # 20: down 10
        assert early_warnings(answered(20, 10, 0), answered(40, 16, 4), 8, POLICY) == ()

    def test_the_minimum_sample_applies_to_both_windows(self):
        baseline = answered(40, 16, 4)
        assert early_warnings(answered(19, 0, 19), baseline, 8, POLICY) == ()
        assert early_warnings(answered(20, 0, 20), answered(19, 19, 0), 8, POLICY) == ()
        assert [s.kind for s in early_warnings(answered(20, 0, 20), baseline, 8, POLICY)] == ["nps_drop"]

    def test_unanswered_nps_never_flags_even_without_a_minimum(self):
        lax = WarningPolicy(min_sample=0)
        assert early_warnings(Tally(volume=30), answered(40, 16, 4), 8, lax) == ()


class ComplaintRiseTests:
    def records(self, n: int, complaints: int) -> Tally:
        return Tally(volume=n, complaints=complaints)

    def test_half_again_per_week_is_flagged(self):
        # baseline 8 a week for 8 weeks (64); now 12 a week for 4 weeks (48): +50 %
        (signal,) = early_warnings(self.records(100, 48), self.records(200, 64), 8, POLICY)
        assert signal == Signal("complaint_rise", Decimal("12.00"), Decimal("8.00"), Decimal("0.50"), 100)

    def test_just_under_is_not(self):
        assert early_warnings(self.records(100, 47), self.records(200, 64), 8, POLICY) == ()

    def test_weeks_are_what_the_baseline_really_covers(self):
        # a store open for 4 weeks before the window: 32 complaints are 8 a week, not 4
        assert early_warnings(self.records(100, 47), self.records(100, 32), 4, POLICY) == ()
        assert early_warnings(self.records(100, 47), self.records(100, 32), 8, POLICY) != ()
        assert early_warnings(self.records(100, 47), self.records(100, 32), 0, POLICY) == ()

    def test_one_complaint_after_none_is_not_a_trend_but_two_are(self):
        assert early_warnings(self.records(20, 1), self.records(40, 0), 8, POLICY) == ()
        (signal,) = early_warnings(self.records(20, 2), self.records(40, 0), 8, POLICY)
        assert (signal.current, signal.baseline, signal.change) == (Decimal("0.50"), 0, Decimal("1.00"))

    def test_the_minimum_sample_counts_every_record(self):
        assert early_warnings(self.records(19, 19), self.records(40, 0), 8, POLICY) == ()
        assert early_warnings(self.records(20, 19), self.records(19, 0), 8, POLICY) == ()

    def test_both_signals_at_once(self):
        current = Tally(volume=30, nps_n=30, detractors=30, complaints=30)
        baseline = Tally(volume=80, nps_n=80, promoters=40, complaints=8)
        assert [s.kind for s in early_warnings(current, baseline, 8, POLICY)] == [
            "nps_drop",
            "complaint_rise",
        ]
