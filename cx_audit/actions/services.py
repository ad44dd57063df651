"""Services of corrective actions: the only code that opens, answers, decides, verifies, escalates
or cancels one.

What they guarantee: submitting an auditor's visit opens one action per failed or partly met
finding, routed and dated by the pure rules (`cx_audit.actions.rules`), with a fixed number of queries
however many items the audit has; a finding that fails again while its action is live updates that
action (repeat, severity raised, reopened) rather than opening a second one — the database holds one
live action per location and item code; a later visit that passes the item verifies it. Voiding the
audit, or HQ overturning the finding on dispute, cancels what it opened. Every change is an
`ActionEvent` with who, when and why.

Self-assessments neither open nor verify actions: the point of an action is that someone other than
the store checks the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cx_audit.actions import rules
from cx_audit.actions.models import (
    LIVE_STATUSES,
    ActionEvent,
    ActionPolicy,
    ActionStatus,
    CorrectiveAction,
    EventKind,
    RoutingRule,
)
from cx_audit.audits.choices import COUNTED_KINDS, FAILED_OUTCOMES, AuditStatus, Outcome
from cx_audit.audits.models.amendments import Ruling
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult
from cx_audit.core.permissions import may
from cx_audit.core.photos import BadPhoto, read_photo

MAX_NOTE = 4000


class ActionStateConflict(Exception):
    """The action is not in a state that allows this step (the API answers 409)."""

    def __init__(self, action: CorrectiveAction, step: str) -> None:
        self.action = action
        super().__init__(
            _("This action is %(status)s: it cannot be %(step)s now.")
            % {"status": action.get_status_display().lower(), "step": step}
        )


@dataclass
class AuditActions:
    """What one audit did to the location's actions."""

    opened: list[CorrectiveAction] = field(default_factory=list)
    repeated: list[CorrectiveAction] = field(default_factory=list)
    verified: list[CorrectiveAction] = field(default_factory=list)
    cancelled: list[CorrectiveAction] = field(default_factory=list)


# --- reading a brand's rules --------------------------------------------------------------------


def brand_routing(brand_id: int) -> list[rules.RoutingRule]:
    """The brand's routing rules as the pure rules see them: one query."""
    return [
        rules.RoutingRule(
            department=rule.department,
            item_code=rule.item_code or None,
            dimension_code=rule.dimension_code or None,
            section_code=rule.section_code or None,
            severity=rules.Severity(rule.severity) if rule.severity else None,
            rule_id=rule.pk,
        )
        for rule in RoutingRule.objects.filter(brand_id=brand_id)
    ]


def deadlines_of(policy: ActionPolicy | None) -> rules.Deadlines:
    if policy is None:
        return rules.DEFAULT_DEADLINES
    return rules.Deadlines(
        critical_days=policy.critical_days,
        repeat_days=policy.repeat_days,
        normal_days=policy.normal_days,
        escalation_grace_days=policy.escalation_grace_days,
    )


def brand_deadlines(brand_id: int) -> rules.Deadlines:
    """The brand's deadlines (the defaults without a policy): one query."""
    return deadlines_of(ActionPolicy.objects.filter(brand_id=brand_id).first())


def finding_of(result: ItemResult) -> rules.Finding:
    return rules.Finding(
        item_code=result.item_code,
        section_code=result.section_code,
        dimension_code=result.dimension_code or None,
        critical=result.critical_failed,
        repeat=result.repeat,
    )


# --- what an audit does to actions -------------------------------------------------------------


