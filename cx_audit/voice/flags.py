"""Early-warning flags (DESIGN §6) for every location and touchpoint of a brand, in a handful of queries.

The pure rule (`warnings.early_warnings`) compares a current window with the trailing baseline
before it, under the brand's thresholds (`policy.warning_policy_of`). Here the windows end on the
query's last day (today by default) and every location's two windows come from two grouped
aggregates — never a query per location — and every touchpoint's from two more each
(`selectors.touchpoint_tallies`). The other filters (region, franchisee, outlet type, channel, the
user's reach) apply as everywhere: a franchisee sees the flags of its own outlets.

How many weeks a baseline really covers runs from the first answer it holds (a store that started
hearing from customers three weeks ago has a three-week baseline, not an eight-week one diluted
by silence); a baseline without any answer is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Min
from django.utils import timezone

from cx_audit.voice.dashboard_filters import VoiceQuery
from cx_audit.voice.metrics import Tally
from cx_audit.voice.policy import warning_policy_of
from cx_audit.voice.selectors import touchpoint_names, touchpoint_tallies, voice_policy
from cx_audit.voice.tallies import TALLY_FIELDS, tally_aggregates
from cx_audit.voice.warnings import Signal, WarningPolicy, Windows, early_warnings, windows
from locations.models import Location

Scope = Literal["location", "touchpoint"]


@dataclass(frozen=True)
class Flag:
    """One signal about one location (``key``: its id) or touchpoint (``key``: its code)."""

    scope: Scope
    key: str
    code: str
    label: str
    kind: str
    current: Decimal
    baseline: Decimal
    change: Decimal
    sample: int


@dataclass(frozen=True)
class Flags:
    as_of: date
    windows: Windows
    policy: WarningPolicy
    flags: tuple[Flag, ...]

    def of_location(self, location_id: int) -> tuple[Flag, ...]:
        return tuple(flag for flag in self.flags if flag.scope == "location" and flag.key == str(location_id))


def warning_policy(query: VoiceQuery) -> WarningPolicy:
    return warning_policy_of(voice_policy(query))


def _grouped(query: VoiceQuery) -> tuple[dict[int, Tally], dict[int, date]]:
    """Each location's tally in the query's window, and the day of its first answer there."""
    rows = (
        query.feedback()
        .order_by()
        .values("location_id")
        .annotate(**tally_aggregates(), first=Min("received_at"))
    )
    tallies, firsts = {}, {}
    for row in rows:
        tallies[row["location_id"]] = Tally(**{name: row[name] for name in TALLY_FIELDS})
        firsts[row["location_id"]] = timezone.localdate(row["first"])
    return tallies, firsts


def covered_weeks(first: date | None, span: Windows, policy: WarningPolicy) -> int:
    """Whole weeks (rounded up) from the first answer to the baseline's end, at most the policy's."""
    if first is None:
        return 0
    days = (span.baseline_end - max(first, span.baseline_start)).days + 1
    return min(policy.baseline_weeks, max(0, -(-days // 7)))


def _severity(signal: Signal, policy: WarningPolicy) -> Decimal:
    """How far past its threshold a signal is, so the worst flags come first whatever their kind."""
    if signal.kind == "nps_drop":
        return -signal.change / (policy.nps_drop or Decimal(1))
    return signal.change / (policy.complaint_rise or Decimal(1))


def early_warning_flags(query: VoiceQuery, *, touchpoints: bool = True) -> Flags:
    """The flags of every location (and touchpoint) the query reaches, worst first."""
    policy = warning_policy(query)
    span = windows(query.date_to, policy)
    current = query.between(span.current_start, span.current_end)
    baseline = query.between(span.baseline_start, span.baseline_end)
    now, _ = _grouped(current)
    before, firsts = _grouped(baseline)
    raised: list[tuple[Signal, Scope, Any]] = []
    for location_id, tally in now.items():
        weeks = covered_weeks(firsts.get(location_id), span, policy)
        for signal in early_warnings(tally, before.get(location_id, Tally()), weeks, policy):
            raised.append((signal, "location", location_id))
    if touchpoints:
        weeks = covered_weeks(min(firsts.values(), default=None), span, policy)
        before_tp = touchpoint_tallies(baseline)
        for code, tally in touchpoint_tallies(current).items():
            for signal in early_warnings(tally, before_tp.get(code, Tally()), weeks, policy):
                raised.append((signal, "touchpoint", code))
    raised.sort(key=lambda item: (-_severity(item[0], policy), item[1], str(item[2])))
    return Flags(query.date_to, span, policy, tuple(_flags(query, raised)))


def _flags(query: VoiceQuery, raised: list[tuple[Signal, Scope, Any]]) -> list[Flag]:
    location_ids = [key for _signal, scope, key in raised if scope == "location"]
    names = {}
    if location_ids:
        names = {
            pk: (code, name)
            for pk, code, name in Location.objects.filter(pk__in=location_ids).values_list(
                "pk", "code", "name"
            )
        }
    touchpoint_labels = touchpoint_names(query) if len(location_ids) < len(raised) else {}
    flags = []
    for signal, scope, key in raised:
        code, label = (
            names.get(key, ("", "")) if scope == "location" else (key, touchpoint_labels.get(key, key))
        )
        flags.append(
            Flag(
                scope=scope,
                key=str(key),
                code=code,
                label=label,
                kind=signal.kind,
                current=signal.current,
                baseline=signal.baseline,
                change=signal.change,
                sample=signal.sample,
            )
        )
    return flags
