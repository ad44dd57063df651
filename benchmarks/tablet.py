"""``python -m benchmarks.tablet [--locations 50000]``: the tablet bootstrap and ``?near=`` on a big brand.

Finding 11 of issue 12: a brand of 50,000 locations made ``/api/tablet/bootstrap/`` answer
13.6 MB in 5.6–9 s and ``/api/locations/?near=`` take 13 s. This builds such a brand on a
throwaway SQLite file (locations spread over eastern China, a quarter of them within 300 km of
Shanghai), signs in an HQ admin (who sees every location) and times the requests through
Django's test client: response bytes, wall time (median of 3) and SQL statements.
Results are recorded in docs/benchmarks.md; never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run import setup_django

REPEAT = 3
SHANGHAI = (31.2304, 121.4737)


def make_chain(size: int) -> Any:
    """One brand with ``size`` open locations and an HQ admin; returns the admin."""
    from django.contrib.auth import get_user_model

    from cx_audit.core.choices import Role
    from locations.models import Brand, Location, Membership

    rng = random.Random(11)
    brand = Brand.objects.create(name="Big", slug="big")
    locations = []
    for n in range(size):
        if n % 4 == 0:  # a quarter near Shanghai
            lat, lon = SHANGHAI[0] + rng.uniform(-2.5, 2.5), SHANGHAI[1] + rng.uniform(-2.5, 2.5)
        else:
            lat, lon = rng.uniform(22, 40), rng.uniform(100, 122)
        locations.append(
            Location(
                brand=brand,
                code=f"L{n:06d}",
                name=f"Store {n}",
                outlet_type="direct",
                address=f"{n} Road",
                city=f"City {n % 300}",
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                city_tier=1 + n % 4,
            )
        )
    Location.objects.bulk_create(locations, batch_size=2000)
    user = get_user_model().objects.create_user("hq", password="x")
    Membership.objects.create(user=user, brand=brand, role=Role.HQ_ADMIN)
    return user


def measure(client: Any, url: str) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    size = len(response.content)
    seconds = statistics.median(times)
    return f"{url}: {size / 1e6:.2f} MB ({size:,} bytes), {seconds:.2f} s, {len(queries)} queries"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=50_000)
    size = parser.parse_args().locations
    os.environ.setdefault("DJANGO_DEBUG", "1")  # a local run: the development settings
    with tempfile.TemporaryDirectory(prefix="cx_audit_bench_") as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.test import Client

        user = make_chain(size)
        client = Client()
        client.force_login(user)
        here = f"{SHANGHAI[0]},{SHANGHAI[1]}"
        print(f"Tablet and near= benchmark, {size:,} locations in one brand (SQLite, median of {REPEAT})")
        for url in (
            "/api/tablet/bootstrap/",
            f"/api/tablet/bootstrap/?position={here}",
            f"/api/locations/?near={here},5",
            f"/api/locations/?near={here},50",
            f"/api/locations/?near={here},300",
            f"/api/locations/?near={here},300&page=5",
        ):
            print("  " + measure(client, url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
