"""Services of audits: the only code that creates, fills, submits or voids an audit.

What they guarantee: a draft's answers are saved all-or-nothing and replaying a request
changes nothing; a submitted or voided audit never changes again, by any route; submission
scores and stores every result in one transaction with a fixed number of queries.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from geopy.distance import geodesic

from cx_audit.audits import adapters as rules
from cx_audit.audits import scoring, signals
from cx_audit.audits.choices import AnswerKind, AuditStatus
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.permissions import start_action
from cx_audit.audits.policy import policy_for
from cx_audit.audits.repeats import repeats_refresh
from cx_audit.audits.results import results_write
from cx_audit.core.errors import StateConflict
from cx_audit.core.history import bulk_create_tracked, bulk_update_tracked
from cx_audit.core.permissions import may
from cx_audit.core.photos import BadPhoto, fingerprint, read_photo, upload_bytes
from journeys.models import Framework
from locations.models import Location


class AuditLocked(StateConflict):
    """Raised on any attempt to change an audit that is no longer a draft."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit
        super().__init__(
            _("This audit is %(status)s and can no longer change.")
            % {"status": audit.get_status_display().lower()}
        )


class AuditIncomplete(Exception):
    """Raised by submit with exactly what is missing, item by item; nothing is lost."""

    def __init__(self, missing: list[tuple[str, str]]) -> None:
        self.missing = missing
        super().__init__(_("%(count)d items are not complete.") % {"count": len(missing)})


class AnswerConflict(Exception):
    """Raised when answers changed on the server since the client last saw them (another device).

    ``conflicts`` holds the server's current answer of each such item; nothing was saved.
    """

    def __init__(self, conflicts: list[Answer]) -> None:
        self.conflicts = conflicts
        codes = ", ".join(answer.item.code for answer in conflicts)
        super().__init__(
            _("These items were changed on another device since you last synced: %(codes)s.")
            % {"codes": codes}
        )


@dataclass(frozen=True)
class AnswerInput:
    """One answer as a client sends it, keyed by item code."""

    item: str
    kind: str = AnswerKind.VALUE
    yes: bool | None = None
    number: Decimal | None = None
    list_price: Decimal | None = None
    text: str = ""
    comment: str = ""
    base_revision: int | None = None  # the server revision the client last saw; None: no check

    def as_scoring(self) -> scoring.Answer:
        return scoring.Answer(
            kind=scoring.AnswerKind(self.kind),
            yes=self.yes,
            number=self.number,
            list_price=self.list_price,
            text=self.text,
        )


VALUE_FIELDS = ("kind", "yes", "number", "list_price", "text", "comment")


def _locked(audit: Audit) -> Audit:
    """Re-read the audit under a row lock: concurrent changes to one audit wait for each other."""
    return Audit.objects.select_for_update().select_related("location__brand", "brand").get(pk=audit.pk)


def _draft(locked: Audit) -> Audit:
    """Refuse to go on unless the (locked) audit is still a draft."""
    if locked.status != AuditStatus.DRAFT:
        raise AuditLocked(locked)
    return locked


def _lock(audit: Audit) -> Audit:
    """Re-read the audit under a row lock and refuse to go on unless it is still a draft."""
    return _draft(_locked(audit))


def checkin_distance_m(location: Location, latitude: Decimal | None, longitude: Decimal | None) -> int | None:
    """Geodesic distance from the tablet to the store, when both positions are known."""
    if latitude is None or longitude is None or not location.has_coordinates:
        return None
    return round(geodesic((latitude, longitude), (location.latitude, location.longitude)).meters)


