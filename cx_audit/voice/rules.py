"""Closing the loop with customers (DESIGN §6): who gets a call back, and how often it works.

A customer-recovery action opens for a **detractor who wrote something** (NPS 0–6 and a
non-blank comment: someone to answer, with something to answer to) or for **pain at a touchpoint
the brand marks critical**, whatever the score. When both hold, the reason is the critical
touchpoint: it names what went wrong and where, and it routes as critical (the detractor is
called back either way). The services route the action like an audit's (DESIGN §5).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from cx_audit.voice.metrics import is_detractor

__all__ = ["CRITICAL_TOUCHPOINT", "DETRACTOR", "recovery_rate", "recovery_reason"]

# The values of `cx_audit.voice.choices.RecoveryReason` (a pure module cannot import the choices).
DETRACTOR = "detractor"
CRITICAL_TOUCHPOINT = "critical_touchpoint"


def recovery_reason(
    *,
    nps: int | None,
    comment: str,
    pain_touchpoints: Iterable[str],
    critical_touchpoints: Iterable[str],
) -> str | None:
    """Why this answer needs a call back, or None when it does not."""
    if set(pain_touchpoints) & set(critical_touchpoints):
        return CRITICAL_TOUCHPOINT
    if is_detractor(nps) and comment.strip():
        return DETRACTOR
    return None


def recovery_rate(recovered: int, closed: int) -> Decimal | None:
    """The % of closed recovery actions that won the customer back, one decimal (None: none closed).

    Open actions do not count either way: an action still in progress is neither success nor failure.
    """
    if not 0 <= recovered <= closed:
        raise ValueError("recovered must be between 0 and the number closed")
    if closed == 0:
        return None
    return (Decimal(100) * recovered / closed).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
