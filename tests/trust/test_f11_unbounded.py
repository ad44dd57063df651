"""Finding 11: no unbounded work inside a request.

- the location import never waits on the geocoder: rows without coordinates are saved without
  them and a Celery task geocodes them after the commit;
- the tablet bootstrap sends a bounded page of due locations, in a constant number of queries,
  and each framework once per version;
- ``?near=`` prefilters with a bounding box that provably holds the circle, caps the radius and
  keeps the answer ordered by distance and paginated.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_audit.celery import app as celery_app
from locations.geo import Near
from locations.models import Location
from tests.factories import LocationFactory
from tests.locations.nominatim_server import nominatim_server

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/locations/import/"
HEADER = "code,name,outlet_type,franchisee,region,address,city,country,latitude,longitude,city_tier,status\n"


def import_file(rows: int) -> io.BytesIO:
    lines = [
        f"GEO-{n},Store {n},direct,,,{n} Nanjing Road,Shanghai,CN,,,1,open\n" for n in range(1, rows + 1)
    ]
    file = io.BytesIO((HEADER + "".join(lines)).encode())
    file.name = "stores.csv"
    return file


@pytest.fixture
def sleeping_geocoder(settings) -> Iterator[None]:
    """A geocoder that accepts the connection and never answers in time (the 32-second case)."""

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(3)
            self.send_response(504)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GEOCODER_DOMAIN = f"127.0.0.1:{server.server_address[1]}"
    settings.GEOCODER_SCHEME = "http"
    settings.GEOCODER_MIN_DELAY = 0
    settings.GEOCODER_MAX_RETRIES = 0
    settings.GEOCODER_ERROR_WAIT = 0
    settings.GEOCODER_TIMEOUT = 1
    yield
    server.shutdown()
    server.server_close()


@pytest.fixture
def eager():
    """Run Celery tasks in this process, as they are sent."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestImportDoesNotWaitForTheGeocoder:
    def test_rows_without_coordinates_are_saved_at_once(
        self, api, chain, role_users, sleeping_geocoder, django_capture_on_commit_callbacks
    ):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = api(role_users["hq_admin"]).post(
                IMPORT_URL, {"brand": chain.brand.pk, "file": import_file(3)}
            )
        elapsed = time.monotonic() - started
        assert response.status_code == 201, response.content
        assert elapsed < 1.0, f"the import waited {elapsed:.1f} s on the geocoder"
        assert (response.json()["created"], response.json()["geocode_pending"]) == (3, 3)
        saved = Location.objects.filter(code__startswith="GEO-")
        assert saved.count() == 3
        assert not saved.filter(latitude__isnull=False).exists()
        assert len(callbacks) == 1  # the geocoding task, queued after the commit

    def test_dry_run_says_what_would_be_geocoded_without_asking(
        self, api, chain, role_users, sleeping_geocoder
    ):
        started = time.monotonic()
        response = api(role_users["hq_admin"]).post(
            IMPORT_URL, {"brand": chain.brand.pk, "file": import_file(3), "dry_run": True}
        )
        assert time.monotonic() - started < 1.0
        assert response.status_code == 200, response.content
        assert response.json()["geocode_pending"] == 3

    def test_the_task_brings_the_coordinates(
        self, api, chain, role_users, eager, settings, django_capture_on_commit_callbacks
    ):
        with nominatim_server() as stub:
            stub.add("1 Nanjing Road, Shanghai", 31.2351, 121.4753)
            settings.GEOCODER_DOMAIN, settings.GEOCODER_SCHEME = stub.domain, "http"
            settings.GEOCODER_MIN_DELAY = 0
            with django_capture_on_commit_callbacks(execute=True):
                response = api(role_users["hq_admin"]).post(
                    IMPORT_URL, {"brand": chain.brand.pk, "file": import_file(2)}
                )
            assert response.status_code == 201, response.content
        found = Location.objects.get(code="GEO-1")
        assert (float(found.latitude), float(found.longitude)) == (31.2351, 121.4753)
        assert Location.objects.get(code="GEO-2").latitude is None  # unknown to the geocoder

    def test_a_dead_broker_leaves_the_rows_pending_not_an_error(
        self, api, chain, role_users, settings, django_capture_on_commit_callbacks
    ):
        before = celery_app.conf.broker_url
        celery_app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
        try:
            started = time.monotonic()
            with django_capture_on_commit_callbacks(execute=True):
                response = api(role_users["hq_admin"]).post(
                    IMPORT_URL, {"brand": chain.brand.pk, "file": import_file(1)}
                )
            assert time.monotonic() - started < 5.0
        finally:
            celery_app.conf.broker_url = before
        assert response.status_code == 201, response.content
        assert Location.objects.get(code="GEO-1").latitude is None

    def test_the_command_geocodes_inline_within_the_budget(self, chain, sleeping_geocoder, settings):
        from locations.importing import locations_import

        settings.GEOCODER_BUDGET = 0.5  # one 1-second lookup starts, no second one
        started = time.monotonic()
        report = locations_import(brand=chain.brand, file=import_file(6), dry_run=True)
        elapsed = time.monotonic() - started
        assert elapsed < 2.5, f"{elapsed:.1f} s: the budget did not stop the lookups"
        assert len(report.errors) == 6  # each row says why it has no coordinates


