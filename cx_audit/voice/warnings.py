"""Early warning (DESIGN §6): a location or touchpoint whose customers turned, against its own past.

Two windows, both whole local days (`windows` gives their dates, so every caller cuts them alike):

- **current**: the last ``window_days`` days, today included (default 28);
- **baseline**: the ``baseline_weeks`` × 7 days just before the current window (default 8 weeks),
  so the two never overlap and the baseline is not diluted by the change it is meant to reveal.

Two signals, each with a minimum sample in *both* windows (a thin baseline proves nothing):

- ``nps_drop``: NPS fell by at least ``nps_drop`` points (sample: answers with an NPS);
- ``complaint_rise``: complaints *per week* rose by at least ``complaint_rise`` (0.5 = half again)
  over the baseline's weekly average (sample: all records). Complaints are compared per week
  because the windows differ in length. A baseline with fewer complaints than one per window is
  counted as one per window, so a single complaint never raises the flag on its own.

No Django here: the selectors cut the windows, tally them in SQL and call `early_warnings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from cx_audit.voice.metrics import Tally, nps

__all__ = ["DEFAULT_POLICY", "Signal", "WarningPolicy", "Windows", "early_warnings", "windows"]

SignalKind = Literal["nps_drop", "complaint_rise"]
WEEK = Decimal(7)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class WarningPolicy:
    """The brand's thresholds: NPS points, relative complaint rise, minimum sample, window lengths."""

    nps_drop: Decimal = Decimal(15)
    complaint_rise: Decimal = Decimal("0.5")
    min_sample: int = 20
    baseline_weeks: int = 8
    window_days: int = 28


@dataclass(frozen=True)
class Windows:
    """Inclusive date ranges: the baseline ends the day before the current window starts."""

    baseline_start: date
    baseline_end: date
    current_start: date
    current_end: date


@dataclass(frozen=True)
class Signal:
    """A flag HQ and the franchisee see. For ``nps_drop``: NPS now and before and the change in
    points (negative). For ``complaint_rise``: complaints per week now and before (two decimals) and
    the relative rise (0.75 = 75 % more). ``sample``: the current window's answers behind it."""

    kind: SignalKind
    current: Decimal
    baseline: Decimal
    change: Decimal
    sample: int


DEFAULT_POLICY = WarningPolicy()


def windows(today: date, policy: WarningPolicy = DEFAULT_POLICY) -> Windows:
    """The two windows ending ``today`` (local date), as every selector must cut them."""
    current_start = today - timedelta(days=policy.window_days - 1)
    baseline_end = current_start - timedelta(days=1)
    return Windows(
        baseline_start=current_start - timedelta(weeks=policy.baseline_weeks),
        baseline_end=baseline_end,
        current_start=current_start,
        current_end=today,
    )


def early_warnings(
    current: Tally,
    baseline: Tally,
    baseline_weeks_count: int,
    policy: WarningPolicy = DEFAULT_POLICY,
) -> tuple[Signal, ...]:
    """The signals the two windows raise. ``baseline_weeks_count`` is how many weeks the baseline
    really covers (fewer than the policy's for a store opened recently; 0 means no baseline)."""
    signals = (
        _nps_drop(current, baseline, policy),
        _complaint_rise(current, baseline, baseline_weeks_count, policy),
    )
    return tuple(signal for signal in signals if signal is not None)


def _nps_drop(current: Tally, baseline: Tally, policy: WarningPolicy) -> Signal | None:
    now, before = nps(current), nps(baseline)
    if now is None or before is None or min(current.nps_n, baseline.nps_n) < policy.min_sample:
        return None
    change = now - before
    if change >= 0 or -change < policy.nps_drop:
        return None
    return Signal("nps_drop", now, before, change, current.nps_n)


def _complaint_rise(
    current: Tally, baseline: Tally, baseline_weeks: int, policy: WarningPolicy
) -> Signal | None:
    if baseline_weeks <= 0 or min(current.volume, baseline.volume) < policy.min_sample:
        return None
    now = current.complaints * WEEK / policy.window_days
    before = Decimal(baseline.complaints) / baseline_weeks
    floor = max(before, WEEK / policy.window_days)  # at least one complaint per window
    rise = now / floor - 1
    if now <= before or rise < policy.complaint_rise:
        return None
    return Signal("complaint_rise", _two(now), _two(before), _two(rise), current.volume)


def _two(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
