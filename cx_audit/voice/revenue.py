"""Revenue at risk (DESIGN §6): what unhappy customers cost, through the negative-experience funnel.

With annual revenue R and negative-experience share n (the detractor share by default), the
revenue of affected customers is R·n. A share c of them complain; complainers are retained,
at risk or lost in the shares (r_c, a_c, l_c), the silent rest at risk or lost in (a_s, l_s)
(and retained in 1 − a_s − l_s, zero by default)::

    lost     = R·n·(c·l_c + (1 − c)·l_s)
    at risk  = R·n·(c·a_c + (1 − c)·a_s)
    retained = R·n·(c·r_c + (1 − c)·(1 − a_s − l_s))

so lost + at risk + retained = R·n exactly. Money stays an exact Decimal through the sums (the
arithmetic runs at a precision no realistic revenue reaches); only `quantize_money` rounds, for
display. Because complainers are lost less often than the silent (l_c < l_s by default), raising
c lowers lost revenue: `complaint_lever` shows by how much.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "DEFAULT_SHARES",
    "FunnelShares",
    "Lever",
    "RevenueAtRisk",
    "complaint_lever",
    "quantize_money",
    "revenue_at_risk",
    "roll_up",
]

ZERO, ONE = Decimal(0), Decimal(1)
CENT = Decimal("0.01")
# Enough digits that R·n·c·share is exact for any revenue with cents and shares with a few decimals.
PRECISION = 60


@dataclass(frozen=True)
class FunnelShares:
    """The brand's funnel (DESIGN §6 defaults). Every field is a share of 0–1."""

    complaint_rate: Decimal = Decimal("0.02")
    complainer_retained: Decimal = Decimal("0.38")
    complainer_at_risk: Decimal = Decimal("0.34")
    complainer_lost: Decimal = Decimal("0.28")
    silent_at_risk: Decimal = Decimal("0.55")
    silent_lost: Decimal = Decimal("0.45")

    @property
    def silent_retained(self) -> Decimal:
        return ONE - self.silent_at_risk - self.silent_lost

    def errors(self) -> tuple[str, ...]:
        """What is wrong with these shares, in words (empty when they make a funnel)."""
        problems = [
            f"{f.name} must be between 0 and 1"
            for f in fields(self)
            if not ZERO <= getattr(self, f.name) <= ONE
        ]
        complainers = self.complainer_retained + self.complainer_at_risk + self.complainer_lost
        if complainers != ONE:
            problems.append(f"complainers retained + at risk + lost must be 1, not {complainers}")
        if self.silent_at_risk + self.silent_lost > ONE:
            problems.append("silent at risk + lost must not exceed 1 (the rest are retained)")
        return tuple(problems)

    def validate(self) -> FunnelShares:
        """The shares themselves, or ValueError naming every problem."""
        problems = self.errors()
        if problems:
            raise ValueError("; ".join(problems))
        return self


DEFAULT_SHARES = FunnelShares()


@dataclass(frozen=True)
class RevenueAtRisk:
    """Revenue of one location (or a sum of them) through the funnel; exact Decimals, not rounded.

    ``negative_share`` of a sum is revenue-weighted: affected ÷ revenue."""

    revenue: Decimal
    negative_share: Decimal
    affected: Decimal
    complainers: Decimal
    silent: Decimal
    lost: Decimal
    at_risk: Decimal
    retained: Decimal

    def __add__(self, other: RevenueAtRisk) -> RevenueAtRisk:
        if not isinstance(other, RevenueAtRisk):
            return NotImplemented
        with localcontext(prec=PRECISION):
            revenue = self.revenue + other.revenue
            affected = self.affected + other.affected
            return RevenueAtRisk(
                revenue=revenue,
                negative_share=affected / revenue if revenue else ZERO,
                affected=affected,
                complainers=self.complainers + other.complainers,
                silent=self.silent + other.silent,
                lost=self.lost + other.lost,
                at_risk=self.at_risk + other.at_risk,
                retained=self.retained + other.retained,
            )


NOTHING = RevenueAtRisk(ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO)


def revenue_at_risk(
    revenue: Decimal, negative_share: Decimal, shares: FunnelShares = DEFAULT_SHARES
) -> RevenueAtRisk:
    """One location's revenue at risk from its annual revenue and negative-experience share."""
    revenue, negative_share = Decimal(revenue), Decimal(negative_share)
    if revenue < 0:
        raise ValueError("revenue must not be negative")
    if not ZERO <= negative_share <= ONE:
        raise ValueError("negative_share must be between 0 and 1")
    shares.validate()
    with localcontext(prec=PRECISION):
        affected = revenue * negative_share
        complainers = affected * shares.complaint_rate
        silent = affected - complainers
        return RevenueAtRisk(
            revenue=revenue,
            negative_share=negative_share,
            affected=affected,
            complainers=complainers,
            silent=silent,
            lost=complainers * shares.complainer_lost + silent * shares.silent_lost,
            at_risk=complainers * shares.complainer_at_risk + silent * shares.silent_at_risk,
            retained=complainers * shares.complainer_retained + silent * shares.silent_retained,
        )


def roll_up(items: Iterable[RevenueAtRisk]) -> RevenueAtRisk:
    """The sum for a region or the chain (zero for no locations)."""
    total = NOTHING
    for item in items:
        total += item
    return total


@dataclass(frozen=True)
class Lever:
    """Lost revenue at today's complaint rate and at another; ``saved`` = now − then."""

    lost_now: Decimal
    lost_then: Decimal
    saved: Decimal


def complaint_lever(
    revenue: Decimal, negative_share: Decimal, shares: FunnelShares, complaint_rate: Decimal
) -> Lever:
    """If ``complaint_rate`` of unhappy customers complained instead of ``shares.complaint_rate``,
    lost revenue would fall by ``saved`` (it would rise, and ``saved`` be negative, were complainers
    lost more often than the silent)."""
    now = revenue_at_risk(revenue, negative_share, shares).lost
    then = revenue_at_risk(
        revenue, negative_share, replace(shares, complaint_rate=Decimal(complaint_rate))
    ).lost
    with localcontext(prec=PRECISION):
        return Lever(lost_now=now, lost_then=then, saved=now - then)


def quantize_money(amount: Decimal) -> Decimal:
    """Round to cents, half up: for display and storage, never inside the sums."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
