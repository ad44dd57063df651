"""What a submitted audit came to: per item, per section and per dimension, with reasons.

Written only by `audit_submit` (and by `recompute_scores --apply`, which reports every change);
rankings read these rows with plain SQL. Codes are stored beside the foreign keys so results
line up across framework versions (an item keeps its code when a new version copies it).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cx_audit.audits.choices import FAILED_OUTCOMES, Outcome
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.querysets import AuditPartQuerySet
from journeys.models import Dimension, Item, Section

POINTS = {"max_digits": 12, "decimal_places": 4}


class ItemResult(models.Model):
    """One item's points and the reason for them."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="item_results")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="results")
    item_code = models.CharField(max_length=40)
    section_code = models.CharField(max_length=40)
    dimension_code = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    earned = models.DecimalField(**POINTS)
    possible = models.DecimalField(**POINTS)
    fraction = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    reason = models.TextField()
    matched_required = models.JSONField(default=list, blank=True)
    matched_forbidden = models.JSONField(default=list, blank=True)
    critical_failed = models.BooleanField(default=False)
    repeat = models.BooleanField(_("repeat finding"), default=False)

    objects = AuditPartQuerySet.as_manager()
    audit_path = "audit"

    class Meta:
        ordering = ["audit", "pk"]
        indexes = [models.Index(fields=["item_code", "outcome"])]
        constraints = [
            models.UniqueConstraint(fields=["audit", "item"], name="%(app_label)s_%(class)s_one_per_item"),
            models.CheckConstraint(
                condition=Q(earned__gte=0) & Q(earned__lte=models.F("possible")),
                name="%(app_label)s_%(class)s_earned_within_possible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.outcome}"

    @property
    def failed(self) -> bool:
        return self.outcome in FAILED_OUTCOMES


class SectionResult(models.Model):
    """A section's score (None when nothing in it applied) and its tallies."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="section_results")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="results")
    section_code = models.CharField(max_length=40)
    earned = models.DecimalField(**POINTS)
    possible = models.DecimalField(**POINTS)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    na = models.PositiveIntegerField(default=0)
    cannot_check = models.PositiveIntegerField(default=0)

    objects = AuditPartQuerySet.as_manager()
    audit_path = "audit"

    class Meta:
        ordering = ["audit", "section__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "section"], name="%(app_label)s_%(class)s_one_per_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_code}: {self.score}"


class DimensionResult(models.Model):
    """A dimension's experience (0–10) and the Delta model figures derived from it."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="dimension_results")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="results")
    dimension_code = models.CharField(max_length=40)
    earned = models.DecimalField(**POINTS)
    possible = models.DecimalField(**POINTS)
    experience = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    importance = models.DecimalField(max_digits=3, decimal_places=1)
    expectation = models.DecimalField(max_digits=3, decimal_places=1)
    ideal = models.DecimalField(max_digits=3, decimal_places=1)
    satisfaction = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    weighted_satisfaction = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    ideal_gap = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    key_rank = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = AuditPartQuerySet.as_manager()
    audit_path = "audit"

    class Meta:
        ordering = ["audit", "dimension__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "dimension"], name="%(app_label)s_%(class)s_one_per_dimension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_code}: {self.experience}"
