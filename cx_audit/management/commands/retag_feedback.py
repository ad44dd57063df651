"""``manage.py retag_feedback --brand SLUG``: re-tag stored feedback with the brand's current lexicon."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cx_audit.voice.retag import BATCH, feedback_retag
from locations.models import Brand


class Command(BaseCommand):
    help = (
        "Run the brand's current lexicon over its stored feedback again (after terms were added or "
        "changed): tags, sentiment, polarity and complaint flags are replaced, batch by batch. "
        "Recovery actions already opened are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--brand", required=True, help="The brand's slug.")
        parser.add_argument("--batch-size", type=int, default=BATCH, help="Records per transaction.")

    def handle(self, *args: Any, brand: str, batch_size: int, **options: Any) -> None:
        found = Brand.objects.filter(slug=brand).first()
        if found is None:
            raise CommandError(f"No brand with slug “{brand}”.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        verbose = options.get("verbosity", 1) > 1
        result = feedback_retag(
            brand=found,
            batch_size=batch_size,
            progress=(lambda done: self.stdout.write(f"  {done} re-tagged")) if verbose else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-tagged {result.feedback} feedback records of {found.slug}: {result.changed} changed "
                f"polarity, sentiment or complaint; tags {result.tags_before} → {result.tags_after}."
            )
        )
