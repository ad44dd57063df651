"""``make bench``: audit scoring (no database), then the location import on a throwaway SQLite
database, then the chain insights on PostgreSQL (`benchmarks.insights`, at ``BENCH_SIZES``
locations — 1,000 by default, empty to skip; each size in a process of its own), then the
customer's voice on PostgreSQL (`benchmarks.voice`: ``BENCH_VOICE_IMPORT`` feedback rows imported,
100,000 by default, 0 or empty to skip; the dashboard at ``BENCH_VOICE`` sizes
``<locations>x<feedback>``, 1000x100000 by default, empty to skip); figures printed.

The baseline comes from the import issue: a 1,000-row file with 30 bad rows must report all
30 errors in one pass, and the fixed file must import in under 10 s. Results are recorded in
docs/benchmarks.md; timings are never asserted in tests (machines differ).
"""

from __future__ import annotations

import io
import itertools
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROWS = 1000
BAD_ROWS = 30
REPEAT = 5
FRANCHISEES = [f"F{n:02d}" for n in range(1, 21)]
REGIONS = [f"R{n:02d}" for n in range(1, 9)]


def setup_django(database: Path) -> None:
    """Point the project at a fresh SQLite file and migrate it (before any model is imported)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cx_audit.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def make_brand() -> Any:
    from locations.models import Brand, Franchisee, Region

    brand = Brand.objects.create(name="Bench", slug="bench")
    Franchisee.objects.bulk_create(Franchisee(brand=brand, code=c, name=f"Partner {c}") for c in FRANCHISEES)
    Region.objects.bulk_create(Region(brand=brand, code=c, name=f"Region {c}") for c in REGIONS)
    return brand


@dataclass
class Timing:
    seconds: float  # median wall time
    queries: int  # SQL statements of the last run
    result: Any  # what the last run returned


def timed(action: Callable[[], Any], *, repeat: int = REPEAT, rollback: bool = True) -> Timing:
    """Run ``action`` ``repeat`` times, each in a transaction rolled back unless told not to."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    for _ in range(repeat):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = action()
            times.append(time.perf_counter() - start)
            transaction.set_rollback(rollback)
    return Timing(statistics.median(times), len(queries), result)


def importer(brand: Any, text: str, **options: Any) -> Callable[[], Any]:
    from locations.importing import locations_import

    data = text.encode()
    return lambda: locations_import(brand=brand, file=io.BytesIO(data), **options)


def bench_validation_and_import(brand: Any) -> list[str]:
    from benchmarks.location_csv import location_file
    from locations.models import Location

    bad = location_file(ROWS, BAD_ROWS, FRANCHISEES, REGIONS)
    fixed = location_file(ROWS, 0, FRANCHISEES, REGIONS).csv()
    check = timed(importer(brand, bad.csv(), dry_run=False))
    found = [(issue.line, issue.column) for issue in check.result.errors]
    assert found == bad.expected, "the benchmark file's errors are not the expected 30"
    assert not Location.objects.exists(), "a bad file must write nothing"
    create = timed(importer(brand, fixed, dry_run=False))
    assert create.result.created == ROWS
    timed(importer(brand, fixed, dry_run=False), repeat=1, rollback=False)  # now they exist
    update = timed(importer(brand, fixed.replace("Store", "Shop"), dry_run=False))
    assert update.result.updated == ROWS
    rewrite = timed(importer(brand, _every_column_changed(), dry_run=False))
    assert rewrite.result.updated == ROWS
    return [
        f"bad file, {ROWS} rows / {BAD_ROWS} bad: {len(found)} errors in one pass, "
        f"{check.seconds:.3f} s, {check.queries} queries, nothing written",
        f"fixed file, {ROWS} new rows (coordinates given): {create.seconds:.3f} s, {create.queries} queries",
        f"same file, {ROWS} names changed: {update.seconds:.3f} s, {update.queries} queries",
        f"same codes, {ROWS} rows with 12 of 15 columns changed: {rewrite.seconds:.3f} s, "
        f"{rewrite.queries} queries",
    ]


def _every_column_changed() -> str:
    """Each code gets the next row's values: nearly every column of every row differs."""
    from benchmarks.location_csv import LocationFile, location_file

    rows = location_file(ROWS + 1, 0, FRANCHISEES, REGIONS).rows
    shifted = [after | {"code": row["code"]} for row, after in itertools.pairwise(rows)]
    return LocationFile(shifted, []).csv()


