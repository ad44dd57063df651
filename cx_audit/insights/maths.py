"""The arithmetic of the chain insights, as pure functions: numbers in, numbers out, no Django.

Every formula here is written out in docs/insights.md. The database does the counting and the
summing (one row per group, never one row per location); these functions turn those sums into
the figures HQ reads, so the rules can be tested without a database and with hypothesis.

Exact arithmetic (fractions) throughout; results are rounded only at the end, to 2 decimals,
halves up — as the scores themselves are (docs/scoring.md §3).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

Number = Decimal | int | float | Fraction
# A distribution as the database returns it: (value, how many locations have it), in any order.
Histogram = Iterable[tuple[Number, int]]

HUNDRED = Fraction(100)
PARETO_CUTOFF = Fraction(4, 5)  # the "vital few" cause 80 % of the points lost


def _exact(value: Number) -> Fraction:
    return (
        value if isinstance(value, Fraction) else Fraction(str(value) if isinstance(value, float) else value)
    )


_STEPS = {places: Decimal(1).scaleb(-places) for places in range(8)}


def rounded(value: Number | None, places: int = 2) -> Decimal | None:
    """Half-up rounding of an exact value to ``places`` decimals (None stays None)."""
    if value is None:
        return None
    step = _STEPS[places]
    if isinstance(value, Decimal):  # the common case (a database column): no detour through a fraction
        return value.quantize(step, rounding=ROUND_HALF_UP)
    exact = _exact(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(step, rounding=ROUND_HALF_UP)


def _key(value: Number) -> Decimal | int | Fraction:
    """A histogram value as an exact number that sorts and merges cheaply.

    Decimals and ints (what the database returns) stay as they are: they compare and hash exactly,
    with each other and with fractions, and cost a fraction of a `Fraction` to sort. Floats become
    the exact fraction of their shortest text, as `_exact` makes them.
    """
    return value if isinstance(value, Decimal | int | Fraction) else _exact(value)


def _sorted_counts(histogram: Histogram) -> list[tuple[Decimal | int | Fraction, int]]:
    """The distribution merged by value and sorted: the one pass every quantile reads.

    A chain's latest scores are up to one value per location, so this runs once per distribution
    (`spread`), never once per quantile.
    """
    merged: dict[Decimal | int | Fraction, int] = {}
    for value, count in histogram:
        if count < 0:
            raise ValueError("A histogram count cannot be negative.")
        if count and value is not None:
            key = _key(value)
            merged[key] = merged.get(key, 0) + count
    return sorted(merged.items())


def _value_at(counts: list[tuple[Any, int]], index: int) -> Fraction:
    """The value at 0-based position ``index`` of the expanded, sorted list."""
    seen = 0
    for value, count in counts:
        seen += count
        if index < seen:
            return _exact(value)
    raise IndexError(index)


def _quantile(counts: list[tuple[Any, int]], total: int, q: Fraction) -> Fraction | None:
    """The q-quantile of already merged and sorted counts (``total`` of them)."""
    if total == 0:
        return None
    position = (total - 1) * q
    lower = position.numerator // position.denominator
    below = _value_at(counts, lower)
    if position == lower:
        return below
    above = _value_at(counts, lower + 1)
    return below + (above - below) * (position - lower)


def percentile(histogram: Histogram, q: Number) -> Fraction | None:
    """The q-quantile (0 ≤ q ≤ 1) by linear interpolation between closest ranks.

    The same definition as PostgreSQL's ``percentile_cont``, numpy's default and Python's
    ``statistics.quantiles(method="inclusive")``: position h = (n − 1)·q in the sorted values,
    x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). None for an empty distribution.
    """
    q = _exact(q)
    if not 0 <= q <= 1:
        raise ValueError("q must lie between 0 and 1.")
    counts = _sorted_counts(histogram)
    return _quantile(counts, sum(count for _, count in counts), q)


@dataclass(frozen=True)
class Spread:
    """How a set of scores is spread: count, quartiles and the interquartile range (IQR)."""

    count: int
    median: Fraction | None
    q1: Fraction | None
    q3: Fraction | None

    @property
    def iqr(self) -> Fraction | None:
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1

    @property
    def consistency(self) -> Fraction | None:
        """100 − IQR (never below 0): see `consistency_index`."""
        iqr = self.iqr
        return None if iqr is None else max(Fraction(0), HUNDRED - iqr)


def spread(histogram: Histogram) -> Spread:
    """Count, quartiles and IQR of a distribution, sorting it once for all three quartiles."""
    counts = _sorted_counts(histogram)
    total = sum(count for _, count in counts)
    return Spread(
        count=total,
        median=_quantile(counts, total, Fraction(1, 2)),
        q1=_quantile(counts, total, Fraction(1, 4)),
        q3=_quantile(counts, total, Fraction(3, 4)),
    )


def consistency_index(histogram: Histogram) -> Fraction | None:
    """100 − IQR of scores on a 0–100 scale: 100 when the middle half of the chain scores alike.

    Robust to a few outliers (a quarter of the chain at either end may be anywhere) and on the
    scale of the scores, so "82" reads as "the middle half of our stores lie within 18 points".
    None without any score.
    """
    return spread(histogram).consistency


def dropped(score: Decimal | None, previous: Decimal | None, threshold: Decimal) -> bool:
    """A regression (docs/insights.md §4): the score fell *more than* ``threshold`` points below the
    previous audit's. A drop of exactly the threshold is not one; a first audit never is, nor an
    audit without a score, nor one after an audit without a score (no score, no change).

    Scores and threshold are exact hundredths, so this is the comparison the league's SQL makes in
    whole hundredths (`rankings.regressions`).
    """
    return score is not None and previous is not None and score - previous < -threshold


def pooled_pct(earned: Number, possible: Number) -> Fraction | None:
    """Pooled points: 100 × Σ earned ÷ Σ possible over every scored item of every audit in a group.

    Pass the *sums* of the group's rows, never per-subgroup percentages: a group's pooled figure
    is not the mean of its subgroups' figures (each location weighs by the points it could earn).
    None when nothing in the group could earn points.
    """
    possible = _exact(possible)
    if possible == 0:
        return None
    return HUNDRED * _exact(earned) / possible


def mean(total: Number, count: int) -> Fraction | None:
    """Σ ÷ n, None for an empty group: the mean of the values the sum was taken over."""
    return None if count == 0 else _exact(total) / count


def mean_of(values: Iterable[Number | None]) -> Fraction | None:
    """The mean of the values that are there: None (no score) is left out, never taken as 0.

    None when nothing is left. The reference for every "Σ score ÷ scored" the sums make.
    """
    present = [_exact(value) for value in values if value is not None]
    return mean(sum(present, Fraction(0)), len(present))


def share(part: int | Number, whole: int | Number) -> Fraction | None:
    """part ÷ whole as a fraction of 1 (None when the whole is 0)."""
    whole = _exact(whole)
    return None if whole == 0 else _exact(part) / whole


@dataclass(frozen=True)
class ParetoRow:
    """One standard in the Pareto view: its points lost, its share, the running share, vital or not."""

    key: Any
    lost: Fraction
    share: Fraction
    cumulative: Fraction
    vital: bool


def pareto(losses: Iterable[tuple[Hashable, Number]], cutoff: Number = PARETO_CUTOFF) -> list[ParetoRow]:
    """Standards by points lost, most first (ties by key), with each one's share and the running share.

    The **vital few** are the shortest run from the top whose running share reaches ``cutoff``
    (80 % by default): the standard that crosses the line is in, everything after it is out, and
    a standard that lost nothing is never vital. With nothing lost at all, nothing is vital.
    """
    cutoff = _exact(cutoff)
    rows = sorted(((key, _exact(lost)) for key, lost in losses), key=lambda row: (-row[1], str(row[0])))
    if any(lost < 0 for _, lost in rows):
        raise ValueError("Points lost cannot be negative.")
    total = sum((lost for _, lost in rows), Fraction(0))
    result: list[ParetoRow] = []
    running = Fraction(0)
    reached = False
    for key, lost in rows:
        part = lost / total if total else Fraction(0)
        running += part
        vital = not reached and lost > 0
        reached = reached or (total > 0 and running >= cutoff)
        result.append(ParetoRow(key=key, lost=lost, share=part, cumulative=running, vital=vital))
    return result


def weighted_points_lost(dimensions: Sequence[tuple[Number, Number, Number]]) -> Fraction:
    """Σ over dimensions of importance ÷ 10 × (possible − earned): a location's gap as customers feel it.

    Each entry is (importance 0–10, earned, possible) of one dimension of one audit. A point lost
    on a dimension of importance 10 counts fully, one of importance 5 counts half. The database
    computes the same sum to sort the chain (`cx_audit.insights.rankings`); this is its reference.
    """
    return sum(
        (
            _exact(importance) / 10 * (_exact(possible) - _exact(earned))
            for importance, earned, possible in dimensions
        ),
        Fraction(0),
    )
