"""Celery tasks of the locations package: thin wrappers around its services.

``shared_task`` binds to whichever Celery app is current, so this module needs no import of the
project's Celery app (``cx_audit.celery``, a layer above); the app discovers it by name.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from locations.geocoding import locations_geocode

logger = logging.getLogger(__name__)

# Publishing gives up after about a second: the import request must not wait on a dead broker.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.25, "interval_max": 0.5}


@shared_task(name="locations.geocode_locations", ignore_result=True)
def geocode_locations(location_ids: list[int]) -> int:
    """Geocode imported locations that came without coordinates (bounded by GEOCODER_BUDGET)."""
    return locations_geocode(location_ids=location_ids)


def geocode_later(location_ids: list[int]) -> None:
    """Queue the geocoding once the import's transaction commits (never inside the request).

    Without a reachable broker the locations stay without coordinates ("pending") and the
    failure is logged; ``manage.py geocode_locations`` or a re-import places them later.
    """
    if location_ids:
        transaction.on_commit(lambda: _enqueue(location_ids))


def _enqueue(location_ids: list[int]) -> None:
    try:
        geocode_locations.apply_async((location_ids,), retry=True, retry_policy=PUBLISH_RETRY)
    except OperationalError as error:
        logger.error(
            "geocoding of %s locations not queued, the broker is unreachable: %s", len(location_ids), error
        )
