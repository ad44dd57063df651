"""Keeping repeat findings true when the visit they repeat changes.

A finding is a repeat when its standard also failed at the location's previous counted visit
(`rules.previous_failures`). That previous visit can change after the later audit was scored:
HQ voids it, accepts a dispute that overturns one of its findings, or a visit recorded offline is
submitted with an earlier time than one already in. The later audit's score does not depend on
its repeat flags, so no score changes; only the flags and the audit's repeat count are derived
again, by the same rule the engine uses (`scoring.is_repeat`).
"""

from __future__ import annotations

from cx_audit.audits.adapters import previous_failures
from cx_audit.audits.choices import AuditKind, AuditStatus
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult
from cx_audit.audits.scoring import is_repeat


def followers(audit: Audit) -> list[Audit]:
    """The audits that may compare themselves with ``audit``: the location's next visit (an
    auditor's visit never compares with a self-assessment) and its next self-assessment (which
    compares with whatever came last). One query.
    """
    later = (
        Audit.objects.filter(
            location_id=audit.location_id,
            status=AuditStatus.SUBMITTED,
            submitted_at__gt=audit.submitted_at,
        )
        .exclude(pk=audit.pk)
        .order_by("submitted_at", "pk")
        .only("pk", "kind", "location_id", "submitted_at", "started_at", "repeat_count")
    )
    visit = own = None
    for candidate in later:
        if candidate.kind == AuditKind.SELF_ASSESSMENT:
            own = own or candidate
        elif audit.kind != AuditKind.SELF_ASSESSMENT:
            visit = visit or candidate
    return [found for found in (visit, own) if found is not None]


def repeats_refresh(audit: Audit) -> int:
    """Derive again the repeat flags of the audits that follow ``audit``; returns how many flags
    changed. A handful of queries however long the location's history. The caller holds the
    transaction.
    """
    changed = 0
    if audit.submitted_at is None:
        return changed
    for later in followers(audit):
        failures = previous_failures(later)
        rows = ItemResult.objects.filter(audit=later).values_list("pk", "item_code", "outcome", "repeat")
        flags = [(pk, repeat, is_repeat(outcome, code, failures)) for pk, code, outcome, repeat in rows]
        stale = [(pk, new) for pk, old, new in flags if old != new]
        for flag in (True, False):
            ids = [pk for pk, new in stale if new is flag]
            if ids:
                ItemResult.objects.filter(pk__in=ids).update(repeat=flag)
        count = sum(new for _pk, _old, new in flags)
        if count != later.repeat_count:
            Audit.objects.filter(pk=later.pk).update(repeat_count=count)
        changed += len(stale)
    return changed