def audit_create(
    *,
    location: Location,
    user: Any,
    kind: str,
    client_id: uuid_module.UUID | None = None,
    checkin_latitude: Decimal | None = None,
    checkin_longitude: Decimal | None = None,
    framework: Framework | None = None,
) -> tuple[Audit, bool]:
    """Start a draft against the brand's current framework; replaying the same client id returns it.

    Returns the audit and whether it was created now. ``framework`` is the version the tablet
    started with (default: the current one).
    """
    if client_id is not None:
        existing = Audit.objects.filter(uuid=client_id).first()
        if existing is not None:
            if existing.location_id != location.pk or existing.auditor_id != user.pk:
                raise ValidationError({"uuid": _("This client id already belongs to another audit.")})
            return existing, False
    if not may(user, start_action(kind), location):
        raise PermissionDenied(_("You may not start this kind of audit at this location."))
    framework = framework or Framework.objects.current().filter(brand_id=location.brand_id).first()
    if framework is None:
        raise ValidationError({"location": _("The brand has no published framework to audit against.")})
    if framework.brand_id != location.brand_id or framework.is_draft:
        # A tablet that started offline may name the version it started with, even if HQ has
        # published a newer one since; never a draft, never another brand's.
        raise ValidationError(
            {"framework": _("Audit against a published version of this brand's framework.")}
        )
    distance = checkin_distance_m(location, checkin_latitude, checkin_longitude)
    audit = Audit(
        uuid=client_id or uuid_module.uuid4(),
        brand_id=location.brand_id,
        location=location,
        framework=framework,
        auditor=user,
        kind=kind,
        checkin_latitude=checkin_latitude,
        checkin_longitude=checkin_longitude,
        checkin_distance_m=distance,
        outside_geofence=distance is not None and distance > location.brand.geofence_m,
    )
    try:
        with transaction.atomic():
            audit.save()
    except IntegrityError:  # the same client id raced in from a second request
        return Audit.objects.get(uuid=audit.uuid), False
    return audit, True


def _check_answers(audit: Audit, answers: Sequence[AnswerInput]) -> dict[str, Any]:
    """The items of the answers by code, or ValidationError naming each bad answer by item code."""
    framework_rules = rules.framework_rules(audit.framework)
    rules_by_code = {rule.code: rule for rule in framework_rules.items}
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for answer in answers:
        rule = rules_by_code.get(answer.item)
        if rule is None:
            errors.setdefault(answer.item, []).append(_("No item with this code in the audit's framework."))
            continue
        if answer.item in seen:
            errors.setdefault(answer.item, []).append(_("This item is answered twice in one request."))
        seen.add(answer.item)
        if answer.kind not in AnswerKind.values:
            errors.setdefault(answer.item, []).append(_("kind: one of value, na, cannot_check."))
            continue
        issue = scoring.answer_issue(rule, answer.as_scoring())
        if issue:
            field, message = issue
            errors.setdefault(answer.item, []).append(f"{field}: {message}")
    if errors:
        raise ValidationError(
            {"answers": [f"{code}: {' '.join(messages)}" for code, messages in errors.items()]}
        )
    return dict(framework_rules.item_rows)


def answers_upsert(*, audit: Audit, user: Any, answers: Sequence[AnswerInput]) -> list[Answer]:
    """Save answers by item code, all or none; the same request twice leaves the same rows."""
    with transaction.atomic():
        try:
            audit = _lock(audit)
        except AuditLocked:
            if _already_stored(audit, answers):
                return []  # a sync replayed after submission: the same result, nothing changes
            raise
        if not may(user, "edit", audit):
            raise PermissionDenied(_("Only the auditor of this draft or an HQ admin may change it."))
        items = _check_answers(audit, answers)
        existing = {
            a.item_id: a
            for a in Answer.objects.filter(
                audit=audit, item__code__in=[a.item for a in answers]
            ).select_related("item")
        }
        created, changed, conflicts = [], [], []
        for given in answers:
            item = items[given.item]
            row = existing.get(item.pk) or Answer(audit=audit, item=item, revision=0)
            values = {name: getattr(given, name) for name in VALUE_FIELDS}
            if row.pk is not None and all(_same(getattr(row, name), value) for name, value in values.items()):
                continue  # a replay, or both devices agree: nothing to do
            if row.pk is not None and given.base_revision is not None and given.base_revision < row.revision:
                conflicts.append(row)
                continue
            (created if row.pk is None else changed).append(_assign(row, values, user))
        if conflicts:
            raise AnswerConflict(conflicts)
        # In bulk, each with its history row naming the user (finding 10).
        fields = [*VALUE_FIELDS, "revision", "updated_at", "updated_by"]
        bulk_create_tracked(Answer, created, user=user, brand_id=audit.brand_id)
        bulk_update_tracked(Answer, changed, fields, user=user, brand_id=audit.brand_id)
        return [*created, *changed]