# --- the tablet bootstrap ------------------------------------------------------------------------

BOOTSTRAP = "/api/tablet/bootstrap/"


def more_locations(chain, count: int) -> None:
    Location.objects.bulk_create(
        LocationFactory.build(
            brand=chain.brand, code=f"X{n:05d}", region=chain.north, latitude=30 + n / 1000, longitude=120
        )
        for n in range(count)
    )


class TestBootstrapIsBounded:
    @pytest.fixture
    def framework(self, chain):
        from tests.cx_audit.audit_helpers import published_framework

        return published_framework(chain.brand)

    def test_the_due_list_comes_in_pages_with_a_count(self, api, chain, role_users, framework):
        more_locations(chain, 250)
        client = api(role_users["hq_admin"])
        first = client.get(BOOTSTRAP, {"page_size": 100}).json()
        total = Location.objects.filter(brand=chain.brand, status="open").count()
        assert (len(first["locations"]), first["locations_count"]) == (100, total)
        assert "page=2" in first["locations_next"]
        default = client.get(BOOTSTRAP).json()
        assert len(default["locations"]) == 200
        pages = [client.get(BOOTSTRAP, {"page_size": 100, "page": n}).json() for n in (1, 2, 3)]
        codes = [row["code"] for page in pages for row in page["locations"]]
        assert len(codes) == len(set(codes)) == total
        assert pages[2]["locations_next"] is None

    def test_the_answer_does_not_grow_with_the_chain(self, api, chain, role_users, framework):
        client = api(role_users["hq_admin"])
        more_locations(chain, 250)
        big = len(client.get(BOOTSTRAP).content)
        more_locations_again = [
            LocationFactory.build(brand=chain.brand, code=f"Y{n:05d}", region=chain.north) for n in range(500)
        ]
        Location.objects.bulk_create(more_locations_again)
        bigger = len(client.get(BOOTSTRAP).content)
        assert bigger <= big * 1.05, (big, bigger)

    @pytest.mark.parametrize("extra", [10, 200])
    def test_query_count_is_constant(
        self, api, chain, role_users, framework, extra, django_assert_max_num_queries
    ):
        more_locations(chain, extra)
        client = api(role_users["hq_admin"])
        with django_assert_max_num_queries(12):
            response = client.get(BOOTSTRAP, {"position": "31.2,121.4"})
        assert response.status_code == 200

    def test_frameworks_are_sent_once_per_version(self, api, chain, role_users, framework):
        client = api(role_users["auditor"])
        body = client.get(BOOTSTRAP).json()
        assert [f["id"] for f in body["frameworks"]] == [framework.pk]
        assert body["framework_versions"] == [
            {"id": framework.pk, "brand": chain.brand.pk, "version": framework.version}
        ]
        again = client.get(BOOTSTRAP, {"have": f"{framework.pk}:{framework.version}"}).json()
        assert again["frameworks"] == []
        assert again["framework_versions"] == body["framework_versions"]
        older = client.get(BOOTSTRAP, {"have": f"{framework.pk}:{framework.version - 1}"}).json()
        assert [f["id"] for f in older["frameworks"]] == [framework.pk]

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"have": "x"}, "have"), ({"page": "0"}, "page"), ({"page_size": "5000"}, "page_size")],
    )
    def test_bad_parameters_are_400_naming_them(self, api, chain, role_users, params, field):
        response = api(role_users["auditor"]).get(BOOTSTRAP, params)
        assert response.status_code == 400
        assert field in response.json()


# --- near= -----------------------------------------------------------------------------------------

