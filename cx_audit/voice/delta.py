"""The customer's Delta model (DESIGN §3 items 5–6, §6): what customers felt, per dimension.

The audit's Delta model measures experience by what the auditor saw (points earned per
dimension). This one measures it by what customers wrote, with the same law, so the two sit side
by side on one scale:

- **experience** (0–10) = 10 × pleasure ÷ (pleasure + pain), where pleasure and pain are the sums
  of the weights of the dimension's pleasure and pain tags (negation and degree words already
  applied by the tagger). All praise is 10, all pain 0, even 5. Below ``min_mentions`` tagged
  comments (default 5) it is None: two angry comments are an anecdote, not an experience.
- **expectation**: what customers said they expected when a survey asked them (the mean of their
  answers, 0–10), otherwise the framework's expectation for the dimension.
- **satisfaction** = experience − expectation; **weighted** = importance × satisfaction.
- **key experiences**: the dimensions with negative weighted satisfaction, most negative first
  (importance 9 × −2 = −18 outranks 3 × −4 = −12), ties by code — as the audit ranks its own.

Sums are exact (fractions) and rounded half up to two decimals once, at the end, like the audit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = [
    "MIN_MENTIONS",
    "DimensionDelta",
    "DimensionVoice",
    "customer_delta",
    "experience",
    "key_experiences",
]

MIN_MENTIONS = 5
ExpectationSource = Literal["asked", "framework"]


@dataclass(frozen=True)
class DimensionVoice:
    """What customers said about one dimension, with the framework's importance and expectation.

    ``mentions``: tagged comments about the dimension; ``asked_expectation``: the mean expectation
    customers stated (0–10), None where no survey asked."""

    code: str
    importance: Decimal
    expectation: Decimal
    pleasure: Decimal
    pain: Decimal
    mentions: int
    asked_expectation: Decimal | None = None


@dataclass(frozen=True)
class DimensionDelta:
    """One dimension of the customer's Delta model; the last three are None without enough mentions."""

    code: str
    importance: Decimal
    expectation: Decimal
    expectation_source: ExpectationSource
    mentions: int
    experience: Decimal | None
    satisfaction: Decimal | None
    weighted: Decimal | None


def experience(pleasure: Decimal, pain: Decimal) -> Fraction | None:
    """10 × pleasure ÷ (pleasure + pain), exact; None when nothing was felt either way."""
    total = Fraction(pleasure) + Fraction(pain)
    if total <= 0:
        return None
    return 10 * Fraction(pleasure) / total


def _delta(voice: DimensionVoice, min_mentions: int) -> DimensionDelta:
    asked = voice.asked_expectation is not None
    expectation = voice.asked_expectation if asked else voice.expectation
    felt = experience(voice.pleasure, voice.pain) if voice.mentions >= min_mentions else None
    satisfaction = None if felt is None else felt - Fraction(expectation)
    weighted = None if satisfaction is None else Fraction(voice.importance) * satisfaction
    return DimensionDelta(
        code=voice.code,
        importance=voice.importance,
        expectation=expectation,
        expectation_source="asked" if asked else "framework",
        mentions=voice.mentions,
        experience=_round(felt),
        satisfaction=_round(satisfaction),
        weighted=_round(weighted),
    )


def customer_delta(
    dims: Iterable[DimensionVoice], min_mentions: int = MIN_MENTIONS
) -> tuple[DimensionDelta, ...]:
    """The Delta model of each dimension, in the order given."""
    return tuple(_delta(voice, min_mentions) for voice in dims)


def key_experiences(deltas: Sequence[DimensionDelta], limit: int | None = 3) -> tuple[DimensionDelta, ...]:
    """The dimensions customers are least satisfied with, weighted by importance, worst first
    (only those below expectation; ``limit`` None for all of them)."""
    losing = [delta for delta in deltas if delta.weighted is not None and delta.weighted < 0]
    losing.sort(key=lambda delta: (delta.weighted, delta.code))
    return tuple(losing if limit is None else losing[:limit])


def _round(value: Fraction | None, places: int = 2) -> Decimal | None:
    """Exact half-up rounding (ties away from zero) of a fraction, as the audit's scoring rounds."""
    if value is None:
        return None
    units = (2 * abs(value.numerator) * 10**places + value.denominator) // (2 * value.denominator)
    return Decimal(-units if value < 0 else units).scaleb(-places)
