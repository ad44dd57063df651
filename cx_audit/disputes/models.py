"""Disputes of findings and the amendments they lead to.

A franchisee may dispute a failed item of a submitted audit of its own outlet, with a note and
optionally a photo, within the brand's `dispute_days` after submission. HQ decides: a rejection
keeps the finding and says why; an acceptance rescores the item through a recorded `Amendment`
(`cx_audit.disputes.services`). The amended figures are what the audit's results now hold —
rankings read them — while the amendment keeps the original beside them, attributed and dated,
so both are shown wherever the item appears.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.audits.models.audits import Audit
from cx_audit.disputes.querysets import DisputeQuerySet
from journeys.models import Item


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def dispute_photo_path(instance: Dispute, filename: str) -> str:
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        instance.photo_content_type, "bin"
    )
    return f"disputes/{instance.audit_id}/{instance.photo_sha256}.{extension}"


class Dispute(models.Model):
    """A franchisee's objection to one failed finding of a submitted audit, and HQ's decision on it.

    One per item of an audit: a decided dispute is final.
    """

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="disputes")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="disputes")
    item_code = models.CharField(max_length=40)
    note = models.TextField(_("why the finding is wrong"))
    photo = models.FileField(_("photo"), upload_to=dispute_photo_path, max_length=200, blank=True)
    photo_content_type = models.CharField(max_length=60, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("HQ's reason"), blank=True)

    objects = DisputeQuerySet.as_manager()
    audit_path = "audit"

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["status", "raised_at"])]
        constraints = [
            models.UniqueConstraint(fields=["audit", "item"], name="%(app_label)s_%(class)s_one_per_item"),
            models.CheckConstraint(
                condition=Q(status__in=DisputeStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=DisputeStatus.OPEN, decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(status=DisputeStatus.OPEN) & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="%(app_label)s_%(class)s_decided_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status=DisputeStatus.REJECTED) | ~Q(decision_reason=""),
                name="%(app_label)s_%(class)s_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audit_id}/{self.item_code}: {self.status}"

    def get_absolute_url(self) -> str:
        """The page where HQ decides it and the franchisee follows it (the admin's "view on site")."""
        return reverse("scorecards:dispute", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN
