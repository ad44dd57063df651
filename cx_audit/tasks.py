"""Celery tasks: thin wrappers around services, so the work itself is tested without a worker."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="cx_audit.scorecard_job_run", ignore_result=False)
def scorecard_job_run(job_id: int) -> dict:
    """Fill a bulk scorecard export (`cx_audit.services.reports.scorecard_job_run`)."""
    from .services.reports import scorecard_job_run as run

    job = run(job_id=job_id)
    return {"job": job.pk, "status": job.status, "done": job.done, "total": job.total}


@shared_task(name="cx_audit.actions_escalate")
def actions_escalate() -> int:
    """Escalate overdue corrective actions (`cx_audit.services.actions.actions_escalate`); beat runs it."""
    from .services.actions import actions_escalate as escalate

    return escalate()
