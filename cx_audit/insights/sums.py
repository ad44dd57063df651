"""Sums over latest audits, by group: what the key figures, the consistency index and the comparisons
are made of (pure: rows in, sums out).

Every figure over whole audits is a function of a few sums — pooled points are Σ earned ÷ Σ possible
(never a mean of means, docs/insights.md §8), the mean score Σ score ÷ locations, quartiles come from
the distribution of scores (§7) — so one pass over the latest audits (`latest.latest_set`, read once
per request) serves every table, and rolling groups up (leaf regions into the level shown, groups
into the whole selection) only adds sums.

A latest audit without a score (every applicable item "cannot check", say: `audits.noscore`) is a
visit, counted in ``locations`` and ``unscored``, and left out of every figure over scores — the
score total, the distribution, pooled points and the locations meeting the bar — never a 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol


class AuditFigures(Protocol):
    """What a latest audit carries into the sums (`latest.LatestAudit` has it all)."""

    score: Decimal | None  # None: visited, not scored
    critical_failure: bool
    failed_count: int
    repeat_count: int
    earned: Decimal
    possible: Decimal


@dataclass
class AuditSums:
    """A group of locations' latest audits, summed."""

    locations: int = 0  # visited: every latest audit, scored or not
    unscored: int = 0  # of them, latest audits without a score
    score: Decimal = Decimal(0)  # over the scored ones
    critical: int = 0  # locations whose latest audit failed a critical standard
    clean: int = 0  # scored locations without a critical failure
    failed: int = 0  # failed items over the audits
    repeats: int = 0  # repeat findings over the audits
    earned: Decimal = Decimal(0)  # section points earned (pooled points)
    possible: Decimal = Decimal(0)
    scores: Counter = field(default_factory=Counter)  # score → how many locations have it

    def add(self, audit: AuditFigures) -> None:
        self.locations += 1
        self.critical += audit.critical_failure
        self.failed += audit.failed_count
        self.repeats += audit.repeat_count
        if audit.score is None:
            self.unscored += 1
            return
        self.score += audit.score
        self.clean += not audit.critical_failure
        self.earned += audit.earned
        self.possible += audit.possible
        self.scores[audit.score] += 1

    def merge(self, other: AuditSums) -> None:
        self.locations += other.locations
        self.unscored += other.unscored
        self.score += other.score
        self.critical += other.critical
        self.clean += other.clean
        self.failed += other.failed
        self.repeats += other.repeats
        self.earned += other.earned
        self.possible += other.possible
        self.scores.update(other.scores)

    @property
    def scored(self) -> int:
        """Locations whose latest audit has a score: what means and spreads are taken over."""
        return self.locations - self.unscored

    @property
    def histogram(self) -> list[tuple[Decimal, int]]:
        """The distribution of the scores, as `maths.spread` reads it."""
        return list(self.scores.items())


def sums_by(audits: Iterable[AuditFigures], key: Callable[[Any], Hashable]) -> dict[Hashable, AuditSums]:
    """The audits summed per group, ``key(audit)`` naming each one's group."""
    groups: dict[Hashable, AuditSums] = {}
    for audit in audits:
        name = key(audit)
        sums = groups.get(name)
        if sums is None:
            sums = groups[name] = AuditSums()
        sums.add(audit)
    return groups


def total(groups: Iterable[AuditSums]) -> AuditSums:
    """Groups added up: the whole selection, from sums only."""
    whole = AuditSums()
    for sums in groups:
        whole.merge(sums)
    return whole
