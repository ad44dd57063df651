"""``make bench BENCH_SIZES=1000,5000,10000``: the chain insights on PostgreSQL at chain scale.

For each size N, a database ``cx_audit_bench_<N>`` (on the server of ``BENCH_DATABASE_URL``,
default ``postgres://postgres@127.0.0.1:5432``) is created, migrated and filled once by
`benchmarks.insights_data` (COPY, with a progress bar; kept for the next run, ``--regenerate``
to rebuild). Then, in one run, each endpoint is timed through the API (a fresh user per request,
as a real request loads it) side by side with

  (a) the floor: hand-written SQL computing the same result on the same data (`insights_sql`);
  (b) the naive way: a per-location ORM loop (`insights_naive`), at 1,000 locations only.

Each size runs in its own process (Django is set up once per process, on that size's database).
Figures are medians of ``--runs`` runs after one warm-up; results go to docs/benchmarks.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
NAIVE_SIZE = 1000


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER).rstrip("/")


def database_name(size: int) -> str:
    return f"cx_audit_bench_{size}"


def postgres_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{server_url()}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def ensure_database(size: int, regenerate: bool) -> bool:
    """Create the size's database if needed; True when it must be (re)filled."""
    return ensure_bench_database(database_name(size), regenerate)


def ensure_bench_database(name: str, regenerate: bool) -> bool:
    """Create the database ``name`` if needed (dropped first with ``regenerate``); True when it must
    be (re)filled: new, or without the bench brand a finished fill leaves."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and regenerate:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    with psycopg.connect(f"{server_url()}/{name}") as conn:
        try:
            ready = conn.execute("SELECT count(*) FROM locations_brand WHERE slug = 'bench'").fetchone()
        except psycopg.Error:
            return True
    return not ready or ready[0] == 0


def timed(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time (ms) of ``runs`` runs after one warm-up, and the last result."""
    result = action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def run_size(size: int, runs: int, fill: bool) -> dict[str, Any]:
    """In a process of its own: set Django up on the size's database, fill it if asked, measure."""
    os.environ["DATABASE_URL"] = f"{server_url()}/{database_name(size)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cx_audit.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if fill:
        from benchmarks.insights_data import load

        start = time.perf_counter()
        load(size)
        print(f"  generated {size:,} locations in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    from benchmarks.insights_measure import measure

    return measure(size, runs, naive=size == NAIVE_SIZE)


def machine() -> str:
    import psycopg

    with psycopg.connect(f"{server_url()}/postgres") as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL {version}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000"))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process for one size
    parser.add_argument("--fill", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_size(args.one, args.runs, args.fill)))
        return 0
    if not postgres_reachable():
        print(f"Insights benchmark skipped: no PostgreSQL at {server_url()} (set BENCH_DATABASE_URL).")
        return 0
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    print(f"Chain insights benchmark ({machine()}; median of {args.runs} runs)")
    results = []
    for size in sizes:
        fill = ensure_database(size, args.regenerate)
        command = [sys.executable, "-m", "benchmarks.insights", "--one", str(size), "--runs", str(args.runs)]
        child = subprocess.run(
            command + (["--fill"] if fill else []), stdout=subprocess.PIPE, text=True, check=True
        )
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    from benchmarks.insights_measure import report

    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
