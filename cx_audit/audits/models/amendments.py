"""Amendments: HQ's recorded rescoring of one item of an audit, which a recompute applies again.

The audit owns its amendments (a rescore reads them like its answers); the dispute that led to
one is referred to by name, so audits do not depend on disputes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.audits.choices import Outcome
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import POINTS
from cx_audit.audits.querysets import AuditPartQuerySet
from journeys.models import Item


class Ruling(models.TextChoices):
    """What HQ makes of a disputed item when it accepts the dispute."""

    PASS = "pass", _("Passed: full points")
    PARTIAL = "partial", _("Partly met: a share of the points")
    STRUCK = "na", _("Struck out: not counted")


class Amendment(models.Model):
    """The recorded rescoring of one item after HQ accepted a dispute: before, after, who and when.

    The audit's stored results hold the amended figures; this row keeps the item as the audit had
    it before (``original_*``) and the audit's totals before and after, so nothing is lost and a
    recompute applies the same ruling again.
    """

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="amendments")
    dispute = models.OneToOneField("cx_audit.Dispute", on_delete=models.PROTECT, related_name="amendment")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    item_code = models.CharField(max_length=40)
    ruling = models.CharField(_("ruling"), max_length=20, choices=Ruling.choices)
    fraction = models.DecimalField(
        _("share of the points"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For a partly met ruling: between 0 and 1."),
    )
    reason = models.TextField(_("reason"))
    original_outcome = models.CharField(max_length=20)
    original_earned = models.DecimalField(**POINTS)
    original_possible = models.DecimalField(**POINTS)
    original_reason = models.TextField()
    original_critical_failed = models.BooleanField(default=False)
    original_repeat = models.BooleanField(default=False)
    amended_outcome = models.CharField(max_length=20)
    amended_earned = models.DecimalField(**POINTS)
    amended_possible = models.DecimalField(**POINTS)
    score_before = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    raw_score_before = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    band_before = models.CharField(max_length=60, blank=True)
    critical_failure_before = models.BooleanField(default=False)
    score_after = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    raw_score_after = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    band_after = models.CharField(max_length=60, blank=True)
    critical_failure_after = models.BooleanField(default=False)
    sections_before = models.JSONField(default=dict, blank=True, help_text=_("Section code → score."))
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(_("amended at"), default=timezone.now)

    objects = AuditPartQuerySet.as_manager()
    audit_path = "audit"

    class Meta:
        ordering = ["audit", "amended_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "item"], name="%(app_label)s_%(class)s_one_per_item"),
            models.CheckConstraint(
                condition=Q(ruling__in=Ruling.values), name="%(app_label)s_%(class)s_ruling_valid"
            ),
            models.CheckConstraint(
                condition=Q(fraction__isnull=True) | Q(fraction__gte=0, fraction__lte=1),
                name="%(app_label)s_%(class)s_fraction_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audit_id}/{self.item_code}: {self.original_outcome} → {self.amended_outcome}"

    @property
    def original_outcome_label(self) -> str:
        return str(Outcome(self.original_outcome).label)

    @property
    def amended_outcome_label(self) -> str:
        return str(Outcome(self.amended_outcome).label)