def actions_from_audit(*, audit: Audit) -> AuditActions:
    """Open, update and verify the location's actions from a just-submitted audit.

    At most seven queries whatever the number of items: the results, the live actions, the rules,
    the deadlines, one update, one insert of actions and one insert of their history. The caller
    (`audit_submit`) holds the transaction.
    """
    done = AuditActions()
    if audit.status != AuditStatus.SUBMITTED or audit.kind not in COUNTED_KINDS:
        return done
    results = list(
        ItemResult.objects.filter(audit=audit, outcome__in=[*FAILED_OUTCOMES, Outcome.PASS]).only(
            "pk", "item_id", "item_code", "section_code", "dimension_code", "outcome", "reason",
            "critical_failed", "repeat",
        )
    )  # fmt: skip
    if not results:
        return done
    live = {
        action.item_code: action
        for action in CorrectiveAction.objects.select_for_update().filter(
            location_id=audit.location_id, status__in=LIVE_STATUSES
        )
    }
    deadlines = (
        brand_deadlines(audit.brand_id)
        if any(result.outcome in FAILED_OUTCOMES for result in results)
        else rules.DEFAULT_DEADLINES
    )
    events: list[ActionEvent] = []
    changed: list[CorrectiveAction] = []
    to_open: list[ItemResult] = []
    found_at = audit.submitted_at
    for result in results:
        action = live.get(result.item_code)
        if action is not None and found_at <= action.last_found_at:
            continue  # a visit synced late, older than what the action already knows
        if result.outcome == Outcome.PASS:
            if action is not None:
                _verify(action, audit)
                done.verified.append(action)
                changed.append(action)
                events.append(_event(action, EventKind.VERIFIED, audit, _("The item passed at this audit.")))
            continue
        if action is not None and action.franchisee_id != audit.franchisee_id:
            # The store changed hands: the former operator's action is closed, the new one starts afresh.
            _close(action, ActionStatus.CANCELLED, found_at)
            done.cancelled.append(action)
            changed.append(action)
            events.append(_event(action, EventKind.CANCELLED, audit, _("The store changed hands.")))
            action = None
        if action is None:
            to_open.append(result)
            continue
        _repeat(action, result, audit, deadlines)
        done.repeated.append(action)
        changed.append(action)
        events.append(_event(action, EventKind.REPEATED, audit, result.reason))
    if changed:
        CorrectiveAction.objects.bulk_update(changed, UPDATED_FIELDS)
    if to_open:
        done.opened = _open(audit, to_open, deadlines)
        events += [_event(action, EventKind.OPENED, audit, action.reason) for action in done.opened]
    ActionEvent.objects.bulk_create(events)
    return done


UPDATED_FIELDS = [
    "status",
    "severity",
    "repeat",
    "due_date",
    "last_audit",
    "last_found_at",
    "verified_by",
    "closed_at",
    "updated_at",
]


def _open(audit: Audit, results: list[ItemResult], deadlines: rules.Deadlines) -> list[CorrectiveAction]:
    routing = brand_routing(audit.brand_id)
    audited_on = timezone.localdate(audit.submitted_at)
    rows = []
    for result in results:
        finding = finding_of(result)
        severity = rules.severity_of(finding)
        routed = rules.route(finding, routing)
        rows.append(
            CorrectiveAction(
                brand_id=audit.brand_id,
                location_id=audit.location_id,
                franchisee_id=audit.franchisee_id,
                audit=audit,
                item_result=result,
                last_audit=audit,
                item_id=result.item_id,
                item_code=result.item_code,
                section_code=result.section_code,
                dimension_code=result.dimension_code,
                outcome=result.outcome,
                reason=result.reason,
                critical=result.critical_failed,
                repeat=result.repeat,
                severity=str(severity),
                department=routed.department,
                routing_rule_id=routed.rule_id,
                opened_at=audit.submitted_at,
                last_found_at=audit.submitted_at,
                due_date=rules.due_date(audited_on, severity, deadlines),
            )
        )
    return CorrectiveAction.objects.bulk_create(rows)


def _repeat(action: CorrectiveAction, result: ItemResult, audit: Audit, deadlines: rules.Deadlines) -> None:
    """Failed again while live: a repeat, as severe as it ever was or more, and open again.

    An accepted fix that failed again gets a fresh due date; an open one keeps the earlier date.
    """
    severity = rules.higher_severity(
        rules.Severity(action.severity),
        rules.Severity.CRITICAL if result.critical_failed else rules.Severity.REPEAT,
    )
    due = rules.due_date(timezone.localdate(audit.submitted_at), severity, deadlines)
    action.due_date = due if action.status == ActionStatus.ACCEPTED else min(action.due_date, due)
    action.severity = str(severity)
    action.repeat = True
    action.status = ActionStatus.OPEN
    action.closed_at = None
    action.last_audit = audit
    action.last_found_at = audit.submitted_at
    action.updated_at = timezone.now()


