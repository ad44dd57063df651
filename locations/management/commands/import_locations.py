"""``manage.py import_locations FILE.csv --brand SLUG [--dry-run] [--no-geocode]``."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from locations.importing import ImportReport, locations_import
from locations.models import Brand


class Command(BaseCommand):
    help = (
        "Import (create or update by code) a brand's locations from a CSV file. Every bad row is "
        "listed by line and column, and nothing is written unless the whole file is clean."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, first line the column names.")
        parser.add_argument("--brand", required=True, help="The brand's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--no-geocode",
            action="store_true",
            help="Do not geocode rows without coordinates (they are imported without them).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        brand = self._brand(options["brand"])
        path: Path = options["file"]
        # tqdm needs the raw stream: Django's OutputWrapper would add a newline to every redraw.
        # disable=None: a bar on a terminal only, not in logs and pipes.
        progress = functools.partial(
            tqdm, file=options.get("stderr") or sys.stderr, unit="row", leave=False, disable=None
        )
        try:
            with path.open("rb") as file:
                report = locations_import(
                    brand=brand,
                    file=file,
                    dry_run=options["dry_run"],
                    geocode=not options["no_geocode"],
                    progress=progress,
                )
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from None
        self._print(report, path)

    def _brand(self, slug: str) -> Brand:
        try:
            return Brand.objects.get(slug=slug)
        except Brand.DoesNotExist:
            raise CommandError(_("No brand with slug “%s”.") % slug) from None

    def _print(self, report: ImportReport, path: Path) -> None:
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(_("Warning: %s") % warning))
        if not report.ok:
            heading = _("%(count)s errors in %(path)s; nothing was imported:") % {
                "count": len(report.errors),
                "path": path,
            }
            raise CommandError("\n".join([heading, *(f"  {issue}" for issue in report.errors)]))
        values = {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if report.dry_run:
            summary = _(
                "Dry run: %(rows)s rows are clean; would create %(created)s and update %(updated)s "
                "(%(unchanged)s unchanged)."
            )
        else:
            summary = _(
                "Imported %(rows)s rows: created %(created)s, updated %(updated)s, unchanged %(unchanged)s."
            )
        self.stdout.write(self.style.SUCCESS(summary % values))
        if report.geocoded:
            self.stdout.write(_("Coordinates found by the geocoder: %s.") % report.geocoded)
