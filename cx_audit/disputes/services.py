"""Disputes of findings: raised by a franchisee, decided by HQ, an acceptance rescoring the item.

What they guarantee: a dispute is raised only by the outlet's franchisee, only on a failed item of
a submitted audit, once per item, within the brand's `dispute_days`; it is decided once, by an HQ
admin of the brand. Accepting it stores the audit's results anew through `results_write` — scored
by the unchanged engine with HQ's ruling standing in for the item (`cx_audit.audits.amendments`) — and
records an `Amendment` with the original figures, who and when, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cx_audit.audits import adapters as rules
from cx_audit.audits import amendments, signals
from cx_audit.audits.choices import FAILED_OUTCOMES, AuditStatus
from cx_audit.audits.models.amendments import Amendment, Ruling
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult, SectionResult
from cx_audit.audits.recompute import audit_rescore
from cx_audit.audits.repeats import repeats_refresh
from cx_audit.audits.results import results_write
from cx_audit.core.permissions import may
from cx_audit.core.photos import BadPhoto, read_photo
from cx_audit.disputes.models import Dispute, DisputeStatus

MAX_NOTE = 4000


class DisputeClosed(Exception):
    """Raised on deciding a dispute that is already decided (the API answers 409)."""

    def __init__(self, dispute: Dispute) -> None:
        self.dispute = dispute
        super().__init__(
            _("This dispute was already %(status)s.") % {"status": dispute.get_status_display().lower()}
        )


def dispute_deadline(audit: Audit) -> datetime | None:
    """The last moment a finding of this audit may be disputed; None before submission."""
    if audit.submitted_at is None:
        return None
    return audit.submitted_at + timedelta(days=audit.brand.dispute_days)


def dispute_window_open(audit: Audit, now: datetime | None = None) -> bool:
    deadline = dispute_deadline(audit)
    return (
        audit.status == AuditStatus.SUBMITTED
        and deadline is not None
        and audit.brand.dispute_days > 0
        and (now or timezone.now()) <= deadline
    )


def dispute_raise(
    *,
    audit: Audit,
    user: Any,
    item_code: str,
    note: str,
    photo: Any = None,
    now: datetime | None = None,
) -> Dispute:
    """Record a franchisee's dispute of one failed finding; ValidationError names the field at fault."""
    audit = Audit.objects.select_related("brand").get(pk=audit.pk)  # as it is now, not as the caller read it
    if not may(user, "dispute", audit):
        raise PermissionDenied(_("Only the outlet's franchisee may dispute its findings."))
    if audit.status != AuditStatus.SUBMITTED:
        raise ValidationError({"audit": [_("Only the findings of a submitted audit can be disputed.")]})
    if not dispute_window_open(audit, now):
        deadline = dispute_deadline(audit)
        raise ValidationError(
            {
                "audit": [
                    _("The time to dispute this audit ended on %(date)s (%(days)s days after submission).")
                    % {
                        "date": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") if deadline else "—",
                        "days": audit.brand.dispute_days,
                    }
                ]
            }
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say why the finding is wrong.")]})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("Keep the note under %(n)s characters.") % {"n": MAX_NOTE}]})
    result = ItemResult.objects.filter(audit=audit, item_code=item_code).select_related("item").first()
    if result is None:
        raise ValidationError({"item": [_("No item with this code in the audit.")]})
    if result.outcome not in FAILED_OUTCOMES:
        raise ValidationError({"item": [_("Only a failed or partly met finding can be disputed.")]})
    checked = None
    if photo is not None:
        try:
            checked = read_photo(photo)
        except BadPhoto as error:
            raise ValidationError({"photo": [str(error)]}) from error
    dispute = Dispute(
        audit=audit,
        item=result.item,
        item_code=result.item_code,
        note=note,
        raised_by=user,
        raised_at=now or timezone.now(),
    )
    if Dispute.objects.filter(audit=audit, item=result.item).exists():
        raise ValidationError({"item": [_("This finding has already been disputed.")]})
    try:
        with transaction.atomic():
            if checked is not None:
                dispute.photo_content_type = checked.content_type
                dispute.photo_sha256 = checked.sha256
                dispute.photo.save(checked.sha256, ContentFile(checked.content), save=False)
            dispute.save()
    except IntegrityError:  # the same item disputed at the same moment from elsewhere
        raise ValidationError({"item": [_("This finding has already been disputed.")]}) from None
    return dispute


def _check_decider(dispute: Dispute, user: Any) -> None:
    if not may(user, "decide", dispute):
        raise PermissionDenied(_("Only HQ admins of the brand decide disputes."))


def _locked(dispute: Dispute) -> Dispute:
    locked = Dispute.objects.select_for_update().select_related("audit__brand").get(pk=dispute.pk)
    if not locked.is_open:
        raise DisputeClosed(locked)
    return locked


def dispute_reject(*, dispute: Dispute, user: Any, reason: str) -> Dispute:
    """HQ keeps the finding; the reason is shown to the franchisee."""
    _check_decider(dispute, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the dispute is rejected.")]})
    with transaction.atomic():
        locked = _locked(dispute)
        locked.status = DisputeStatus.REJECTED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return locked


def _ruling(ruling: str, fraction: Decimal | None, reason: str, code: str) -> amendments.ItemRuling:
    if ruling not in Ruling.values:
        raise ValidationError({"ruling": [_("Choose pass, partial or na.")]})
    if ruling == Ruling.PARTIAL:
        if fraction is None or not Decimal(0) < fraction < Decimal(1):
            raise ValidationError(
                {"fraction": [_("For a partly met ruling, give the share of the points between 0 and 1.")]}
            )
    else:
        fraction = None
    return amendments.ItemRuling(code=code, ruling=ruling, reason=reason, fraction=fraction)


def dispute_accept(
    *,
    dispute: Dispute,
    user: Any,
    ruling: str = Ruling.PASS,
    fraction: Decimal | None = None,
    reason: str = "",
) -> Amendment:
    """HQ accepts: the item is rescored by ``ruling``, the audit's results are stored anew, and the
    amendment records the item and the audit's totals as they were. Returns the amendment.
    """
    _check_decider(dispute, user)
    reason = (reason or "").strip() or _("dispute accepted")
    item_ruling = _ruling(ruling, fraction, reason, dispute.item_code)
    with transaction.atomic():
        locked = _locked(dispute)
        audit = Audit.objects.select_for_update().select_related("brand", "framework").get(pk=locked.audit_id)
        if audit.status != AuditStatus.SUBMITTED:
            raise ValidationError({"audit": [_("The audit was voided; it counts nowhere to be amended.")]})
        original = ItemResult.objects.get(audit=audit, item_code=locked.item_code)
        sections_before = {
            code: None if score is None else str(score)
            for code, score in SectionResult.objects.filter(audit=audit).values_list("section_code", "score")
        }
        before = {
            "score_before": audit.score,
            "raw_score_before": audit.raw_score,
            "band_before": audit.band,
            "critical_failure_before": audit.critical_failure,
        }
        framework_rules = rules.framework_rules(audit.framework)
        result = audit_rescore(audit, framework_rules, (item_ruling,))
        results_write(audit=audit, result=result, framework_rules=framework_rules, replace=True)
        repeats_refresh(audit)  # an overturned finding no longer makes the next visit's a repeat
        signals.finding_ruled.send(
            Audit, audit=audit, item_code=locked.item_code, ruling=item_ruling.ruling, user=user
        )
        amended = next(item for item in result.items if item.code == locked.item_code)
        amendment = Amendment.objects.create(
            audit=audit,
            dispute=locked,
            item_id=locked.item_id,
            item_code=locked.item_code,
            ruling=item_ruling.ruling,
            fraction=item_ruling.fraction,
            reason=reason,
            original_outcome=original.outcome,
            original_earned=original.earned,
            original_possible=original.possible,
            original_reason=original.reason,
            original_critical_failed=original.critical_failed,
            original_repeat=original.repeat,
            amended_outcome=str(amended.outcome),
            amended_earned=amended.earned,
            amended_possible=amended.possible,
            score_after=audit.score,
            raw_score_after=audit.raw_score,
            band_after=audit.band,
            critical_failure_after=audit.critical_failure,
            sections_before=sections_before,
            amended_by=user,
            **before,
        )
        locked.status = DisputeStatus.ACCEPTED
        locked.decided_by = user
        locked.decided_at = amendment.amended_at
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return amendment
