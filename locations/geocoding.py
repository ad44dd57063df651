"""Addresses to coordinates through geopy's Nominatim: rate-limited, cached, never crashing.

Why each part:
- the server is configurable (``GEOCODER_*`` settings) so a company can use its own Nominatim;
- geopy's ``RateLimiter`` keeps to the service's rate (the public one allows 1 request/s);
- every answer, *found or not*, is cached in ``GeocodeResult``, because at 1 request/s a
  1,000-store import costs a quarter of an hour and a re-import or a dry run must cost nothing;
- service failures (timeouts, 5xx, refused connections) become an answer with an ``error``
  that the import reports on the row. They are not cached: they are transient.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext
from geopy.adapters import RequestsAdapter
from geopy.exc import GeocoderTimedOut, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from locations.models import GeocodeResult, Location

logger = logging.getLogger(__name__)

T = TypeVar("T")

COORDINATE_STEP = Decimal("0.000001")  # the model keeps six decimals (about 0.1 m)
CACHE_LOOKUP_CHUNK = 500  # keeps `query IN (...)` under every database's parameter limit
MAX_CONSECUTIVE_FAILURES = 3  # then the service is taken as down and not asked again this run


class Progress(Protocol):
    """A tqdm-compatible wrapper: ``progress(items, total=…, desc=…)`` yields the items."""

    def __call__(self, iterable: Iterable[T], *, total: int, desc: str) -> Iterable[T]: ...


def no_progress(iterable: Iterable[T], *, total: int, desc: str) -> Iterable[T]:
    """The default progress reporter: none."""
    return iterable


def quantize_coordinate(value: Any) -> Decimal | None:
    """A coordinate rounded to the model's six decimals, or None if it is not a finite number."""
    try:
        number = Decimal(str(value).strip())
        return number.quantize(COORDINATE_STEP) if number.is_finite() else None
    except (InvalidOperation, ValueError):
        return None


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class AddressQuery:
    """One address to look up: the free-text part is sent as ``q``, the country as a filter."""

    address: str
    city: str
    country: str

    @property
    def text(self) -> str:
        """What Nominatim is asked; the country goes in ``countrycodes``, which it matches reliably."""
        return ", ".join(_squash(part) for part in (self.address, self.city) if part.strip())

    @property
    def key(self) -> str:
        """The cache key: the same address in other spacing or letter case is the same question."""
        return f"{self.text}, {self.country.strip()}".casefold()


