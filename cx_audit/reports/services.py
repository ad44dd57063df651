"""Bulk scorecard exports: a job per request, filled by a Celery worker, one PDF per location.

What they guarantee: a job covers only locations its requester sees (re-checked by the worker with
the requester's scope, not trusted from the request); the job is queued after its row is
committed, so a worker never looks for a job that is not there yet; a job run twice (a redelivered
task) does its work once; a broken queue or a failing PDF marks the job failed with the reason
instead of leaving it waiting forever. A worker records each step as progress, and only while the
job is still its own: once a silent job was given up (`cx_audit.reports.upkeep`), a worker
that comes back stops, deletes what it wrote and leaves the failure standing. A failed or expired
job is asked for again as a new job (`scorecard_job_restart`), keeping the old one as it was.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from cx_audit.reports.models import JobStatus, ScorecardJob
from cx_audit.reports.upkeep import reports_purge
from locations.models import Franchisee, Location, Region

logger = logging.getLogger(__name__)
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


def job_locations(job: ScorecardJob) -> QuerySet:
    """The locations of the job's franchisee or region (with sub-regions) its requester may see."""
    locations = Location.objects.visible_to(job.requested_by).filter(brand_id=job.brand_id)
    if job.franchisee_id is not None:
        return locations.filter(franchisee_id=job.franchisee_id).order_by("code", "pk")
    return locations.filter(region_id__in=Region.objects.with_descendants([job.region_id])).order_by(
        "code", "pk"
    )


def scorecard_job_create(
    *, user: Any, franchisee: Franchisee | None = None, region: Region | None = None
) -> ScorecardJob:
    """Queue the export of every location of ``franchisee`` or ``region`` (found by the caller
    through `visible_to`). The task is sent when the surrounding transaction commits.
    """
    if (franchisee is None) == (region is None):
        raise ValidationError({"franchisee": [_("Choose a franchisee or a region (one of them).")]})
    scope = franchisee or region
    job = ScorecardJob(brand_id=scope.brand_id, franchisee=franchisee, region=region, requested_by=user)
    job.total = job_locations(job).count()
    if job.total == 0:
        field = "franchisee" if franchisee else "region"
        raise ValidationError({field: [_("You see no location there: there is nothing to export.")]})
    job.save()
    transaction.on_commit(lambda: scorecard_job_enqueue(job))
    transaction.on_commit(reports_upkeep_quietly)
    return job


def reports_upkeep_quietly() -> None:
    """Purge old ZIPs and give up dead jobs as exports are asked for, so a site that never runs
    `purge_reports` still keeps no ZIP much longer than its retention; never fails the request."""
    try:
        reports_purge(sweep=False)
    except Exception:
        logger.exception("report upkeep after a new export failed; `manage.py purge_reports` retries")


def scorecard_job_restart(*, job: ScorecardJob, user: Any) -> ScorecardJob:
    """Ask again for a failed or expired export: a new job for the same franchisee or region, which
    the user must still see (found through `visible_to`, as for a first request)."""
    if not job.can_restart:
        raise ValidationError(
            {
                "status": [
                    _("Only a failed or expired export can be started again; this one is %(status)s.")
                    % {"status": job.get_status_display().lower()}
                ]
            }
        )
    franchisee = region = None
    if job.franchisee_id is not None:
        franchisee = Franchisee.objects.visible_to(user).filter(pk=job.franchisee_id).first()
    else:
        region = Region.objects.visible_to(user).filter(pk=job.region_id).first()
    if franchisee is None and region is None:
        field = "franchisee" if job.franchisee_id is not None else "region"
        raise ValidationError({field: [_("You no longer see it: there is nothing to export.")]})
    return scorecard_job_create(user=user, franchisee=franchisee, region=region)


def scorecard_job_enqueue(job: ScorecardJob) -> None:
    """Hand the job to the workers; if the queue cannot be reached, the job fails saying so."""
    from cx_audit.reports.tasks import scorecard_job_run

    # The task's id is stored before the task is sent: a worker may start on it at once, and the
    # job row is then the worker's to write (SQLite, in tests, refuses two writers outright).
    job.task_id = str(uuid.uuid4())
    ScorecardJob.objects.filter(pk=job.pk).update(task_id=job.task_id)
    try:
        scorecard_job_run.apply_async((job.pk,), task_id=job.task_id, retry=True, retry_policy=PUBLISH_RETRY)
    except (OperationalError, RuntimeError) as error:  # RuntimeError: the result store is unreachable
        logger.error("scorecard job %s: the task queue is unreachable: %s", job.pk, error)
        ScorecardJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            error=_("The report queue could not be reached; try again later."),
            finished_at=timezone.now(),
        )
        return


class JobAbandoned(Exception):
    """The job is no longer this worker's: it was given up as stale (or finished elsewhere)."""


def _progress(job: ScorecardJob, **fields: Any) -> None:
    """Record progress, only while the job is still running; JobAbandoned once it is not."""
    now = timezone.now()
    if not ScorecardJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        last_progress_at=now, **fields
    ):
        raise JobAbandoned(job.pk)


def scorecard_job_run(*, job_id: int) -> ScorecardJob:
    """Render each location's PDF into one ZIP, counting progress as it goes (the worker's side)."""
    with transaction.atomic():
        job = ScorecardJob.objects.select_for_update().select_related("requested_by").get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return job  # already run (a redelivered task), running elsewhere, or given up
        job.status, job.started_at = JobStatus.RUNNING, timezone.now()
        job.last_progress_at = job.started_at
        job.save(update_fields=["status", "started_at", "last_progress_at"])
    try:
        _write_zip(job)
    except JobAbandoned:
        logger.warning("scorecard job %s was given up while this worker made it; its work is dropped", job.pk)
    except Exception as error:
        logger.exception("scorecard job %s failed", job.pk)
        ScorecardJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            error=str(error)[:1000] or type(error).__name__,
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def _write_zip(job: ScorecardJob) -> None:
    from cx_audit.scorecards.data import scorecard_audits
    from cx_audit.scorecards.pdf import pdf_filename, scorecard_pdf

    locations = list(job_locations(job).select_related("brand", "franchisee", "region"))
    audits = scorecard_audits(job.requested_by)
    who = job.requested_by.get_full_name() or job.requested_by.get_username()
    _progress(job, total=len(locations), done=0)
    with tempfile.TemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, location in enumerate(locations, start=1):
                archive.writestr(
                    pdf_filename(location),
                    scorecard_pdf(location, audits=audits, generated_for=who, viewer=job.requested_by),
                )
                _progress(job, done=done)
        buffer.seek(0)
        day = timezone.localtime().strftime("%Y-%m-%d")
        job.file.save(f"scorecards-{job.pk}-{day}.zip", File(buffer), save=False)
    try:
        _progress(job, status=JobStatus.DONE, finished_at=timezone.now(), file=job.file.name)
    except JobAbandoned:
        job.file.delete(save=False)  # given up meanwhile: the failure stands, the ZIP goes
        raise
