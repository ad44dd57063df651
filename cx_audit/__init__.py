"""The cx_audit project package; importing it makes the Celery app the default for tasks."""

from .celery import app as celery_app

__all__ = ("celery_app",)
