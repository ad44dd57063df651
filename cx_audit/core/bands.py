"""Score bands: one definition of the default bands, how a score finds its band, and what "weak" is.

Pure (no Django): the scoring engine bands every audit with these functions, the brand model
validates its stored bands with `bands_from_json`, and pages and charts ask `weak_below` where a
brand's weak scores start instead of assuming a number, so a brand with its own bands sees its
own threshold everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class Band:
    name: str
    min_score: Decimal  # inclusive lower bound


DEFAULT_BANDS: tuple[Band, ...] = (
    Band("Excellent", Decimal(90)),
    Band("Good", Decimal(75)),
    Band("Needs improvement", Decimal(60)),
    Band("Poor", Decimal(0)),
)


def default_score_bands() -> list[dict]:
    """The default bands as a brand stores them (JSON), highest first."""
    return [{"name": band.name, "min_score": int(band.min_score)} for band in DEFAULT_BANDS]


def band_for(score: Decimal, bands: Sequence[Band]) -> str:
    """The band with the greatest lower bound not above ``score``; "" if none (bad bands, score < 0)."""
    best: Band | None = None
    for band in bands:
        if band.min_score <= score and (best is None or band.min_score > best.min_score):
            best = band
    return "" if best is None else best.name


def weak_below(bands: Sequence[Band]) -> Decimal:
    """Scores below this are weak: they fall in the brand's lowest band.

    With the default bands that is 60 ("Poor"); a brand with a single band has no weak scores (0).
    """
    starts = sorted(band.min_score for band in bands)
    return starts[1] if len(starts) > 1 else Decimal(0)


def band_problems(bands: Sequence[Band]) -> list[str]:
    """Why these bands do not give every score from 0 to 100 exactly one band; [] when they do."""
    if not bands:
        return ["give at least one band"]
    problems: list[str] = []
    names: set[str] = set()
    starts: dict[Decimal, str] = {}
    for band in bands:
        if not band.name.strip():
            problems.append("every band needs a name")
        elif band.name in names:
            problems.append(f"two bands are called '{band.name}'")
        names.add(band.name)
        start = band.min_score
        if not (start.is_finite() and 0 <= start <= 100):
            problems.append(f"band '{band.name}' starts at {_fmt(start)}; a band starts between 0 and 100")
        elif start in starts:
            problems.append(f"bands '{starts[start]}' and '{band.name}' both start at {_fmt(start)}")
        else:
            starts[start] = band.name
    if starts and 0 not in starts:
        problems.append(f"no band starts at 0, so scores below {_fmt(min(starts))} would have no band")
    return problems


def bands_from_json(data: Any) -> tuple[Band, ...]:
    """Read a brand's stored bands; ValueError naming the problem when they leave a gap."""
    if not isinstance(data, list) or not data:
        raise ValueError("Give a list of bands, each with a name and a min_score.")
    bands = []
    for position, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not str(entry.get("name", "")).strip():
            raise ValueError(f"Band {position} needs a name.")
        try:
            minimum = Decimal(str(entry.get("min_score")))
        except (InvalidOperation, ValueError):
            raise ValueError(f"Band {position} needs a numeric min_score.") from None
        if not minimum.is_finite():
            raise ValueError(f"Band {position} needs a numeric min_score.")
        bands.append(Band(name=str(entry["name"]).strip(), min_score=minimum))
    problems = band_problems(bands)
    if problems:
        raise ValueError(" ".join(problems))
    return tuple(sorted(bands, key=lambda band: band.min_score, reverse=True))


def _fmt(value: Decimal) -> str:
    """A number as people write it: 10 not 10.00 or 1E+1."""
    return f"{value.normalize():f}" if value.is_finite() else str(value)
