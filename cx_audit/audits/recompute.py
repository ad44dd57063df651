"""Recomputing stored scores for repairs: shows every change, applies only when asked (DESIGN §3.7)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from cx_audit.audits import adapters as rules
from cx_audit.audits import amendments, scoring
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult
from cx_audit.audits.policy import policy_for
from cx_audit.audits.results import points, results_write, summary_fields


@dataclass
class ScoreChange:
    """What a recompute would change on one audit: audit fields and item outcomes."""

    audit: Audit
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    items: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields or self.items)

    def lines(self) -> Iterator[str]:
        yield f"audit {self.audit.pk} ({self.audit.location}, {self.audit.submitted_at:%Y-%m-%d}):"
        for name, (old, new) in self.fields.items():
            yield f"  {name}: {old} → {new}"
        for code, (old, new) in self.items.items():
            yield f"  item {code}: {old} → {new}"


def audit_rescore(
    audit: Audit,
    framework_rules: rules.FrameworkRules,
    extra_rulings: tuple[amendments.ItemRuling, ...] = (),
) -> scoring.AuditScore:
    """The audit scored again from its answers, with HQ's recorded rulings on accepted disputes
    (and ``extra_rulings`` not yet recorded) standing in for the items they amend.
    """
    return amendments.score_with_rulings(
        outlet_type=audit.outlet_type,  # the snapshot: what the store was when audited
        items=framework_rules.items,
        answers=rules.audit_answers(audit),
        sections=framework_rules.sections,
        dimensions=framework_rules.dimensions,
        policy=policy_for(audit.brand),
        previous_failures=rules.previous_failures(audit),
        rulings=rules.audit_rulings(audit) + extra_rulings,
    )


def _diff(audit: Audit, result: scoring.AuditScore) -> ScoreChange:
    change = ScoreChange(audit)
    for name, new in summary_fields(result).items():
        old = getattr(audit, name)
        if old != new:
            change.fields[name] = (old, new)
    stored = {
        row.item_code: f"{row.outcome} {row.earned.normalize()}/{row.possible.normalize()}"
        for row in ItemResult.objects.filter(audit=audit)
    }
    for item in result.items:
        now = f"{item.outcome} {points(item.earned).normalize()}/{points(item.possible).normalize()}"
        if stored.get(item.code) != now:
            change.items[item.code] = (stored.get(item.code, "—"), now)
    return change


def scores_recompute(*, audits: Iterable[Audit], apply: bool = False) -> list[ScoreChange]:
    """Recompute each submitted audit; return what differs, and store it only when ``apply``."""
    cache: dict[int, rules.FrameworkRules] = {}
    changes = []
    for audit in audits:
        if audit.framework_id not in cache:
            cache[audit.framework_id] = rules.framework_rules(audit.framework)
        framework_rules = cache[audit.framework_id]
        result = audit_rescore(audit, framework_rules)  # amendments are part of the record
        change = _diff(audit, result)
        if change and apply:
            with transaction.atomic():
                results_write(audit=audit, result=result, framework_rules=framework_rules, replace=True)
        if change:
            changes.append(change)
    return changes
