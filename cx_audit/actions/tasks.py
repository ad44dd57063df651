"""Celery tasks of corrective actions: thin wrappers around services, tested without a worker."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="cx_audit.actions_escalate")
def actions_escalate() -> int:
    """Escalate overdue corrective actions (`cx_audit.actions.services.actions_escalate`); beat runs it."""
    from cx_audit.actions.services import actions_escalate as escalate

    return escalate()