def bench_geocoding(brand: Any) -> list[str]:
    """Our overhead around geocoding, against a local Nominatim with no rate limit."""
    from django.test import override_settings

    from benchmarks.location_csv import LocationFile, location_file
    from tests.locations.nominatim_server import nominatim_server

    rows = location_file(ROWS, 0, FRANCHISEES, REGIONS).rows
    for row in rows:
        row.update(code="G" + row["code"], latitude="", longitude="")
    text = LocationFile(rows, []).csv()
    with nominatim_server() as stub:
        for row in rows:
            stub.add(f"{row['address']}, {row['city']}", 31.2, 121.4)
        with override_settings(GEOCODER_DOMAIN=stub.domain, GEOCODER_SCHEME="http", GEOCODER_MIN_DELAY=0):
            first = timed(importer(brand, text, dry_run=True), repeat=1, rollback=False)  # fills the cache
            asked = len(stub.requests)
            again = timed(importer(brand, text, dry_run=True))
    assert first.result.geocoded == again.result.geocoded == ROWS
    return [
        f"{ROWS} rows without coordinates, local Nominatim, nothing cached (1 run): "
        f"{first.seconds:.3f} s, {asked} geocoder requests",
        f"same rows again, all cached: {again.seconds:.3f} s, "
        f"{len(stub.requests) - asked} geocoder requests, {again.queries} queries",
        f"(the public Nominatim at GEOCODER_MIN_DELAY=1.0 needs at least {ROWS} s for {ROWS} new addresses)",
    ]


def bench_scorecard_pdf(media: Path) -> list[str]:
    from benchmarks.scorecard_pdf import bench_scorecard_pdf as bench

    return bench(media)


def machine() -> str:
    import django
    from django.db import connection

    cpus = os.cpu_count()
    return (
        f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}, "
        f"Django {django.get_version()}, SQLite {connection.Database.sqlite_version}"
    )


def bench_scoring() -> float:
    """The pure scoring engine on a 150-item audit; runs before Django is even set up."""
    from benchmarks.scoring import main as scoring_main

    print("Audit scoring benchmark (cx_audit/audits/scoring.py, pure Python, no database)")
    return scoring_main(indent="  ")


def main() -> int:
    bench_scoring()
    with tempfile.TemporaryDirectory(prefix="cx_audit_bench_") as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        brand = make_brand()
        lines = [machine(), *bench_validation_and_import(brand), *bench_geocoding(brand)]
        pdf_lines = bench_scorecard_pdf(Path(folder) / "media")
    print(f"Location import benchmark (median of {REPEAT} runs unless noted)")
    for line in lines:
        print(f"  {line}")
    print("Scorecard PDF benchmark (benchmarks/scorecard_pdf.py, WeasyPrint, SQLite)")
    for line in pdf_lines:
        print(f"  {line}")
    insights = bench_insights()
    voice = bench_voice()
    return insights or voice


def bench_insights() -> int:
    """The insights need PostgreSQL and a database per size, so they run in processes of their own."""
    import subprocess

    sizes = os.environ.get("BENCH_SIZES", "1000").strip()
    if not sizes:
        print("Chain insights benchmark skipped (BENCH_SIZES is empty).")
        return 0
    sys.stdout.flush()
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.insights", "--sizes", sizes], check=False
    ).returncode


def bench_voice() -> int:
    """The feedback import and the voice dashboard: PostgreSQL, a process per part (`benchmarks.voice`,
    which reads ``BENCH_VOICE`` and ``BENCH_VOICE_IMPORT`` itself)."""
    import subprocess

    sizes = os.environ.get("BENCH_VOICE", "1000x100000").strip()
    rows = os.environ.get("BENCH_VOICE_IMPORT", "100000").strip()
    if not sizes and rows in ("", "0"):
        print("Customer's voice benchmark skipped (BENCH_VOICE and BENCH_VOICE_IMPORT are empty).")
        return 0
    sys.stdout.flush()
    command = [sys.executable, "-m", "benchmarks.voice", "--sizes", sizes, "--import-rows", rows or "0"]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
