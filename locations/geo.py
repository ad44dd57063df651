"""Distances on the earth (geopy's geodesic) and the bounding box that prefilters them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from geopy.distance import geodesic

KM_PER_DEGREE_LATITUDE = 110.574  # the smallest value (at the equator), so the box never cuts short


@dataclass(frozen=True)
class Near:
    """A circle: centre latitude/longitude in degrees and radius in kilometres."""

    latitude: float
    longitude: float
    km: float

    def box(self) -> tuple[float, float, float, float]:
        """(min_lat, max_lat, min_lon, max_lon) enclosing the circle, for a cheap index filter."""
        dlat = self.km / KM_PER_DEGREE_LATITUDE * 1.01
        min_lat = max(-90.0, self.latitude - dlat)
        max_lat = min(90.0, self.latitude + dlat)
        widest = max(abs(min_lat), abs(max_lat))
        if widest >= 89.9:
            return min_lat, max_lat, -180.0, 180.0
        dlon = self.km / (111.320 * math.cos(math.radians(widest))) * 1.01
        if dlon >= 180:
            return min_lat, max_lat, -180.0, 180.0
        return min_lat, max_lat, self.longitude - dlon, self.longitude + dlon

    def distance_km(self, latitude: float, longitude: float) -> float:
        return geodesic((self.latitude, self.longitude), (latitude, longitude)).km

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.distance_km(latitude, longitude) <= self.km


def _coordinates(latitude: float, longitude: float) -> tuple[float, float]:
    if not all(math.isfinite(x) for x in (latitude, longitude)):
        raise ValueError("Latitude and longitude must be finite numbers.")
    if not -90 <= latitude <= 90:
        raise ValueError("Latitude must be between -90 and 90.")
    if not -180 <= longitude <= 180:
        raise ValueError("Longitude must be between -180 and 180.")
    return latitude, longitude


def parse_position(value: str) -> tuple[float, float]:
    """Parse ``"<lat>,<lon>"`` (a tablet's position); raise ValueError naming what is wrong."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        raise ValueError("Use <latitude>,<longitude>, e.g. 31.23,121.47.")
    try:
        latitude, longitude = (float(p) for p in parts)
    except ValueError:
        raise ValueError("Latitude and longitude must be numbers.") from None
    return _coordinates(latitude, longitude)


def parse_near(value: str) -> Near:
    """Parse ``"<lat>,<lon>,<km>"``; raise ValueError naming what is wrong."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 3:
        raise ValueError("Use near=<latitude>,<longitude>,<km>, e.g. near=31.23,121.47,5.")
    try:
        latitude, longitude, km = (float(p) for p in parts)
    except ValueError:
        raise ValueError("Latitude, longitude and km must be numbers.") from None
    if not all(math.isfinite(x) for x in (latitude, longitude, km)):
        raise ValueError("Latitude, longitude and km must be finite numbers.")
    latitude, longitude = _coordinates(latitude, longitude)
    if not 0 < km <= 20000:
        raise ValueError("The radius must be more than 0 and at most 20000 km.")
    return Near(latitude, longitude, km)
