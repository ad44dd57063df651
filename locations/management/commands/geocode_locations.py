"""``manage.py geocode_locations --brand SLUG``: place the brand's locations still without coordinates.

The import queues this work on Celery; without a worker (a demo without Redis) or after the
geocoder was down, this command does it, within ``GEOCODER_BUDGET`` seconds per run.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from locations.geocoding import locations_geocode, pending_locations
from locations.models import Brand, Location


class Command(BaseCommand):
    help = "Geocode a brand's locations that have an address but no coordinates yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--brand", required=True, help="The brand's slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        brand = Brand.objects.filter(slug=options["brand"]).first()
        if brand is None:
            raise CommandError(f"No brand with slug “{options['brand']}”.")
        ids = list(Location.objects.filter(brand=brand).values_list("pk", flat=True))
        waiting = pending_locations(ids).count()
        placed = locations_geocode(location_ids=ids)
        self.stdout.write(f"Geocoded {placed} of {waiting} locations without coordinates.")
