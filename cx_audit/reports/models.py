"""Bulk scorecard exports: the PDFs of all locations of a franchisee or a region, as one ZIP.

A job is made by `cx_audit.reports.services.scorecard_job_create` and filled by a Celery worker
(`cx_audit.reports.tasks.scorecard_job_run`), which counts its progress here for the page to poll. A job
that shows no progress for ``REPORT_JOB_STALE_MINUTES`` is given up as failed, and a finished ZIP is
deleted after ``REPORT_RETENTION_DAYS`` (the row stays, "expired"): `cx_audit.reports.rules`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.reports import rules as report_rules
from cx_audit.reports.querysets import ScorecardJobQuerySet
from locations.models import Brand, Franchisee, Region


class JobStatus(models.TextChoices):
    """The statuses of the pure rules (`cx_audit.reports.rules`), labelled for people."""

    QUEUED = report_rules.QUEUED, _("Waiting for a worker")
    RUNNING = report_rules.RUNNING, _("Running")
    DONE = report_rules.DONE, _("Done")
    FAILED = report_rules.FAILED, _("Failed")
    EXPIRED = report_rules.EXPIRED, _("Expired: generate it again")


def job_zip_path(instance: ScorecardJob, filename: str) -> str:
    return f"reports/scorecards/{instance.pk}/{filename}"


class ScorecardJob(models.Model):
    """One bulk export, for the person who asked for it; its ZIP covers what they could see."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    franchisee = models.ForeignKey(
        Franchisee, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorecard_jobs"
    )
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("locations"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(_("ZIP file"), upload_to=job_zip_path, max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    last_progress_at = models.DateTimeField(
        _("last progress at"),
        default=timezone.now,
        help_text=_("Queued, started or a PDF written: a job silent for too long is given up."),
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(_("ZIP deleted at"), null=True, blank=True)

    objects = ScorecardJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(franchisee__isnull=True, region__isnull=False)
                | Q(franchisee__isnull=False, region__isnull=True),
                name="%(app_label)s_%(class)s_franchisee_or_region",
            ),
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="%(app_label)s_%(class)s_done_within_total"
            ),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.EXPIRED) | Q(file="", expired_at__isnull=False),
                name="%(app_label)s_%(class)s_expired_without_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_name} ({self.get_status_display()})"

    @property
    def scope_name(self) -> str:
        return str(self.franchisee or self.region)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return 0 if not self.total else int(100 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.status not in report_rules.UNFINISHED

    @property
    def can_restart(self) -> bool:
        return report_rules.can_restart(self.status)

    @property
    def kept_until(self) -> datetime | None:
        """When the ZIP will be deleted (REPORT_RETENTION_DAYS after the job finished)."""
        return report_rules.kept_until(
            status=self.status, finished_at=self.finished_at, retention=retention()
        )

    def is_stale(self, now: datetime | None = None) -> bool:
        return report_rules.is_stale(
            status=self.status,
            last_progress_at=self.last_progress_at,
            now=now or timezone.now(),
            stale_after=stale_after(),
        )


def stale_after() -> timedelta:
    """How long a job may show no progress before it is given up (settings.REPORT_JOB_STALE_MINUTES)."""
    return timedelta(minutes=settings.REPORT_JOB_STALE_MINUTES)


def retention() -> timedelta:
    """How long a finished ZIP is kept (settings.REPORT_RETENTION_DAYS)."""
    return timedelta(days=settings.REPORT_RETENTION_DAYS)
