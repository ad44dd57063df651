"""A brand's scoring policy (critical ceiling and score bands) in the scoring engine's terms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from cx_audit.audits.scoring import Band, Policy, band_problems


def bands_from_json(data: Any) -> tuple[Band, ...]:
    """Read the brand's stored bands; ValueError naming the problem when they leave a gap."""
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


def policy_for(brand: Any) -> Policy:
    """The scoring policy of a brand (its bands were validated when they were saved)."""
    return Policy(critical_cap=Decimal(brand.critical_cap), bands=bands_from_json(brand.score_bands))