def _verify(action: CorrectiveAction, audit: Audit) -> None:
    action.verified_by = audit
    _close(action, ActionStatus.VERIFIED, audit.submitted_at)


def _close(action: CorrectiveAction, status: str, at: datetime) -> None:
    action.status = status
    action.closed_at = at
    action.updated_at = timezone.now()


def _event(
    action: CorrectiveAction,
    kind: str,
    audit: Audit | None = None,
    note: str = "",
    user: Any = None,
    at: datetime | None = None,
) -> ActionEvent:
    when = at or (audit.submitted_at if audit is not None else timezone.now())
    return ActionEvent(action=action, kind=kind, audit=audit, note=note, by=user, at=when)


def actions_cancel_for_audit(*, audit: Audit, user: Any, reason: str) -> int:
    """The audit was voided: the live actions it opened are cancelled — unless a later visit failed
    the item again, in which case the action stays live and is handed to that visit. Returns how many
    were cancelled (at most four queries). An action it only updated or verified keeps its state."""
    opened = list(CorrectiveAction.objects.select_for_update().filter(audit=audit, status__in=LIVE_STATUSES))
    handed = [action for action in opened if action.last_audit_id not in (None, audit.pk)]
    if handed:
        later = {
            (audit_id, code): pk
            for audit_id, code, pk in ItemResult.objects.filter(
                audit_id__in={a.last_audit_id for a in handed}, item_code__in={a.item_code for a in handed}
            ).values_list("audit_id", "item_code", "pk")
        }
        for action in handed:
            action.audit_id = action.last_audit_id
            action.item_result_id = later.get((action.last_audit_id, action.item_code))
        CorrectiveAction.objects.bulk_update(handed, ["audit", "item_result"])
    cancelled = [action for action in opened if action not in handed]
    return _cancel(cancelled, user, _("The audit was voided: %(reason)s") % {"reason": reason}, audit)


def actions_after_ruling(*, audit: Audit, item_code: str, ruling: str, user: Any) -> int:
    """HQ accepted a dispute of one finding of ``audit``: a passing or struck-out ruling cancels the
    live action the finding opened (a partly met item still needs fixing). The audit's results were
    stored anew, so its actions are linked again to the new rows. Returns how many were cancelled."""
    results = dict(ItemResult.objects.filter(audit=audit).values_list("item_code", "pk"))
    actions = list(CorrectiveAction.objects.select_for_update().filter(audit=audit))
    for action in actions:
        action.item_result_id = results.get(action.item_code)
    if actions:
        CorrectiveAction.objects.bulk_update(actions, ["item_result"])
    if ruling not in (Ruling.PASS, Ruling.STRUCK):
        return 0
    # Overturned here, but failed again at a later visit: the action still stands.
    overturned = [
        a
        for a in actions
        if a.item_code == item_code and a.status in LIVE_STATUSES and a.last_audit_id in (None, audit.pk)
    ]
    return _cancel(overturned, user, _("The finding was overturned on dispute."), audit)


def _cancel(actions: list[CorrectiveAction], user: Any, note: str, audit: Audit | None) -> int:
    now = timezone.now()
    for action in actions:
        _close(action, ActionStatus.CANCELLED, now)
    if actions:
        CorrectiveAction.objects.bulk_update(actions, ["status", "closed_at", "updated_at"])
        ActionEvent.objects.bulk_create(
            [_event(action, EventKind.CANCELLED, audit, note, user, now) for action in actions]
        )
    return len(actions)


# --- the store answers, HQ decides ---------------------------------------------------------------


def _clean_note(note: str | None, *, field_name: str, required: bool, missing: str) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({field_name: [missing]})
    if len(note) > MAX_NOTE:
        raise ValidationError({field_name: [_("Keep it under %(n)s characters.") % {"n": MAX_NOTE}]})
    return note


def _locked(action: CorrectiveAction) -> CorrectiveAction:
    return CorrectiveAction.objects.select_for_update().select_related("location").get(pk=action.pk)


