"""``make bench``: the customer's voice (issue 13) on PostgreSQL — the feedback import and the dashboard.

Two parts, each in a process of its own (Django is set up once per process, on one database of the
server at ``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432``):

1. **The import** (``BENCH_VOICE_IMPORT`` rows, default 100,000; 0 skips): a realistic CRM export
   (`voice_data.feedback_csv`) over the 1,000 locations of ``cx_audit_bench_voice_import``, imported
   through the real path — `importing.feedback_import` (the CSV checked as a whole) →
   `services.feedback_ingest` (masking, hashing, tagging, recovery actions, bulk inserts) — each
   run in a transaction rolled back. Reported: the first import in a fresh process, the median
   of ``--import-runs``, rows per second, and where the time goes (`voice_import`).
2. **The dashboard** at each ``BENCH_VOICE`` size ``<locations>x<feedback>`` (default
   ``1000x100000``; the issue's size is ``10000x1000000``; empty skips): a database
   ``cx_audit_bench_voice_<L>_<F>`` filled once with a year of feedback by COPY
   (`voice_data.load`, with progress bars; kept for later runs, ``--regenerate`` rebuilds it), then
   the pages and endpoints timed as an HQ analyst against hand-written SQL floors checked equal
   (`voice_measure`).

Figures are medians; they are recorded in docs/benchmarks.md by hand, never asserted in tests.
``--check-text`` checks the comment composer's filler against the real tagger (`voice_text`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

from benchmarks.insights import ensure_bench_database, machine, postgres_reachable, server_url

DEFAULT_SIZES = "1000x100000"
IMPORT_ROWS = 100_000
IMPORT_LOCATIONS = 1000
IMPORT_DATABASE = "cx_audit_bench_voice_import"


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``"1000x100000,10000x1000000"`` → [(1000, 100000), (10000, 1000000)]."""
    sizes = []
    for part in text.replace(" ", "").split(","):
        if part:
            locations, _x, feedback = part.lower().partition("x")
            sizes.append((int(locations), int(feedback)))
    return sizes


def database_name(locations: int, feedback: int) -> str:
    return f"cx_audit_bench_voice_{locations}_{feedback}"


def setup_django(name: str) -> None:
    os.environ["DATABASE_URL"] = f"{server_url()}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cx_audit.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def child_import(rows: int, runs: int, fill: bool) -> dict[str, Any]:
    setup_django(IMPORT_DATABASE)
    if fill:
        from benchmarks.voice_data import load_chain_only

        load_chain_only(IMPORT_LOCATIONS)
    from benchmarks.voice_import import measure_import

    return measure_import(rows, runs)


def child_dashboard(locations: int, feedback: int, runs: int, fill: bool) -> dict[str, Any]:
    setup_django(database_name(locations, feedback))
    result: dict[str, Any] = {}
    if fill:
        from benchmarks.voice_data import load

        start = time.perf_counter()
        counts = load(locations, feedback)
        result["generated"] = {"seconds": time.perf_counter() - start, **counts}
        print(f"  generated in {result['generated']['seconds']:.0f} s", file=sys.stderr)
    from benchmarks.voice_measure import measure

    return {**result, **measure(locations, feedback, runs)}


def run_child(arguments: list[str]) -> dict[str, Any]:
    sys.stdout.flush()
    command = [sys.executable, "-m", "benchmarks.voice", *arguments]
    child = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def check_text() -> int:
    """The comment composer's fillers must carry no lexicon word (`voice_text.tagged_fillers`)."""
    from benchmarks.voice_text import tagged_fillers

    found = tagged_fillers()
    for filler, terms in found:
        print(f"filler tagged: {filler!r} -> {terms}")
    print("fillers: none tagged" if not found else f"fillers: {len(found)} tagged")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_VOICE", DEFAULT_SIZES))
    parser.add_argument(
        "--import-rows", type=int, default=int(os.environ.get("BENCH_VOICE_IMPORT", IMPORT_ROWS) or 0)
    )
    parser.add_argument(
        "--import-runs", type=int, default=int(os.environ.get("BENCH_VOICE_IMPORT_RUNS", "3"))
    )
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument(
        "--check-text", action="store_true", help="check that no comment filler is tagged, then stop"
    )
    parser.add_argument("--child-import", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-dashboard", help=argparse.SUPPRESS)
    parser.add_argument("--fill", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check_text:
        return check_text()
    if args.child_import:
        print(json.dumps(child_import(args.child_import, args.import_runs, args.fill)))
        return 0
    if args.child_dashboard:
        ((locations, feedback),) = parse_sizes(args.child_dashboard)
        print(json.dumps(child_dashboard(locations, feedback, args.runs, args.fill), default=str))
        return 0
    if not postgres_reachable():
        print(f"Voice benchmark skipped: no PostgreSQL at {server_url()} (set BENCH_DATABASE_URL).")
        return 0
    from benchmarks.voice_report import report_dashboard, report_import

    print(f"Customer's voice benchmark ({machine()})")
    results: dict[str, Any] = {"machine": machine(), "import": None, "dashboard": []}
    if args.import_rows > 0:
        fill = ensure_bench_database(IMPORT_DATABASE, args.regenerate)
        arguments = ["--child-import", str(args.import_rows), "--import-runs", str(args.import_runs)]
        results["import"] = run_child(arguments + (["--fill"] if fill else []))
        print(report_import(results["import"]))
    for locations, feedback in parse_sizes(args.sizes):
        fill = ensure_bench_database(database_name(locations, feedback), args.regenerate)
        arguments = ["--child-dashboard", f"{locations}x{feedback}", "--runs", str(args.runs)]
        results["dashboard"].append(run_child(arguments + (["--fill"] if fill else [])))
        print(report_dashboard(results["dashboard"][-1], args.runs))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