latitudes = st.floats(min_value=-89.9, max_value=89.9)
longitudes = st.floats(min_value=-180.0, max_value=180.0)
radii = st.floats(min_value=0.01, max_value=1000.0)
bearings = st.floats(min_value=0.0, max_value=360.0)
fractions = st.floats(min_value=0.0, max_value=1.0)


def in_ranges(near: Near, latitude: float, longitude: float) -> bool:
    min_lat, max_lat, _lo, _hi = near.box()
    return min_lat <= latitude <= max_lat and any(
        low <= longitude <= high for low, high in near.longitude_ranges()
    )


@settings(max_examples=400, deadline=None)
@given(latitudes, longitudes, radii, bearings, fractions)
def test_the_box_holds_every_point_of_the_circle_even_across_the_antimeridian(
    lat, lon, km, bearing, fraction
):
    """What the SQL filters on: ranges inside [-180, 180], no wrapping left to the database."""
    near = Near(lat, lon, km)
    point = geodesic(kilometers=km * fraction).destination((lat, lon), bearing)
    assert all(-180 <= low <= high <= 180 for low, high in near.longitude_ranges())
    assert in_ranges(near, point.latitude, point.longitude)


@settings(max_examples=400, deadline=None)
@given(latitudes, longitudes, radii, bearings, fractions)
def test_the_fitted_sphere_stays_within_the_tolerance_of_the_geodesic(lat, lon, km, bearing, fraction):
    """So the database's distance keeps every row inside and settles all but a thin edge."""
    from locations.geo import SPHERE_TOLERANCE, local_radius_km, sphere_km

    distance = km * fraction
    point = geodesic(kilometers=distance).destination((lat, lon), bearing)
    on_sphere = sphere_km(local_radius_km(lat), lat, lon, point.latitude, point.longitude)
    assert abs(on_sphere - distance) <= SPHERE_TOLERANCE * distance + 1e-6


def test_box_across_the_antimeridian_is_two_ranges():
    (east_low, east_high), (west_low, west_high) = Near(0, 179.9, 50).longitude_ranges()
    assert (east_high, west_low) == (180.0, -180.0)
    assert east_low == pytest.approx(179.9 - 0.4537, abs=0.01)
    assert west_high == pytest.approx(-180 + 0.4537 - 0.1, abs=0.01)


class TestNearAPI:
    def test_nearest_first_exact_distances_and_pages(self, api, chain, role_users):
        admin = role_users["hq_admin"]
        centre = (31.2304, 121.4737)
        Location.objects.filter(brand=chain.brand).update(latitude=None, longitude=None)
        for n in range(30):
            point = geodesic(kilometers=1 + n * 3.1).destination(centre, (n * 47) % 360)
            LocationFactory(
                brand=chain.brand,
                code=f"N{n:02d}",
                latitude=round(point.latitude, 6),
                longitude=round(point.longitude, 6),
            )
        client = api(admin)
        rows = []
        url = "/api/locations/"
        params = {"near": f"{centre[0]},{centre[1]},60", "page_size": 7}
        while url:
            body = client.get(url, params).json()
            rows += body["results"]
            url, params = body["next"], None
        expected = [f"N{n:02d}" for n in range(30) if 1 + n * 3.1 <= 60]
        assert [row["code"] for row in rows] == expected
        for row in rows:
            exact = geodesic(centre, (float(row["latitude"]), float(row["longitude"]))).km
            assert row["distance_km"] == pytest.approx(exact, abs=0.001)

    def test_the_edge_is_settled_by_the_exact_geodesic(self, api, chain, role_users):
        centre = (60.0, 10.0)  # far from the equator, where sphere and ellipsoid differ most
        inside = geodesic(kilometers=99.98).destination(centre, 0)
        outside = geodesic(kilometers=100.02).destination(centre, 90)
        LocationFactory(
            brand=chain.brand,
            code="IN",
            latitude=round(inside.latitude, 6),
            longitude=round(inside.longitude, 6),
        )
        LocationFactory(
            brand=chain.brand,
            code="OUT",
            latitude=round(outside.latitude, 6),
            longitude=round(outside.longitude, 6),
        )
        body = api(role_users["hq_admin"]).get("/api/locations/", {"near": "60,10,100"}).json()
        assert [row["code"] for row in body["results"]] == ["IN"]

    def test_a_radius_over_the_cap_is_400_naming_near(self, api, chain, role_users):
        response = api(role_users["hq_admin"]).get("/api/locations/", {"near": "31.2,121.4,5000"})
        assert response.status_code == 400
        assert "1000 km" in response.json()["near"][0]
