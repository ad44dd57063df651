"""Corrective actions (DESIGN §5): what a failed finding obliges the store to fix, by when, and the
record of how it was fixed.

`cx_audit.actions.services` is the only code that writes these rows: submitting an audit opens an
action for each failed or partly met finding (routed by the brand's `RoutingRule`s, due by its
`ActionPolicy`), updates the live one when the finding repeats, and verifies it when a later audit
passes the item; voiding the audit or overturning the finding on dispute cancels it. The franchisee
(or HQ) answers with a note and a photo; HQ accepts or sends it back. Every step is an `ActionEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cx_audit.actions.querysets import (
    ActionEventQuerySet,
    ActionPolicyQuerySet,
    CorrectiveActionQuerySet,
    RoutingRuleQuerySet,
)
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult
from cx_audit.core.history import TrackedHistory
from journeys.models import Item
from locations.models import Brand, Franchisee, Location


class Department(models.TextChoices):
    """Who owns the fix."""

    STORE_MANAGER = "store_manager", _("Store manager")
    FRANCHISE_DEVELOPMENT = "franchise_development", _("Franchise development")
    SUPPLY_CHAIN_QUALITY = "supply_chain_quality", _("Supply-chain quality team")
    PRICING = "pricing", _("Pricing and channel team")
    FACILITIES = "facilities", _("Facilities")
    TRAINING = "training", _("Retail training")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    BRAND_MARKETING = "brand_marketing", _("Brand marketing")


class Severity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    REPEAT = "repeat", _("Repeat")
    CRITICAL = "critical", _("Critical")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted")
    VERIFIED = "verified", _("Verified")
    CANCELLED = "cancelled", _("Cancelled")


# Live: the finding is not yet known to be fixed. Accepted is closed for the store but waits for
# the next audit to verify it; failing again there reopens it rather than opening a second one.
LIVE_STATUSES = (ActionStatus.OPEN, ActionStatus.ANSWERED, ActionStatus.ACCEPTED)


class RoutingRule(models.Model):
    """Send a brand's matching findings to a department. A rule names at most one of item code,
    dimension, section or severity; one naming none is the brand's default. The most specific
    matching rule wins (`cx_audit.actions.rules.route`)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="routing_rules")
    item_code = models.CharField(_("item code"), max_length=40, blank=True)
    dimension_code = models.CharField(_("dimension code"), max_length=40, blank=True)
    section_code = models.CharField(_("section code"), max_length=40, blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, blank=True)
    department = models.CharField(_("department"), max_length=40, choices=Department.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RoutingRuleQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        ordering = ["brand", "item_code", "dimension_code", "section_code", "severity", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "item_code", "dimension_code", "section_code", "severity"],
                name="%(app_label)s_%(class)s_one_per_scope",
                violation_error_message=_("The brand already has a rule for exactly this scope."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(dimension_code="", section_code="", severity="")
                    | Q(item_code="", section_code="", severity="")
                    | Q(item_code="", dimension_code="", severity="")
                    | Q(item_code="", dimension_code="", section_code="")
                ),
                name="%(app_label)s_%(class)s_one_scope",
                violation_error_message=_("Name at most one of item code, dimension, section or severity."),
            ),
            models.CheckConstraint(
                condition=Q(department__in=Department.values), name="%(app_label)s_%(class)s_department_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity="") | Q(severity__in=Severity.values),
                name="%(app_label)s_%(class)s_severity_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_label} → {self.get_department_display()}"

    @property
    def scope_label(self) -> str:
        if self.item_code:
            return _("item %(code)s") % {"code": self.item_code}
        if self.dimension_code:
            return _("dimension %(code)s") % {"code": self.dimension_code}
        if self.section_code:
            return _("section %(code)s") % {"code": self.section_code}
        if self.severity:
            return _("%(severity)s findings") % {"severity": self.get_severity_display().lower()}
        return str(_("brand default"))


class ActionPolicy(models.Model):
    """A brand's days to fix a finding, by severity, and the grace before an overdue one escalates.
    A brand without one uses the defaults (`cx_audit.actions.rules.DEFAULT_DEADLINES`)."""

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="action_policy")
    critical_days = models.PositiveSmallIntegerField(
        _("days to fix a critical finding"), default=3, validators=[MaxValueValidator(365)]
    )
    repeat_days = models.PositiveSmallIntegerField(
        _("days to fix a repeat finding"), default=7, validators=[MaxValueValidator(365)]
    )
    normal_days = models.PositiveSmallIntegerField(
        _("days to fix other findings"), default=14, validators=[MaxValueValidator(365)]
    )
    escalation_grace_days = models.PositiveSmallIntegerField(
        _("days overdue before escalating"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
    )

    objects = ActionPolicyQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        verbose_name_plural = _("action policies")

    def __str__(self) -> str:
        return f"{self.brand}: {self.critical_days}/{self.repeat_days}/{self.normal_days} days"


class CorrectiveAction(models.Model):
    """One failed finding to fix at one location, from the audit that found it until it is verified
    fixed or cancelled. At most one live action per location and item code: a repeat finding
    updates it. The finding (question, reason, critical) is copied, so rescoring never loses it."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="corrective_actions")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="corrective_actions")
    franchisee = models.ForeignKey(
        Franchisee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        help_text=_("Who ran the store when the finding was made (the audit's snapshot)."),
    )
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="corrective_actions")
    item_result = models.ForeignKey(
        ItemResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="corrective_actions"
    )
    last_audit = models.ForeignKey(
        Audit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The latest audit that found the item failing."),
    )
    verified_by = models.ForeignKey(Audit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="corrective_actions")
    item_code = models.CharField(_("item code"), max_length=40)
    section_code = models.CharField(_("section"), max_length=40)
    dimension_code = models.CharField(_("dimension"), max_length=40, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20)
    reason = models.TextField(_("why it failed"))
    critical = models.BooleanField(_("critical"), default=False)
    repeat = models.BooleanField(_("repeat finding"), default=False)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    department = models.CharField(_("department"), max_length=40, choices=Department.choices)
    routing_rule = models.ForeignKey(
        RoutingRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    opened_at = models.DateTimeField(
        _("found at"), help_text=_("When the audit that found it was submitted.")
    )
    last_found_at = models.DateTimeField(
        _("last found failing"), help_text=_("When the latest audit that found it failing was submitted.")
    )
    due_date = models.DateField(_("due"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["brand", "status", "due_date"]),
            models.Index(fields=["location", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "item_code"],
                condition=Q(status__in=LIVE_STATUSES),
                name="%(app_label)s_%(class)s_one_live_per_item",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="%(app_label)s_%(class)s_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(department__in=Department.values),
                name="%(app_label)s_%(class)s_department_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=LIVE_STATUSES) | Q(closed_at__isnull=False),
                name="%(app_label)s_%(class)s_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.VERIFIED) | Q(verified_by__isnull=False),
                name="%(app_label)s_%(class)s_verified_by_audit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location.code if self.location_id else '?'} · {self.item_code}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def waiting_on_store(self) -> bool:
        """Open (new or sent back): the store owes an answer."""
        return self.status == ActionStatus.OPEN


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened by the audit")
    REPEATED = "repeated", _("Failed again")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted by HQ")
    SENT_BACK = "sent_back", _("Sent back by HQ")
    VERIFIED = "verified", _("Verified by an audit")
    ESCALATED = "escalated", _("Escalated: overdue")
    CANCELLED = "cancelled", _("Cancelled")


def action_photo_path(instance: ActionEvent, filename: str) -> str:
    """Content-addressed under the action, so the same photo sent twice is one file."""
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        instance.photo_content_type, "bin"
    )
    return f"actions/{instance.action_id}/{instance.photo_sha256}.{extension}"


class ActionEvent(models.Model):
    """One step in an action's history: who (None: the system, from an audit), when, what, why."""

    brand_path = "action__brand_id"

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    audit = models.ForeignKey(Audit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(_("photo"), upload_to=action_photo_path, max_length=200, blank=True)
    photo_size = models.PositiveIntegerField(_("photo size (bytes)"), null=True, blank=True)
    photo_content_type = models.CharField(max_length=60, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)

    objects = ActionEventQuerySet.as_manager()

    class Meta:
        ordering = ["action", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="%(app_label)s_%(class)s_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(photo="") | (Q(photo_size__isnull=False) & ~Q(photo_sha256="")),
                name="%(app_label)s_%(class)s_photo_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.kind} at {self.at:%Y-%m-%d %H:%M}"
