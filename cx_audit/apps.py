from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CxAuditConfig(AppConfig):
    """The audit service: one Django app whose features are packages (docs/architecture.md)."""

    name = "cx_audit"
    verbose_name = _("Audits")

    def ready(self) -> None:
        # The Celery app becomes the current app for `shared_task` (sending a bulk job from a
        # web request); importing it here rather than in cx_audit/__init__ keeps pure modules
        # importable without Celery.
        from cx_audit import celery  # noqa: F401
        from cx_audit.wiring import connect

        connect()