def _already_stored(audit: Audit, answers: Sequence[AnswerInput]) -> bool:
    """Every given answer is exactly what the audit holds (a replay, not a change)."""
    stored = {a.item.code: a for a in Answer.objects.filter(audit=audit).select_related("item")}
    return all(
        given.item in stored
        and all(_same(getattr(stored[given.item], name), getattr(given, name)) for name in VALUE_FIELDS)
        for given in answers
    )


def _same(stored: Any, given: Any) -> bool:
    """Stored and given values agree (2 == Decimal("2.00"); None and "" are not the same answer)."""
    if isinstance(stored, Decimal) or isinstance(given, Decimal):
        return stored is not None and given is not None and Decimal(stored) == Decimal(given)
    return stored == given


def _assign(row: Answer, values: dict[str, Any], user: Any) -> Answer:
    for name, value in values.items():
        setattr(row, name, value)
    row.revision += 1
    row.updated_at = timezone.now()
    row.updated_by = user if getattr(user, "is_authenticated", False) else None
    return row


def evidence_add(*, audit: Audit, user: Any, item_code: str, upload: Any) -> tuple[Evidence, bool]:
    """Attach a checked photo to the answer of an item; the same photo twice is stored once.

    The bytes are fingerprinted before anything is decoded: a photo the item already holds (the
    tablet's outbox replays uploads) is answered from the database without decoding it again."""
    content = _photo_checked(upload_bytes, upload)
    sha256 = fingerprint(content)
    stored = Evidence.objects.filter(answer__audit=audit, answer__item__code=item_code, sha256=sha256)
    photo = None if stored.exists() else _photo_checked(read_photo, content)
    with transaction.atomic():
        try:
            audit = _lock(audit)
        except AuditLocked:
            replayed = Evidence.objects.filter(
                answer__audit=audit, answer__item__code=item_code, sha256=sha256
            ).first()
            if replayed is not None:
                return replayed, False  # a sync replayed after submission
            raise
        if not may(user, "edit", audit):
            raise PermissionDenied(_("Only the auditor of this draft or an HQ admin may change it."))
        item = audit.framework.items.filter(code=item_code).first()
        if item is None:
            raise ValidationError({"item": [_("No item with this code in the audit's framework.")]})
        # A photo may come before its answer: the placeholder is revision 0, "never answered".
        answer, _created = Answer.objects.get_or_create(audit=audit, item=item, defaults={"revision": 0})
        found = Evidence.objects.filter(answer=answer, sha256=sha256).first()
        if found is not None:
            return found, False
        if photo is None:  # it was stored a moment ago and has been removed since
            photo = _photo_checked(read_photo, content)
        evidence = Evidence(
            answer=answer,
            size=photo.size,
            content_type=photo.content_type,
            sha256=photo.sha256,
            width=photo.width,
            height=photo.height,
            uploaded_by=user,
        )
        evidence.file.save(f"{photo.sha256}", ContentFile(photo.content), save=False)
        evidence.display_file.save(f"{photo.sha256}-display.jpg", ContentFile(photo.display), save=False)
        evidence.save()
        return evidence, True


def _photo_checked(check: Callable[[Any], Any], upload: Any) -> Any:
    """``check(upload)``, a refused photo answering 400 on the field ``file``."""
    try:
        return check(upload)
    except BadPhoto as error:
        raise ValidationError({"file": [str(error)]}) from error


def answer_clear(*, audit: Audit, user: Any, item_code: str) -> None:
    """Take back an answer (the item is unanswered again); its photos stay. Clearing twice is harmless."""
    empty = {
        "kind": AnswerKind.VALUE,
        "yes": None,
        "number": None,
        "list_price": None,
        "text": "",
        "comment": "",
    }
    with transaction.atomic():
        if not audit.framework.items.filter(code=item_code).exists():
            raise ValidationError({"item": [_("No item with this code in the audit's framework.")]})
        row = Answer.objects.filter(audit=audit, item__code=item_code).first()
        already_clear = row is None or all(_same(getattr(row, name), value) for name, value in empty.items())
        try:
            audit = _lock(audit)
        except AuditLocked:
            if already_clear:
                return  # a replay after submission: nothing to take back
            raise
        if not may(user, "edit", audit):
            raise PermissionDenied(_("Only the auditor of this draft or an HQ admin may change it."))
        if not already_clear:
            _assign(row, empty, user).save()


