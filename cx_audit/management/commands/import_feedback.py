"""``manage.py import_feedback BRAND FILE.csv [--dry-run]``: customer feedback from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cx_audit.voice.import_file import COLUMNS
from cx_audit.voice.importing import FeedbackImportReport, feedback_import
from locations.models import Brand


class Command(BaseCommand):
    help = (
        "Import a brand's customer feedback from a CSV file. Every bad row is listed by line and "
        "column and nothing is written unless the whole file is clean; external ids the brand "
        "already has are skipped, so importing a file twice stores it once. "
        f"Columns: {', '.join(COLUMNS)}, expect_<dimension>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("brand", help="The brand's slug.")
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, first line the column names.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args: Any, brand: str, file: Path, dry_run: bool, **options: Any) -> None:
        found = Brand.objects.filter(slug=brand).first()
        if found is None:
            raise CommandError(_("No brand with slug “%s”.") % brand)
        try:
            with file.open("rb") as stream:
                report = feedback_import(brand=found, file=stream, dry_run=dry_run)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": file, "error": error}
            ) from None
        self._print(report, file)

    def _print(self, report: FeedbackImportReport, path: Path) -> None:
        if not report.ok:
            heading = _("%(count)s errors in %(path)s; nothing was imported:") % {
                "count": report.error_count,
                "path": path,
            }
            lines = [heading, *(f"  {issue}" for issue in report.errors)]
            if report.error_count > len(report.errors):
                lines.append(_("  … and %s more") % (report.error_count - len(report.errors)))
            raise CommandError("\n".join(lines))
        values = {
            "rows": report.rows,
            "created": report.created,
            "existing": report.existing,
            "recoveries": report.recoveries,
        }
        if report.dry_run:
            summary = _(
                "Dry run: %(rows)s rows are clean; would create %(created)s (%(existing)s already stored)."
            )
        else:
            summary = _(
                "Imported %(rows)s rows: created %(created)s, existing %(existing)s, errors 0; "
                "%(recoveries)s customer-recovery actions opened."
            )
        self.stdout.write(self.style.SUCCESS(summary % values))