def action_respond(
    *, action: CorrectiveAction, user: Any, note: str, photo: Any = None, now: datetime | None = None
) -> ActionEvent:
    """The store (its franchisee, or HQ for a direct store) says what it did, with a photo if it has
    one; the action waits for HQ. Only an open action (new or sent back) can be answered."""
    if not may(user, "respond", action):
        raise PermissionDenied(_("Only the outlet's franchisee or HQ admins may answer this action."))
    note = _clean_note(note, field_name="note", required=True, missing=_("Say what was done to fix it."))
    checked = None
    if photo is not None:
        try:
            checked = read_photo(photo)
        except BadPhoto as error:
            raise ValidationError({"photo": [str(error)]}) from error
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(action)
        if locked.status != ActionStatus.OPEN:
            raise ActionStateConflict(locked, _("answered"))
        event = ActionEvent(action=locked, kind=EventKind.ANSWERED, by=user, at=now, note=note)
        if checked is not None:
            event.photo_content_type = checked.content_type
            event.photo_sha256 = checked.sha256
            event.photo_size = checked.size
            event.photo.save(checked.sha256, ContentFile(checked.content), save=False)
        event.save()
        locked.status = ActionStatus.ANSWERED
        locked.save(update_fields=["status", "updated_at"])
    return event


def action_accept(*, action: CorrectiveAction, user: Any, note: str = "") -> CorrectiveAction:
    """HQ is satisfied with the answer; the next audit that passes the item verifies it."""
    return _decide(
        action, user, EventKind.ACCEPTED, _clean_note(note, field_name="note", required=False, missing="")
    )


def action_send_back(*, action: CorrectiveAction, user: Any, reason: str) -> CorrectiveAction:
    """HQ is not satisfied: the action is open again, with the reason; the due date stands."""
    reason = _clean_note(reason, field_name="reason", required=True, missing=_("Say what is still missing."))
    return _decide(action, user, EventKind.SENT_BACK, reason)


def _decide(action: CorrectiveAction, user: Any, kind: str, note: str) -> CorrectiveAction:
    if not may(user, "decide", action):
        raise PermissionDenied(_("Only HQ admins of the brand accept or send back actions."))
    with transaction.atomic():
        locked = _locked(action)
        if locked.status != ActionStatus.ANSWERED:
            raise ActionStateConflict(locked, _("decided"))
        now = timezone.now()
        accepted = kind == EventKind.ACCEPTED
        locked.status = ActionStatus.ACCEPTED if accepted else ActionStatus.OPEN
        locked.closed_at = now if accepted else None
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        ActionEvent.objects.create(action=locked, kind=kind, by=user, at=now, note=note)
    return locked


# --- escalation --------------------------------------------------------------------------------


def actions_escalate(now: datetime | None = None) -> int:
    """Mark every open action overdue beyond its brand's grace as escalated, once: four queries
    whatever the number of actions. Returns how many were escalated now."""
    now = now or timezone.now()
    today: date = timezone.localdate(now)
    with transaction.atomic():
        candidates = list(
            CorrectiveAction.objects.select_for_update()
            .overdue(today)
            .filter(escalated_at__isnull=True)
            .only("pk", "brand_id", "due_date", "status", "escalated_at")
        )
        policies = {p.brand_id: deadlines_of(p) for p in ActionPolicy.objects.filter(
            brand_id__in={a.brand_id for a in candidates}
        )} if candidates else {}  # fmt: skip
        due = [
            action
            for action in candidates
            if rules.should_escalate(
                action.due_date,
                today,
                waiting_on_store=action.waiting_on_store,
                already_escalated=action.escalated_at is not None,
                deadlines=policies.get(action.brand_id, rules.DEFAULT_DEADLINES),
            )
        ]
        if not due:
            return 0
        CorrectiveAction.objects.filter(pk__in=[a.pk for a in due]).update(escalated_at=now, updated_at=now)
        ActionEvent.objects.bulk_create(
            [
                ActionEvent(
                    action=action,
                    kind=EventKind.ESCALATED,
                    at=now,
                    note=_("Overdue since %(date)s.") % {"date": action.due_date.isoformat()},
                )
                for action in due
            ]
        )
    return len(due)