@dataclass(frozen=True)
class GeocodeAnswer:
    """What is known about one address: coordinates, nothing found, or a service error."""

    latitude: Decimal | None = None
    longitude: Decimal | None = None
    display_name: str = ""
    error: str | None = None

    @property
    def found(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def cached_answers(keys: Iterable[str]) -> dict[str, GeocodeAnswer]:
    """The cached answers for these keys, in one query per 500 keys (never one per address)."""
    wanted = list(dict.fromkeys(keys))
    answers: dict[str, GeocodeAnswer] = {}
    for start in range(0, len(wanted), CACHE_LOOKUP_CHUNK):
        chunk = wanted[start : start + CACHE_LOOKUP_CHUNK]
        for result in GeocodeResult.objects.filter(query__in=chunk):
            answers[result.query] = GeocodeAnswer(
                latitude=result.latitude,
                longitude=result.longitude,
                display_name=result.display_name,
            )
    return answers


def _remember(key: str, answer: GeocodeAnswer) -> None:
    """Cache one answer at once, so an interrupted bulk run keeps what it already paid for."""
    GeocodeResult.objects.get_or_create(
        query=key[:500],
        defaults={
            "latitude": answer.latitude,
            "longitude": answer.longitude,
            "display_name": answer.display_name[:500],
        },
    )


class Geocoder:
    """Nominatim behind geopy's rate limiter and the ``GeocodeResult`` cache; one per bulk run,
    so the rate limiter spaces all of that run's requests."""

    def __init__(self) -> None:
        self._misconfigured: GeopyError | None = None
        try:
            nominatim = Nominatim(
                domain=settings.GEOCODER_DOMAIN,
                scheme=settings.GEOCODER_SCHEME,
                user_agent=settings.GEOCODER_USER_AGENT,
                timeout=settings.GEOCODER_TIMEOUT,
                # The transport's own retries (two by default) would silently triple every
                # timeout; retries are the rate limiter's alone (GEOCODER_MAX_RETRIES).
                adapter_factory=functools.partial(RequestsAdapter, max_retries=0),
            )
        except GeopyError as error:  # e.g. a bad GEOCODER_SCHEME: every row says so, nothing crashes
            self._misconfigured = error
            return
        min_delay = float(settings.GEOCODER_MIN_DELAY)
        self._lookup: Callable[..., Any] = RateLimiter(
            nominatim.geocode,
            min_delay_seconds=min_delay,
            # Optional settings: how often to retry a failed request and how long to wait first.
            max_retries=int(getattr(settings, "GEOCODER_MAX_RETRIES", 2)),
            error_wait_seconds=max(min_delay, float(getattr(settings, "GEOCODER_ERROR_WAIT", 5.0))),
            swallow_exceptions=False,  # a swallowed error would look like "not found" and be cached
        )

    def geocode(self, query: AddressQuery) -> GeocodeAnswer:
        """One address, from the cache or the service."""
        return self.geocode_many([query])[query.key]

    def geocode_many(
        self,
        queries: Iterable[AddressQuery],
        *,
        progress: Progress = no_progress,
        budget_seconds: float | None = None,
    ) -> dict[str, GeocodeAnswer]:
        """Answers by ``AddressQuery.key``; each distinct address is asked at most once, ever.

        No new question is sent once ``budget_seconds`` (default ``GEOCODER_BUDGET``) have
        passed: a dead or slow service costs a bounded time per run, not rows × timeout.
        """
        unique = {query.key: query for query in queries}
        answers = cached_answers(unique)
        missing = [query for key, query in unique.items() if key not in answers]
        budget = settings.GEOCODER_BUDGET if budget_seconds is None else budget_seconds
        answers.update(self._ask_all(missing, progress, deadline=time.monotonic() + budget))
        return answers

    def _ask_all(
        self, queries: list[AddressQuery], progress: Progress, *, deadline: float
    ) -> Iterator[tuple[str, GeocodeAnswer]]:
        failures = 0
        for query in progress(queries, total=len(queries), desc=gettext("Geocoding")):
            if failures >= MAX_CONSECUTIVE_FAILURES:
                yield query.key, GeocodeAnswer(error=_gave_up_message())
                continue
            if time.monotonic() >= deadline:
                yield query.key, GeocodeAnswer(error=_out_of_time_message())
                continue
            answer = self._ask(query)
            failures = failures + 1 if answer.error else 0
            if answer.error is None:
                _remember(query.key, answer)
            yield query.key, answer

    def _ask(self, query: AddressQuery) -> GeocodeAnswer:
        """Ask the service once (with the rate limiter's retries); errors become an answer."""
        if self._misconfigured is not None:
            return GeocodeAnswer(error=_failure_message(self._misconfigured))
        country = query.country.strip().lower()
        try:
            place = self._lookup(query.text, exactly_one=True, country_codes=[country] if country else None)
        except GeocoderTimedOut as error:  # also what geopy makes of a 503 or 504 answer
            logger.warning("Geocoder timed out for %r: %s", query.text, error)
            return GeocodeAnswer(error=_timeout_message(error))
        except GeopyError as error:
            logger.warning("Geocoder failed for %r: %s", query.text, error)
            return GeocodeAnswer(error=_failure_message(error))
        except (KeyError, TypeError, ValueError) as error:  # an answer geopy could not read
            logger.warning("Unreadable geocoder answer for %r: %s", query.text, error)
            return GeocodeAnswer(error=_failure_message(error))
        return _answer_from(place)


def _answer_from(place: Any) -> GeocodeAnswer:
    if place is None:
        return GeocodeAnswer()
    latitude, longitude = quantize_coordinate(place.latitude), quantize_coordinate(place.longitude)
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return GeocodeAnswer(error=_failure_message(ValueError(f"bad coordinates {place.point}")))
    return GeocodeAnswer(latitude=latitude, longitude=longitude, display_name=place.address or "")


def _timeout_message(error: Exception) -> str:
    return gettext(
        "the geocoder timed out or is overloaded (%(error)s, time limit %(seconds)s s); "
        "give latitude and longitude, or try again later"
    ) % {"error": str(error) or type(error).__name__, "seconds": settings.GEOCODER_TIMEOUT}


def _failure_message(error: Exception) -> str:
    return gettext("the geocoder failed (%(error)s); give latitude and longitude, or try again later") % {
        "error": str(error) or type(error).__name__
    }


def _out_of_time_message() -> str:
    return gettext(
        "not geocoded: this run's time budget (%(seconds)s s) was used up; "
        "give latitude and longitude, or try again later"
    ) % {"seconds": settings.GEOCODER_BUDGET}


def _gave_up_message() -> str:
    return gettext(
        "not geocoded: the geocoder failed %(count)s times in a row; "
        "give latitude and longitude, or try again later"
    ) % {"count": MAX_CONSECUTIVE_FAILURES}


# --- geocoding after an import (a Celery task, never a web request) -----------------------------


def address_query(location: Location) -> AddressQuery:
    return AddressQuery(location.address, location.city, location.country)


def pending_locations(location_ids: Iterable[int]) -> QuerySet[Location]:
    """Locations that still wait for coordinates: none yet, and an address to look up."""
    return Location.objects.filter(pk__in=list(location_ids), latitude__isnull=True).exclude(address="")


def locations_geocode(*, location_ids: Iterable[int], budget_seconds: float | None = None) -> int:
    """Give coordinates to imported locations that came without them; the number placed.

    Runs on a worker after the import committed, within ``GEOCODER_BUDGET`` seconds. A location
    edited meanwhile (coordinates given, or a new address) is left alone: the update matches the
    address that was looked up and still-empty coordinates.
    """
    locations = list(pending_locations(location_ids))
    if not locations:
        return 0
    answers = Geocoder().geocode_many(
        [address_query(location) for location in locations], budget_seconds=budget_seconds
    )
    placed = 0
    for location in locations:
        answer = answers[address_query(location).key]
        if not answer.found:
            continue
        placed += Location.objects.filter(
            pk=location.pk,
            latitude__isnull=True,
            address=location.address,
            city=location.city,
            country=location.country,
        ).update(latitude=answer.latitude, longitude=answer.longitude)
    return placed
