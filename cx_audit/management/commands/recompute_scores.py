"""``manage.py recompute_scores [--brand SLUG] [--audit ID …] [--apply]``: repair stored scores.

Scores never change silently (DESIGN §3.7): without --apply this only prints what a recompute
would change; with --apply it stores exactly those changes and prints them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cx_audit.audits.models.audits import Audit
from cx_audit.audits.recompute import scores_recompute


class Command(BaseCommand):
    help = "Recompute the scores of submitted audits; show the differences, store them with --apply."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--brand", help="Only this brand (slug).")
        parser.add_argument("--audit", type=int, action="append", default=[], help="Only these audit ids.")
        parser.add_argument("--apply", action="store_true", help="Store the recomputed scores.")

    def handle(self, *args: Any, brand: str | None, audit: list[int], apply: bool, **options: Any) -> None:
        audits = Audit.objects.submitted().select_related("brand", "framework", "location").order_by("pk")
        if brand:
            audits = audits.filter(brand__slug=brand)
        if audit:
            audits = audits.filter(pk__in=audit)
        changes = scores_recompute(audits=audits.iterator(chunk_size=200), apply=apply)
        for change in changes:
            for line in change.lines():
                self.stdout.write(line)
        verb = "changed" if apply else "would change"
        self.stdout.write(self.style.SUCCESS(f"{len(changes)} audit(s) {verb}."))
        if changes and not apply:
            self.stdout.write("Run again with --apply to store these changes.")
