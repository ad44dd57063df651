"""Corrective actions as pure rules (DESIGN §5): who fixes a failed finding, how urgently, by when,
and when an unanswered action escalates.

No Django here, on purpose (like `scoring` and `planning`): the services read the brand's routing
rules and deadlines, call these functions, and store what they return; the tests run them without
a database, with hypothesis properties for the invariants (the most specific rule wins, every
finding routes somewhere, a due date is never before the audit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum

__all__ = [
    "DEFAULT_DEADLINES",
    "FALLBACK_DEPARTMENT",
    "Deadlines",
    "Finding",
    "Level",
    "Route",
    "RoutingRule",
    "Severity",
    "due_date",
    "higher_severity",
    "is_overdue",
    "route",
    "severity_of",
    "should_escalate",
]

# Where a finding goes when the brand has no rule at all for it: the person who runs the store.
FALLBACK_DEPARTMENT = "store_manager"


class Severity(StrEnum):
    """How urgent an action is. A failed critical standard outranks a repeat, which outranks the rest."""

    NORMAL = "normal"
    REPEAT = "repeat"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.NORMAL: 0, Severity.REPEAT: 1, Severity.CRITICAL: 2}


class Level(IntEnum):
    """How specific a routing rule is; a higher level beats a lower one whenever both match."""

    BRAND_DEFAULT = 0
    SEVERITY = 1
    SECTION = 2
    DIMENSION = 3
    ITEM = 4


@dataclass(frozen=True)
class Finding:
    """A failed or partly met standard of a submitted audit, as routing sees it."""

    item_code: str
    section_code: str
    dimension_code: str | None = None
    critical: bool = False
    repeat: bool = False


@dataclass(frozen=True)
class RoutingRule:
    """Send matching findings to ``department``. A rule names at most one of item, dimension, section
    or severity (None: any); a rule naming none is the brand's default. ``rule_id`` breaks ties."""

    department: str
    item_code: str | None = None
    dimension_code: str | None = None
    section_code: str | None = None
    severity: Severity | None = None
    rule_id: int = 0

    @property
    def level(self) -> Level:
        if self.item_code:
            return Level.ITEM
        if self.dimension_code:
            return Level.DIMENSION
        if self.section_code:
            return Level.SECTION
        if self.severity:
            return Level.SEVERITY
        return Level.BRAND_DEFAULT

    def matches(self, finding: Finding, severity: Severity) -> bool:
        return (
            self.item_code in (None, "", finding.item_code)
            and self.dimension_code in (None, "", finding.dimension_code)
            and self.section_code in (None, "", finding.section_code)
            and self.severity in (None, "", severity)
        )


@dataclass(frozen=True)
class Route:
    """Where a finding goes, and the rule that sent it there (None: the built-in fallback)."""

    department: str
    rule_id: int | None
    level: Level | None


def severity_of(finding: Finding) -> Severity:
    """Critical when the failed standard is critical, else repeat when it failed last visit too."""
    if finding.critical:
        return Severity.CRITICAL
    if finding.repeat:
        return Severity.REPEAT
    return Severity.NORMAL


def higher_severity(a: Severity, b: Severity) -> Severity:
    return a if a.rank >= b.rank else b


def route(finding: Finding, rules: Iterable[RoutingRule]) -> Route:
    """The most specific matching rule wins (item > dimension > section > severity > brand default).

    Two rules of one level can both match only when they are duplicates (the database refuses them,
    but a pure rule must still answer): the lowest ``rule_id``, the oldest rule, wins, so the answer
    never depends on the order the rules were read in. No matching rule: the store manager.
    """
    severity = severity_of(finding)
    matching = [rule for rule in rules if rule.matches(finding, severity)]
    if not matching:
        return Route(FALLBACK_DEPARTMENT, None, None)
    best = min(matching, key=lambda rule: (-rule.level, rule.rule_id, rule.department))
    return Route(best.department, best.rule_id, best.level)


@dataclass(frozen=True)
class Deadlines:
    """Days a brand gives to fix a finding, by severity, and the grace before an overdue one escalates."""

    critical_days: int = 3
    repeat_days: int = 7
    normal_days: int = 14
    escalation_grace_days: int = 0

    def days_for(self, severity: Severity) -> int:
        return {
            Severity.CRITICAL: self.critical_days,
            Severity.REPEAT: self.repeat_days,
            Severity.NORMAL: self.normal_days,
        }[severity]


DEFAULT_DEADLINES = Deadlines()


def due_date(audited_on: date, severity: Severity, deadlines: Deadlines = DEFAULT_DEADLINES) -> date:
    """The audit's day plus the severity's days; a negative setting counts as 0, so never before it."""
    return audited_on + timedelta(days=max(deadlines.days_for(severity), 0))


def is_overdue(due: date, today: date, *, waiting_on_store: bool) -> bool:
    """Overdue: past its due date while the store still owes an answer (open, or sent back).

    An answered action waits on HQ, not on the store, so it is never overdue for the store.
    """
    return waiting_on_store and today > due


def should_escalate(
    due: date,
    today: date,
    *,
    waiting_on_store: bool,
    already_escalated: bool,
    deadlines: Deadlines = DEFAULT_DEADLINES,
) -> bool:
    """Escalate once: overdue by more than the brand's grace days and not escalated before."""
    grace = timedelta(days=max(deadlines.escalation_grace_days, 0))
    return not already_escalated and is_overdue(due + grace, today, waiting_on_store=waiting_on_store)
