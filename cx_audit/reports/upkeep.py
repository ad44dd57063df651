"""Upkeep of bulk exports: give up jobs whose worker died, delete ZIPs past their retention.

What it guarantees: a job that shows no progress for ``REPORT_JOB_STALE_MINUTES`` is stored as
failed with a reason that says what happened and what to do, the moment anyone looks at it (page,
API, admin) or the upkeep runs, so nobody watches a dead job; a ZIP is deleted
``REPORT_RETENTION_DAYS`` after its job finished, its row kept as "expired" so the page can say so;
files left behind in the reports folder by a job that no longer exists (or no longer owns them)
go as well. Every change is conditional on the row being as it was read, so a worker that comes
back to life, or two upkeeps at once, cannot undo each other's work.

It runs from `manage.py purge_reports` (cron it, or run it by hand) and after each new export.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cx_audit.reports import rules as report_rules
from cx_audit.reports.models import JobStatus, ScorecardJob, retention, stale_after

logger = logging.getLogger(__name__)
REPORTS_DIR = "reports/scorecards"


def stale_reason() -> str:
    return _(
        "No progress for %(minutes)s minutes: the worker making it probably stopped. Start it again."
    ) % {"minutes": int(stale_after().total_seconds() // 60)}


def scorecard_job_checked(job: ScorecardJob, now: datetime | None = None) -> ScorecardJob:
    """The job as it should be shown: given up as failed (and stored so) when it is stale.

    No query for a live or finished job; one update (and a re-read if someone else changed the
    row meanwhile) for a stale one.
    """
    now = now or timezone.now()
    if not job.is_stale(now):
        return job
    changed = ScorecardJob.objects.filter(
        pk=job.pk, status=job.status, last_progress_at=job.last_progress_at
    ).update(status=JobStatus.FAILED, error=stale_reason(), finished_at=now)
    if changed:
        job.status, job.error, job.finished_at = JobStatus.FAILED, stale_reason(), now
    else:
        job.refresh_from_db()
    return job


def scorecard_jobs_checked(jobs: list[ScorecardJob], now: datetime | None = None) -> list[ScorecardJob]:
    now = now or timezone.now()
    return [scorecard_job_checked(job, now) for job in jobs]


def scorecard_job_give_up(*, job: ScorecardJob, reason: str, now: datetime | None = None) -> bool:
    """Mark an unfinished job failed now (HQ, from the admin, knows its worker is gone)."""
    now = now or timezone.now()
    return bool(
        ScorecardJob.objects.filter(pk=job.pk, status__in=report_rules.UNFINISHED).update(
            status=JobStatus.FAILED, error=reason, finished_at=now
        )
    )


@dataclass
class PurgeReport:
    """What an upkeep did (or, in a dry run, would do)."""

    stale_jobs: list[int] = field(default_factory=list)
    expired_jobs: list[int] = field(default_factory=list)
    deleted_files: list[str] = field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        return [
            f"{len(self.stale_jobs)} stale job(s) {verb} marked failed: {_ids(self.stale_jobs)}",
            f"{len(self.expired_jobs)} ZIP(s) past retention {verb} expired: {_ids(self.expired_jobs)}",
            f"{len(self.deleted_files)} file(s) {verb} deleted"
            + "".join(f"\n  {name}" for name in self.deleted_files),
        ]


def _ids(ids: list[int]) -> str:
    return ", ".join(f"#{pk}" for pk in ids) or "none"


def reports_purge(*, now: datetime | None = None, dry_run: bool = False, sweep: bool = True) -> PurgeReport:
    """Fail stale jobs, expire ZIPs past retention and (``sweep``) delete leftover files.

    The sweep lists the reports folder job by job, so the upkeep that runs on every new export
    leaves it to `purge_reports`; the rest is two queries and the deletions that are due.
    """
    now = now or timezone.now()
    report = PurgeReport(dry_run=dry_run)
    _fail_stale(report, now)
    _expire_old(report, now)
    if sweep:
        _sweep_leftovers(report)
    return report


def _fail_stale(report: PurgeReport, now: datetime) -> None:
    stale = ScorecardJob.objects.stale(now, stale_after())
    report.stale_jobs = sorted(stale.values_list("pk", flat=True))
    if not report.dry_run and report.stale_jobs:
        stale.filter(pk__in=report.stale_jobs).update(
            status=JobStatus.FAILED, error=stale_reason(), finished_at=now
        )


def reports_purge_jobs(jobs: QuerySet, *, now: datetime | None = None) -> PurgeReport:
    """Delete the ZIPs of these finished jobs now, whatever their age (HQ, from the admin)."""
    report = PurgeReport()
    _expire(report, jobs.filter(status__in=(JobStatus.DONE, JobStatus.FAILED)).exclude(file=""), now)
    return report


def _expire_old(report: PurgeReport, now: datetime) -> None:
    _expire(report, ScorecardJob.objects.due_for_purge(now, retention()), now)


def _expire(report: PurgeReport, due: QuerySet, now: datetime | None) -> None:
    now = now or timezone.now()
    for pk, status, name in due.order_by("pk").values_list("pk", "status", "file"):
        if status == JobStatus.DONE:
            report.expired_jobs.append(pk)
        report.deleted_files.append(name)
        if report.dry_run:
            continue
        # The row first: once it no longer names the file, a failed delete leaves only a leftover
        # that the next sweep finds, never a row that offers a download of a missing file.
        new_status = JobStatus.EXPIRED if status == JobStatus.DONE else status
        changed = ScorecardJob.objects.filter(pk=pk, status=status, file=name).update(
            status=new_status, file="", expired_at=now
        )
        if changed:
            _delete(name)


def _sweep_leftovers(report: PurgeReport) -> None:
    """Files under reports/scorecards/<id>/ that no job owns: its row is gone, or it names another
    file (or none) and is not still being made (a worker saves the file just before the row)."""
    job_dirs = _listdir(REPORTS_DIR)[0]
    ids = [int(name) for name in job_dirs if name.isdigit()]
    rows = {
        pk: (status, name)
        for pk, status, name in ScorecardJob.objects.filter(pk__in=ids).values_list("pk", "status", "file")
    }
    for pk in sorted(ids):
        status, owned = rows.get(pk, (None, ""))
        if status in report_rules.UNFINISHED:
            continue
        for filename in _listdir(f"{REPORTS_DIR}/{pk}")[1]:
            path = f"{REPORTS_DIR}/{pk}/{filename}"
            if path != owned and path not in report.deleted_files:
                report.deleted_files.append(path)
                if not report.dry_run:
                    _delete(path)
        if not report.dry_run and not owned:
            _remove_empty_folder(f"{REPORTS_DIR}/{pk}")


def _listdir(path: str) -> tuple[list[str], list[str]]:
    try:
        return default_storage.listdir(path)
    except FileNotFoundError:
        return [], []


def _remove_empty_folder(name: str) -> None:
    """On a local disk, the job's emptied folder too (a bucket has no folders to leave behind)."""
    with contextlib.suppress(NotImplementedError, OSError):  # not a local disk, gone, or not empty
        Path(default_storage.path(name)).rmdir()


def _delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # a disk or a bucket error: upkeep must not fail the request it runs in
        logger.exception("could not delete the report file %s; the next purge tries again", name)
