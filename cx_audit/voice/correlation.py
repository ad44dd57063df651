"""Do audit scores predict NPS? Spearman's rank correlation across locations (DESIGN §6).

Ranks, not raw values, because audit scores and NPS live on different scales and neither is
linear in the other; a rank correlation asks only "do the better-audited stores also rank higher
with customers?". Tied values share the average of the ranks they span (two stores tied for 2nd
and 3rd both rank 2.5), and ρ is the Pearson correlation of those ranks — the textbook formula
1 − 6Σd²/(n(n²−1)) is only right without ties.

ρ is None below 3 locations or when one side is the same everywhere (nothing to rank). Below
`MIN_LOCATIONS` (30) it is still computed, for reference, but ``claim`` is False: with a dozen
stores a ρ of 0.5 is well within chance, and the page says so instead of drawing a conclusion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = ["MIN_LOCATIONS", "Correlation", "describe", "ranks", "spearman", "strength"]

MIN_LOCATIONS = 30
MIN_PAIRS = 3
Number = Decimal | float | int
Strength = Literal["none", "weak", "moderate", "strong"]
# |ρ| from which a correlation is called weak, moderate, strong (below the first: none to speak of).
STRENGTHS: tuple[tuple[float, Strength], ...] = ((0.7, "strong"), (0.4, "moderate"), (0.2, "weak"))


@dataclass(frozen=True)
class Correlation:
    """ρ (−1 … 1, or None), the number of locations, and whether there are enough to claim anything."""

    rho: float | None
    n: int
    claim: bool

    @property
    def strength(self) -> Strength | None:
        return None if self.rho is None else strength(self.rho)

    @property
    def direction(self) -> Literal["positive", "negative"] | None:
        if self.rho is None or self.rho == 0:
            return None
        return "positive" if self.rho > 0 else "negative"


def ranks(values: Sequence[Number]) -> tuple[Fraction, ...]:
    """1-based ranks, ties given the average of the ranks they span (exact: halves stay halves)."""
    if any(_is_nan(value) for value in values):
        raise ValueError("cannot rank NaN")
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [Fraction(0)] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = Fraction(start + end + 2, 2)  # mean of ranks start+1 … end+1
        for i in order[start : end + 1]:
            result[i] = shared
        start = end + 1
    return tuple(result)


def _is_nan(value: Number) -> bool:
    return value != value  # NaN is the one value unequal to itself


def spearman(pairs: Sequence[tuple[Number, Number]]) -> Correlation:
    """Spearman's ρ of (x, y) pairs, one pair per location."""
    n = len(pairs)
    if n < MIN_PAIRS:
        return Correlation(None, n, False)
    rx, ry = ranks([x for x, _ in pairs]), ranks([y for _, y in pairs])
    mean = Fraction(n + 1, 2)  # the mean rank, ties or not
    cov = sum(((a - mean) * (b - mean) for a, b in zip(rx, ry, strict=True)), Fraction(0))
    var_x = sum(((a - mean) ** 2 for a in rx), Fraction(0))
    var_y = sum(((b - mean) ** 2 for b in ry), Fraction(0))
    if var_x == 0 or var_y == 0:
        return Correlation(None, n, False)
    # Exact up to the one square root, so a perfect ranking is exactly ±1.0.
    rho = math.copysign(math.sqrt(cov * cov / (var_x * var_y)), cov) if cov else 0.0
    return Correlation(rho, n, n >= MIN_LOCATIONS)


def strength(rho: float) -> Strength:
    size = abs(rho)
    return next((label for floor, label in STRENGTHS if size >= floor), "none")


def describe(corr: Correlation, x: str = "audit score", y: str = "NPS") -> str:
    """One plain sentence for the page (English; the template may translate from the fields)."""
    if corr.rho is None:
        if corr.n < MIN_PAIRS:
            return f"Too few locations to compare ({corr.n})."
        return f"No correlation to show: {x} or {y} is the same at every location."
    shown = f"ρ = {corr.rho:.2f}, {corr.n} locations"
    if not corr.claim:
        return f"No claim below {MIN_LOCATIONS} locations ({shown}, shown for reference only)."
    label = corr.strength
    if label == "none":
        return f"No meaningful correlation between {x} and {y} ({shown})."
    trend = "higher" if corr.direction == "positive" else "lower"
    return (
        f"A {label} {corr.direction} correlation ({shown}): "
        f"locations with a higher {x} tend to have a {trend} {y}."
    )
