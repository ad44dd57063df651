"""Celery tasks: thin wrappers around services, so the work itself is tested without a worker."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="cx_audit.scorecard_job_run", ignore_result=False)
def scorecard_job_run(job_id: int) -> dict:
    """Fill a bulk scorecard export (`cx_audit.reports.services.scorecard_job_run`)."""
    from cx_audit.reports.services import scorecard_job_run as run

    job = run(job_id=job_id)
    return {"job": job.pk, "status": job.status, "done": job.done, "total": job.total}
