"""The `near` filter's maths: the cheap bounding box never drops a point inside the circle."""

from __future__ import annotations

import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from locations.geo import Near, parse_near

latitudes = st.floats(min_value=-89.0, max_value=89.0)
longitudes = st.floats(min_value=-179.0, max_value=179.0)
radii = st.floats(min_value=0.01, max_value=3000.0)
bearings = st.floats(min_value=0.0, max_value=360.0)
fractions = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=300, deadline=None)
@given(latitudes, longitudes, radii, bearings, fractions)
def test_every_point_in_the_circle_is_in_the_box(lat, lon, km, bearing, fraction):
    near = Near(lat, lon, km)
    point = geodesic(kilometers=km * fraction).destination((lat, lon), bearing)
    min_lat, max_lat, min_lon, max_lon = near.box()
    assert min_lat <= point.latitude <= max_lat
    # Longitudes wrap at ±180; a box that crosses the antimeridian is compared modulo 360.
    lon_in_box = (
        min_lon <= point.longitude <= max_lon
        or min_lon <= point.longitude + 360 <= max_lon
        or (min_lon <= point.longitude - 360 <= max_lon)
    )
    assert lon_in_box
    assert near.contains(point.latitude, point.longitude) or fraction > 0.999


def test_known_distance_shanghai_to_beijing():
    near = Near(31.2304, 121.4737, 1100)
    assert near.distance_km(39.9042, 116.4074) == pytest.approx(1067, abs=5)
    assert near.contains(39.9042, 116.4074)
    assert not Near(31.2304, 121.4737, 1000).contains(39.9042, 116.4074)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("31.23,121.47,5", Near(31.23, 121.47, 5.0)), (" -33.9 , 151.2 , 0.5 ", Near(-33.9, 151.2, 0.5))],
)
def test_parse_near(text, expected):
    assert parse_near(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31.23,121.47", "Use near="),
        ("a,b,c", "must be numbers"),
        ("inf,0,1", "finite"),
        ("95,0,1", "Latitude"),
        ("0,200,1", "Longitude"),
        ("0,0,0", "radius"),
        ("0,0,30000", "radius"),
    ],
)
def test_parse_near_rejects_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_near(text)
