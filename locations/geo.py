"""Distances on the earth (geopy's geodesic) and the bounding box that prefilters them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from geopy.distance import geodesic

KM_PER_DEGREE_LATITUDE = 110.574  # the smallest value (at the equator), so the box never cuts short
MAX_NEAR_KM = 1000  # a bigger circle is a country, not "near": refused, so the work stays bounded
WGS84_A = 6378.137  # km, the ellipsoid's equatorial radius
WGS84_E2 = 0.00669437999014  # its first eccentricity squared
# The sphere fitted at the centre (local_radius_km) measures within this fraction of the
# geodesic up to MAX_NEAR_KM (tests/trust/test_f11_unbounded.py checks it); rows whose
# spherical distance lies this close to the radius are settled by the exact geodesic.
SPHERE_TOLERANCE = 0.005


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

    def longitude_ranges(self) -> tuple[tuple[float, float], ...]:
        """The box's longitudes as one or two ranges inside [-180, 180]: a box crossing the
        antimeridian (e.g. 179.5 ± 1) becomes [179.5-1, 180] and [-180, -179.5]."""
        _min_lat, _max_lat, low, high = self.box()
        if high - low >= 360:
            return ((-180.0, 180.0),)
        if low < -180:
            return ((low + 360, 180.0), (-180.0, high))
        if high > 180:
            return ((low, 180.0), (-180.0, high - 360))
        return ((low, high),)

    def distance_km(self, latitude: float, longitude: float) -> float:
        return geodesic((self.latitude, self.longitude), (latitude, longitude)).km

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.distance_km(latitude, longitude) <= self.km


def local_radius_km(latitude: float) -> float:
    """The radius of the sphere that best fits the WGS84 ellipsoid around this latitude
    (Gaussian mean radius √(M·N)): great-circle distances on it stay within SPHERE_TOLERANCE
    of the geodesic up to MAX_NEAR_KM, so the database can order by them."""
    s2 = math.sin(math.radians(latitude)) ** 2
    meridional = WGS84_A * (1 - WGS84_E2) / (1 - WGS84_E2 * s2) ** 1.5
    normal = WGS84_A / math.sqrt(1 - WGS84_E2 * s2)
    return math.sqrt(meridional * normal)


def sphere_km(radius_km: float, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The haversine great-circle distance on a sphere of this radius (what the SQL computes)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * radius_km * math.asin(min(1.0, math.sqrt(h)))


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
    if not 0 < km <= MAX_NEAR_KM:
        raise ValueError(f"The radius must be more than 0 and at most {MAX_NEAR_KM} km.")
    return Near(latitude, longitude, km)
