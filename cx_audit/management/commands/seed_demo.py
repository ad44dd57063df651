"""`manage.py seed_demo`: the demo chain, safe to run any number of times."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cx_audit.demo.report import summary_lines
from cx_audit.demo.seeding import seed_demo


class Command(BaseCommand):
    help = (
        "Create or refresh the demo chain: the Aurora Mobile brand, its regions, franchisees and "
        "locations across China, a published experience framework, one login per role and a year of "
        "submitted audits at every open location. "
        "Running it again changes nothing unless the demo data changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though DEBUG is off. The demo logins, a superuser among them, share a "
            "published password: never do this on a real deployment.",
        )

    def handle(self, *args: Any, allow_production: bool = False, **options: Any) -> None:
        # The demo superuser's password is in the README; on a live database that is an open door.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off, so this looks like a production database, and seed_demo creates "
                "logins (a superuser among them) whose password is published. Seed a demo database "
                "(DJANGO_DEBUG=1), or pass --allow-production if you really mean it."
            )
        # All or nothing: a half-seeded demo is worse than none.
        with transaction.atomic():
            result = seed_demo()
        for line in summary_lines(result):
            self.stdout.write(line)
