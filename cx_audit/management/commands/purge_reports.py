"""``manage.py purge_reports [--dry-run]``: delete bulk-export ZIPs past their retention.

Also gives up jobs whose worker died and deletes files no job owns any more. New exports run the
same upkeep (without the folder sweep), so this is for a cron line, or to see what is kept.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from cx_audit.reports.upkeep import reports_purge


class Command(BaseCommand):
    help = (
        "Expire bulk-export ZIPs older than REPORT_RETENTION_DAYS, fail jobs silent for "
        "REPORT_JOB_STALE_MINUTES and delete leftover report files; --dry-run only lists them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would change; change nothing.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        self.stdout.write(
            f"Retention {settings.REPORT_RETENTION_DAYS} day(s); a job is stale after "
            f"{settings.REPORT_JOB_STALE_MINUTES} minute(s) without progress."
        )
        report = reports_purge(dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed. Run without --dry-run to purge.")
        else:
            self.stdout.write(self.style.SUCCESS("Done."))
