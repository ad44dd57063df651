"""Customer feedback and what the brand configures about it (DESIGN §6).

`cx_audit.voice.services` is the only code that writes `Feedback`, its tags and recovery actions:
it masks phone numbers and e-mail addresses in the comment before anything is stored, keeps only a
keyed hash of the customer reference, tags the text with the brand's lexicon and opens a recovery
action when the rules say so. Re-sending a record (same brand, same external id) never duplicates it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.actions.models import Department
from cx_audit.core.history import TrackedHistory
from cx_audit.voice.choices import (
    PAIN_OR_PLEASURE,
    FeedbackChannel,
    FeedbackSource,
    Language,
    Polarity,
    RecoveryReason,
    RecoveryStatus,
)
from cx_audit.voice.querysets import (
    FeedbackQuerySet,
    FeedbackTagQuerySet,
    HqOnlyQuerySet,
    RecoveryActionQuerySet,
)
from locations.models import Brand, Franchisee, Location


def _share(default: str, label: str, help_text: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=4,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=help_text,
    )


class VoicePolicy(models.Model):
    """A brand's settings for the customer's voice: the revenue-at-risk funnel, recovery and early
    warning. A brand without a row uses the defaults (DESIGN §6), via `policy_for`."""

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="voice_policy")
    complaint_rate = _share("0.02", _("complaint rate"), _("Share of unhappy customers who complain."))
    complainer_retained = _share("0.38", _("complainers retained"), _("Of complainers, the share kept."))
    complainer_at_risk = _share("0.34", _("complainers at risk"), _("Of complainers, the share at risk."))
    complainer_lost = _share("0.28", _("complainers lost"), _("Of complainers, the share lost."))
    silent_at_risk = _share("0.55", _("silent at risk"), _("Of silent unhappy customers, the share at risk."))
    silent_lost = _share("0.45", _("silent lost"), _("Of silent unhappy customers, the share lost."))
    negative_share = models.DecimalField(
        _("negative-experience share"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Leave empty to use each location's detractor share."),
    )
    recovery_hours = models.PositiveSmallIntegerField(
        _("hours to recover a customer"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    critical_touchpoints = models.JSONField(
        _("critical touchpoints"),
        default=list,
        blank=True,
        help_text=_("Touchpoint codes where any pain point opens a customer-recovery action."),
    )
    warning_nps_drop = models.DecimalField(
        _("early warning: NPS drop (points)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("15"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("200"))],
    )
    warning_complaint_rise = models.DecimalField(
        _("early warning: complaint rise"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("0.5: weekly complaints half again above the baseline's."),
    )
    warning_min_sample = models.PositiveSmallIntegerField(_("early warning: minimum sample"), default=20)
    warning_window_days = models.PositiveSmallIntegerField(
        _("early warning: recent window (days)"), default=28, validators=[MinValueValidator(7)]
    )
    warning_baseline_weeks = models.PositiveSmallIntegerField(
        _("early warning: baseline (weeks)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )

    objects = HqOnlyQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        verbose_name_plural = _("voice policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(complainer_retained__gte=0, complainer_at_risk__gte=0, complainer_lost__gte=0),
                name="%(app_label)s_%(class)s_shares_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Voice policy of {self.brand}"

    def clean(self) -> None:
        """Refuse shares that make no funnel: revenue at risk would refuse them on every page."""
        from cx_audit.voice.policy import funnel_of

        if problems := funnel_of(self).errors():
            raise ValidationError({"complainer_retained": list(problems)})
        unknown = [code for code in self.critical_touchpoints or () if not isinstance(code, str) or not code]
        if not isinstance(self.critical_touchpoints, list) or unknown:
            raise ValidationError({"critical_touchpoints": ["Give a list of touchpoint codes."]})


class LexiconTerm(models.Model):
    """A term customers use, what it is about and whether it hurts (DESIGN §6, text analysis)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="lexicon_terms")
    text = models.CharField(_("term"), max_length=60)
    polarity = models.SmallIntegerField(
        _("pain or pleasure"),
        choices=[
            (Polarity.PAIN, _("Pain")),
            (Polarity.NEUTRAL, _("Aspect (names where, no feeling)")),
            (Polarity.PLEASURE, _("Pleasure")),
        ],
        help_text=_(
            "An aspect (0) names a place or thing (收银台, “service desk”): it tells the feeling "
            "words beside it where they apply."
        ),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))],
    )
    touchpoint_code = models.CharField(_("touchpoint"), max_length=40, blank=True)
    dimension_code = models.CharField(_("dimension"), max_length=40, blank=True)

    objects = HqOnlyQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        ordering = ["brand", "text"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "text"], name="%(app_label)s_%(class)s_unique_text"),
            models.CheckConstraint(
                condition=Q(polarity__in=(-1, 0, 1)), name="%(app_label)s_%(class)s_polarity"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Feedback(models.Model):
    """One customer's say about one location, from one channel. Never holds personal data in clear."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="feedback")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="feedback")
    franchisee = models.ForeignKey(
        Franchisee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        help_text=_("Who ran the store when the customer spoke."),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=FeedbackChannel.choices)
    source = models.CharField(_("source"), max_length=10, choices=FeedbackSource.choices)
    external_id = models.CharField(_("external id"), max_length=120)
    received_at = models.DateTimeField(_("received at"), db_index=False)
    nps = models.PositiveSmallIntegerField(
        _("likelihood to recommend (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    csat = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    effort = models.PositiveSmallIntegerField(
        _("effort (1–7)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    comment = models.TextField(_("comment"), blank=True, help_text=_("Phone numbers and e-mails masked."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ZH)
    touchpoint_code = models.CharField(_("touchpoint"), max_length=40, blank=True)
    expectations = models.JSONField(
        _("expectations"),
        default=dict,
        blank=True,
        help_text=_("What the customer expected per dimension, 0–10."),
    )
    customer_hash = models.CharField(_("customer (hashed)"), max_length=64, blank=True)
    sentiment = models.DecimalField(_("sentiment"), max_digits=7, decimal_places=2, default=Decimal("0"))
    polarity = models.SmallIntegerField(_("polarity"), choices=Polarity.choices, default=Polarity.NEUTRAL)
    complaint = models.BooleanField(_("complaint"), default=False)
    created_at = models.DateTimeField(_("stored at"), default=timezone.now)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name_plural = _("feedback")
        indexes = [
            models.Index(fields=["brand", "received_at"]),
            models.Index(fields=["location", "received_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "external_id"], name="%(app_label)s_%(class)s_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__lte=10), name="%(app_label)s_%(class)s_nps"
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5),
                name="%(app_label)s_%(class)s_csat",
            ),
            models.CheckConstraint(
                condition=Q(effort__isnull=True) | Q(effort__gte=1, effort__lte=7),
                name="%(app_label)s_%(class)s_effort",
            ),
            models.CheckConstraint(
                condition=Q(polarity__in=(-1, 0, 1)), name="%(app_label)s_%(class)s_polarity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.received_at:%Y-%m-%d} ({self.get_channel_display()})"


class FeedbackTag(models.Model):
    """What one comment said about one touchpoint or dimension, and the words that said it.

    Brand, location and time are copied from the feedback so the pain-point rankings aggregate
    the tags alone, without joining a million feedback rows.
    """

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="tags")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField()
    term = models.CharField(_("term"), max_length=60)
    touchpoint_code = models.CharField(_("touchpoint"), max_length=40, blank=True)
    dimension_code = models.CharField(_("dimension"), max_length=40, blank=True)
    polarity = models.SmallIntegerField(_("polarity"), choices=PAIN_OR_PLEASURE)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    start = models.PositiveIntegerField(_("from character"))
    end = models.PositiveIntegerField(_("to character"))
    matched = models.CharField(_("matched words"), max_length=200)
    negated = models.BooleanField(_("negated"), default=False)

    objects = FeedbackTagQuerySet.as_manager()

    class Meta:
        ordering = ["feedback", "start"]
        indexes = [
            models.Index(fields=["brand", "received_at"]),
            models.Index(fields=["location", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="%(app_label)s_%(class)s_span"
            ),
            models.CheckConstraint(
                condition=Q(polarity__in=(-1, 1)), name="%(app_label)s_%(class)s_polarity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.polarity:+d})"


class SurveyLink(models.Model):
    """The in-store survey link of one location. The QR code carries a signed (location, version);
    revoking bumps nothing but the flag, re-issuing bumps the version, so every printed old code dies."""

    brand_path = "location__brand_id"

    location = models.OneToOneField(Location, on_delete=models.CASCADE, related_name="survey_link")
    version = models.PositiveIntegerField(_("version"), default=1)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = HqOnlyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Survey link of {self.location} (v{self.version})"


class RecoveryAction(models.Model):
    """Getting back to an unhappy customer: opened from feedback, routed like audit actions (§5)."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="recovery_actions")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="recovery_actions")
    franchisee = models.ForeignKey(
        Franchisee, on_delete=models.PROTECT, null=True, blank=True, related_name="recovery_actions"
    )
    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="recovery")
    reason = models.CharField(_("why"), max_length=20, choices=RecoveryReason.choices)
    touchpoint_code = models.CharField(_("touchpoint"), max_length=40, blank=True)
    dimension_code = models.CharField(_("dimension"), max_length=40, blank=True)
    department = models.CharField(_("department"), max_length=40, choices=Department.choices)
    routing_rule_id = models.PositiveIntegerField(_("routing rule"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    objects = RecoveryActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["brand", "status", "due_at"]),
            models.Index(fields=["location", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecoveryStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=RecoveryStatus.OPEN, closed_at__isnull=True)
                | (~Q(status=RecoveryStatus.OPEN) & Q(closed_at__isnull=False)),
                name="%(app_label)s_%(class)s_closed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"Recover {self.feedback}"

    @property
    def overdue(self) -> bool:
        return self.status == RecoveryStatus.OPEN and self.due_at < timezone.now()