def evidence_remove(*, audit: Audit, user: Any, evidence_id: int) -> None:
    """Remove a photo from a draft, file and all; removing it twice is harmless."""
    with transaction.atomic():
        evidence = Evidence.objects.filter(answer__audit=audit, pk=evidence_id).first()
        try:
            audit = _lock(audit)
        except AuditLocked:
            if evidence is None:
                return  # a replay after submission: the photo is already gone
            raise
        if not may(user, "edit", audit):
            raise PermissionDenied(_("Only the auditor of this draft or an HQ admin may change it."))
        if evidence is None:
            return
        files = [evidence.file, evidence.display_file]
        evidence.delete()
        # After the commit, so a rolled-back removal never loses the file.
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if f])


def _is_replay(audit: Audit, user: Any) -> bool:
    """A submit of an audit its own auditor already submitted: the tablet resending a submit whose
    answer it never got. Read under the row lock, so a replay racing the first submit waits for it
    and then answers the same, instead of a 409 (issue 12, finding 4)."""
    return audit.status == AuditStatus.SUBMITTED and audit.auditor_id == getattr(user, "pk", None)


def audit_submit(*, audit: Audit, user: Any, submitted_at: datetime | None = None) -> Audit:
    """Check completeness, then score, store every result and freeze the audit, in one transaction.

    Idempotent for the audit's own auditor: submitting an audit they already submitted returns it
    unchanged (the same score), whenever the replay arrives; anyone else gets AuditLocked (409).
    Raises AuditIncomplete listing each missing item; the answers saved so far stay as they are.
    ``submitted_at`` records when the auditor submitted, if not now (a visit synced later, or a
    historical audit loaded by the demo); it orders the location's audits for repeat findings.
    """
    with transaction.atomic():
        locked = _locked(audit)
        if _is_replay(locked, user):
            return locked
        audit = _draft(locked)
        if not may(user, "edit", audit):
            raise PermissionDenied(_("Only the auditor of this draft or an HQ admin may submit it."))
        framework_rules = rules.framework_rules(audit.framework)
        answers = rules.audit_answers(audit)
        location = audit.location
        missing = scoring.missing_answers(
            outlet_type=location.outlet_type, items=framework_rules.items, answers=answers
        )
        if missing:
            raise AuditIncomplete(missing)
        audit.submitted_at = submitted_at or timezone.now()
        result = scoring.score_audit(
            outlet_type=location.outlet_type,
            items=framework_rules.items,
            answers=answers,
            sections=framework_rules.sections,
            dimensions=framework_rules.dimensions,
            policy=policy_for(location.brand),
            previous_failures=rules.previous_failures(audit),
        )
        audit.status = AuditStatus.SUBMITTED
        audit.outlet_type = location.outlet_type
        audit.franchisee_id = location.franchisee_id
        audit.region_id = location.region_id
        audit.city_tier = location.city_tier
        results_write(audit=audit, result=result, framework_rules=framework_rules)
        repeats_refresh(audit)  # a visit synced late may fall before one already submitted
        signals.audit_submitted.send(Audit, audit=audit)  # corrective actions follow (DESIGN §5)
        return audit


def audit_void(*, audit: Audit, user: Any, reason: str) -> Audit:
    """HQ takes a submitted audit out of every score and ranking, with a reason that stays."""
    if not may(user, "void", audit):
        raise PermissionDenied(_("Only HQ admins of the brand may void an audit."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the audit is voided.")]})
    with transaction.atomic():
        locked = Audit.objects.select_for_update().get(pk=audit.pk)
        if locked.status == AuditStatus.VOIDED:
            raise AuditLocked(locked)
        if locked.status != AuditStatus.SUBMITTED:
            raise ValidationError(
                {"status": [_("Only a submitted audit can be voided; a draft can simply be abandoned.")]}
            )
        locked.status = AuditStatus.VOIDED
        locked.voided_at = timezone.now()
        locked.voided_by = user
        locked.void_reason = reason.strip()
        locked.save(update_fields=["status", "voided_at", "voided_by", "void_reason", "updated_at"])
        repeats_refresh(locked)  # the next visit now repeats the one before this
        signals.audit_voided.send(Audit, audit=locked, user=user, reason=locked.void_reason)
        return locked
