"""`manage.py escalate_actions`: mark overdue corrective actions escalated (also run by Celery beat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cx_audit.actions.services import actions_escalate


class Command(BaseCommand):
    help = (
        "Mark every open corrective action that is overdue beyond its brand's grace days as escalated "
        "(once). Safe to run any number of times; Celery beat runs it every hour."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = actions_escalate()
        self.stdout.write(f"Escalated {count} overdue corrective action(s).")
