"""The only code that writes feedback, its tags and customer-recovery actions.

Every way in — the CSV import, the API, the in-store survey, the demo — hands validated records to
`feedback_ingest`, so masking, hashing, tagging and recovery happen the same way whatever the
channel, and re-sending a record (same brand and external id) never stores it twice.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cx_audit.actions import rules as routing
from cx_audit.actions.services import brand_routing
from cx_audit.core.errors import StateConflict
from cx_audit.core.permissions import may
from cx_audit.voice import pii
from cx_audit.voice.choices import CLOSED_RECOVERY, RecoveryReason, RecoveryStatus
from cx_audit.voice.language import detect_language
from cx_audit.voice.metrics import is_complaint
from cx_audit.voice.models import Feedback, FeedbackTag, RecoveryAction, VoicePolicy
from cx_audit.voice.policy import lexicon_of, policy_for
from cx_audit.voice.rules import recovery_reason
from cx_audit.voice.tagging import Analysis, tagger_for
from locations.models import Brand, Location

BATCH = 2000


@dataclass(frozen=True)
class FeedbackIn:
    """One validated record, whatever way it came in (the serializers and the CSV import build it)."""

    location_id: int
    channel: str
    external_id: str
    received_at: datetime
    nps: int | None = None
    csat: int | None = None
    effort: int | None = None
    comment: str = ""
    language: str = ""  # empty: detected from the comment
    touchpoint_code: str = ""
    customer_ref: str = ""
    expectations: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestResult:
    created: int
    existing: int
    recoveries: int
    created_ids: tuple[int, ...] = ()


def customer_key(brand_id: int) -> str:
    """The key of the brand's customer hashes: derived from the secret key, never stored with them,
    so a database dump alone cannot test phone numbers against the hashes."""
    return hmac.new(settings.SECRET_KEY.encode(), f"voice-customer:{brand_id}".encode(), "sha256").hexdigest()


def feedback_ingest(*, brand: Brand, records: Sequence[FeedbackIn], source: str) -> IngestResult:
    """Store the records not stored before, with their tags and recovery actions, all or nothing.

    Two senders racing with the same external id: the loser's transaction fails on the unique
    constraint and is retried once, when the winner's rows are visible and skipped.
    """
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _ingest(brand, records, source)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _ingest(brand: Brand, records: Sequence[FeedbackIn], source: str) -> IngestResult:
    unique = _first_of_each(records)
    existing = _existing_ids(brand.pk, [record.external_id for record in unique])
    new = [record for record in unique if record.external_id not in existing]
    franchisee_of = dict(
        Location.objects.filter(pk__in={r.location_id for r in new}, brand=brand).values_list(
            "pk", "franchisee_id"
        )
    )
    if missing := {r.location_id for r in new} - franchisee_of.keys():
        raise ValidationError({"location": [f"Not a location of {brand}: {sorted(missing)[:5]}"]})
    tagger = tagger_for(lexicon_of(brand.pk))
    key = customer_key(brand.pk)
    policy = policy_for(brand.pk)
    rules = brand_routing(brand.pk)
    created: list[int] = []
    recoveries = 0
    for chunk in _chunks(new, BATCH):
        rows, analyses = [], []
        for record in chunk:
            comment = pii.mask(record.comment.strip())
            analysis = tagger.analyse(comment)
            rows.append(_feedback_row(brand, record, source, comment, analysis, key, franchisee_of))
            analyses.append(analysis)
        Feedback.objects.bulk_create(rows)
        FeedbackTag.objects.bulk_create(tag_rows(rows, analyses), batch_size=BATCH)
        recoveries += len(RecoveryAction.objects.bulk_create(_recoveries(rows, analyses, policy, rules)))
        created.extend(row.pk for row in rows)
    return IngestResult(len(new), len(records) - len(new), recoveries, tuple(created))


def _first_of_each(records: Sequence[FeedbackIn]) -> list[FeedbackIn]:
    """One record per external id: a batch that repeats one keeps the first, as a re-send would."""
    seen: dict[str, FeedbackIn] = {}
    for record in records:
        seen.setdefault(record.external_id, record)
    return list(seen.values())


def _existing_ids(brand_id: int, external_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(external_ids, BATCH):
        found |= set(
            Feedback.objects.filter(brand_id=brand_id, external_id__in=chunk).values_list(
                "external_id", flat=True
            )
        )
    return found


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _feedback_row(
    brand: Brand,
    record: FeedbackIn,
    source: str,
    comment: str,
    analysis: Analysis,
    key: str,
    franchisee_of: dict[int, int | None],
) -> Feedback:
    polarity = analysis.polarity
    return Feedback(
        brand=brand,
        location_id=record.location_id,
        franchisee_id=franchisee_of[record.location_id],
        channel=record.channel,
        source=source,
        external_id=record.external_id,
        received_at=record.received_at,
        nps=record.nps,
        csat=record.csat,
        effort=record.effort,
        comment=comment,
        language=record.language or detect_language(comment),
        touchpoint_code=record.touchpoint_code,
        expectations={code: str(value) for code, value in record.expectations.items()},
        customer_hash=pii.hash_customer(record.customer_ref, key) if record.customer_ref.strip() else "",
        sentiment=Decimal(str(round(analysis.sentiment, 2))),
        polarity=polarity,
        complaint=is_complaint(nps=record.nps, csat=record.csat, polarity=polarity),
    )


def tag_rows(rows: list[Feedback], analyses: list[Analysis]) -> Iterator[FeedbackTag]:
    for row, analysis in zip(rows, analyses, strict=True):
        for tag in analysis.tags:
            yield FeedbackTag(
                feedback=row,
                brand_id=row.brand_id,
                location_id=row.location_id,
                received_at=row.received_at,
                term=tag.term[:60],
                touchpoint_code=tag.touchpoint,
                dimension_code=tag.dimension,
                polarity=tag.polarity,
                weight=Decimal(str(round(tag.weight, 2))),
                start=tag.start,
                end=tag.end,
                matched=row.comment[tag.start : tag.end][:200],
                negated=tag.negated,
            )


def _recoveries(
    rows: list[Feedback], analyses: list[Analysis], policy: VoicePolicy, rules: list[routing.RoutingRule]
) -> Iterator[RecoveryAction]:
    """A detractor who wrote to us, or pain at a critical touchpoint, gets a call back (DESIGN §6)."""
    due = timedelta(hours=policy.recovery_hours)
    for row, analysis in zip(rows, analyses, strict=True):
        pains = [tag for tag in analysis.tags if tag.polarity < 0]
        pain_touchpoints = [tag.touchpoint for tag in pains if tag.touchpoint]
        if row.touchpoint_code and row.polarity < 0:
            pain_touchpoints.append(row.touchpoint_code)
        reason = recovery_reason(
            nps=row.nps,
            comment=row.comment,
            pain_touchpoints=pain_touchpoints,
            critical_touchpoints=policy.critical_touchpoints or (),
        )
        if reason is None:
            continue
        touchpoint = _about(reason, pain_touchpoints, policy, row)
        dimension = next((tag.dimension for tag in pains if tag.dimension), "")
        finding = routing.Finding(
            item_code="",
            section_code="",
            dimension_code=dimension or None,
            critical=reason == RecoveryReason.CRITICAL_TOUCHPOINT,
        )
        route = routing.route(finding, rules)
        yield RecoveryAction(
            brand_id=row.brand_id,
            location_id=row.location_id,
            franchisee_id=row.franchisee_id,
            feedback=row,
            reason=reason,
            touchpoint_code=touchpoint,
            dimension_code=dimension,
            department=route.department,
            routing_rule_id=route.rule_id,
            opened_at=row.received_at,
            due_at=row.received_at + due,
        )


def _about(reason: str, pain_touchpoints: list[str], policy: VoicePolicy, row: Feedback) -> str:
    if reason == RecoveryReason.CRITICAL_TOUCHPOINT:
        critical = set(policy.critical_touchpoints or ())
        return next(code for code in pain_touchpoints if code in critical)
    return row.touchpoint_code or next(iter(pain_touchpoints), "")


def recovery_close(*, action: RecoveryAction, user: Any, recovered: bool, note: str = "") -> RecoveryAction:
    """Record the call back: the customer won back or not, with what was done. Closed once."""
    if not may(user, "close", action):
        raise PermissionDenied("Only the outlet's franchisee or HQ admins may close this recovery action.")
    with transaction.atomic():
        action = RecoveryAction.objects.select_for_update().get(pk=action.pk)
        if action.status in CLOSED_RECOVERY:
            raise StateConflict(f"Already closed as {action.get_status_display().lower()}.")
        action.status = RecoveryStatus.RECOVERED if recovered else RecoveryStatus.NOT_RECOVERED
        if len(note) > 2000:
            raise ValidationError({"note": ["Keep it under 2000 characters."]})
        action.note = note.strip()
        action.closed_at = timezone.now()
        action.closed_by = user
        action.save(update_fields=["status", "note", "closed_at", "closed_by"])
    return action
