"""A brand's scoring policy (critical ceiling and score bands) in the scoring engine's terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cx_audit.audits.scoring import Policy
from cx_audit.core.bands import bands_from_json


def policy_for(brand: Any) -> Policy:
    """The scoring policy of a brand (its bands were validated when they were saved)."""
    return Policy(critical_cap=Decimal(brand.critical_cap), bands=bands_from_json(brand.score_bands))
