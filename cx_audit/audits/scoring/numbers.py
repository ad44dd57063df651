"""Exact fractions rounded half up, and numbers written as people write them in reasons."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

# --- rounding and display ---------------------------------------------------------------------------


def _round(value: Fraction, places: int = 2) -> Decimal:
    """Exact half-up rounding (ties away from zero, like ROUND_HALF_UP) of a fraction to ``places``."""
    numerator, denominator = value.numerator, value.denominator
    units = (2 * abs(numerator) * 10**places + denominator) // (2 * denominator)
    return Decimal(-units if numerator < 0 else units).scaleb(-places)


def _round_or_none(value: Fraction | None) -> Decimal | None:
    return None if value is None else _round(value)


def _fmt(value: Decimal | Fraction | int | None) -> str:
    """A number as people write it: 10 not 10.00 or 1E+1, 7.5 not 7.50."""
    if isinstance(value, Fraction):
        value = _round(value, 4)
    return f"{Decimal(value).normalize():f}"


def _fmt2(fraction: Fraction) -> str:
    return f"{_round(fraction)}"


def _percent(share: Fraction, low: Decimal, high: Decimal) -> str:
    """``share`` to 1 decimal, or more when rounding would hide which side of the band it is on."""
    inside = low <= share <= high
    for places in range(1, 6):
        shown = _round(share, places)
        if (low <= shown <= high) == inside:
            return f"{shown}"
    return f"{_round(share, 6)}"


def _terms(label: str, terms: Sequence[str]) -> str:
    quoted = ", ".join(f"'{term}'" for term in terms)
    return f"{label} term{'s' if len(terms) > 1 else ''} {quoted}"
