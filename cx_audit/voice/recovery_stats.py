"""How well the brand wins unhappy customers back: the recovery rate, counted in the database.

The rate is recovered ÷ closed (`cx_audit.voice.rules.recovery_rate`): an action still open is
neither a success nor a failure yet. Beside it, the on-time share — closed by the deadline the
brand set (`VoicePolicy.recovery_hours`) ÷ closed — and what is open and overdue now. Every figure
is one SQL aggregate over the actions the caller already scoped (`visible_to`), for the whole
selection or per location, region, department, franchisee or reason, so the count of queries does
not grow with the number of actions or groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cx_audit.actions.models import Department
from cx_audit.voice.choices import CLOSED_RECOVERY, RecoveryReason, RecoveryStatus
from cx_audit.voice.rules import recovery_rate

# The groups the rate is reported by: the key a caller names → the field grouped on, and the fields
# that label a group (read in the same query).
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "location": ("location_id", ("location__code", "location__name")),
    "region": ("location__region_id", ("location__region__name",)),
    "department": ("department", ()),
    "franchisee": ("franchisee_id", ("franchisee__name",)),
    "reason": ("reason", ()),
}
COUNT_FIELDS = ("opened", "open", "overdue", "recovered", "not_recovered", "on_time")


@dataclass(frozen=True)
class RecoveryCounts:
    """What happened to a group of recovery actions: opened, still open (overdue among them), and
    closed — recovered or not, and how many of the closed ones were closed by their deadline."""

    opened: int = 0
    open: int = 0
    overdue: int = 0
    recovered: int = 0
    not_recovered: int = 0
    on_time: int = 0

    @property
    def closed(self) -> int:
        return self.recovered + self.not_recovered

    @property
    def rate(self) -> Decimal | None:
        """% of closed actions that won the customer back (None: none closed yet)."""
        return recovery_rate(self.recovered, self.closed)

    @property
    def on_time_share(self) -> Decimal | None:
        """% of closed actions closed by their deadline (None: none closed yet)."""
        return recovery_rate(self.on_time, self.closed)


@dataclass(frozen=True)
class RecoveryRow:
    """One group of a breakdown: its key (an id or a code), a label to show, and its counts."""

    key: Any
    label: str
    counts: RecoveryCounts


def recovery_aggregates(now: datetime | None = None) -> dict[str, Any]:
    """The aggregate expressions whose results are exactly a `RecoveryCounts`' fields."""
    now = now or timezone.now()
    is_open = Q(status=RecoveryStatus.OPEN)
    return {
        "opened": Count("pk"),
        "open": Count("pk", filter=is_open),
        "overdue": Count("pk", filter=is_open & Q(due_at__lt=now)),
        "recovered": Count("pk", filter=Q(status=RecoveryStatus.RECOVERED)),
        "not_recovered": Count("pk", filter=Q(status=RecoveryStatus.NOT_RECOVERED)),
        "on_time": Count("pk", filter=Q(status__in=CLOSED_RECOVERY, closed_at__lte=F("due_at"))),
    }


def opened_between(actions: QuerySet, start: date | None = None, end: date | None = None) -> QuerySet:
    """The actions opened from ``start`` to ``end`` (whole local days, both included; None: open-ended)."""
    if start is not None:
        actions = actions.filter(opened_at__gte=_midnight(start))
    if end is not None:
        actions = actions.filter(opened_at__lt=_midnight(end + timedelta(days=1)))
    return actions


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def recovery_counts(actions: QuerySet, now: datetime | None = None) -> RecoveryCounts:
    """The counts of the whole selection: one query."""
    return RecoveryCounts(**actions.order_by().aggregate(**recovery_aggregates(now)))


def recovery_breakdown(actions: QuerySet, by: str, now: datetime | None = None) -> list[RecoveryRow]:
    """The counts per group (``by``: a key of `GROUPS`), worst rate first: one query.

    Groups with nothing closed yet (no rate) come last, the most overdue first among them.
    """
    key, label_fields = GROUPS[by]
    rows = actions.order_by().values(key, *label_fields).annotate(**recovery_aggregates(now))
    result = [
        RecoveryRow(row[key], _label(by, row[key], [row[name] for name in label_fields]), _counts(row))
        for row in rows
    ]
    return sorted(result, key=_worst_first)


def _counts(row: dict[str, Any]) -> RecoveryCounts:
    return RecoveryCounts(**{name: row[name] for name in COUNT_FIELDS})


def _label(by: str, key: Any, parts: Sequence[Any]) -> str:
    if by == "department":
        return str(Department(key).label) if key in Department.values else str(key)
    if by == "reason":
        return str(RecoveryReason(key).label) if key in RecoveryReason.values else str(key)
    if by == "franchisee" and key is None:
        return _("Direct stores")
    return " · ".join(str(part) for part in parts if part) or "—"


def _worst_first(row: RecoveryRow) -> tuple[Any, ...]:
    rate = row.counts.rate
    return (rate is None, rate if rate is not None else 0, -row.counts.overdue, row.label)
