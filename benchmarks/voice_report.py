"""The voice benchmark's figures as text (what `benchmarks/voice.py` prints)."""

from __future__ import annotations

from typing import Any

IMPORT_TARGET_S = 60


def report_import(result: dict[str, Any]) -> str:
    rows = result["rows"]
    warm = result["warm_s"]
    verdict = "met" if warm < IMPORT_TARGET_S and result["cold_s"] < IMPORT_TARGET_S else "MISSED"
    lines = [
        f"Feedback import, {rows:,} rows ({result['bytes'] / 1e6:.1f} MB CSV, generated in "
        f"{result['generated_s']:.1f} s), PostgreSQL, each run rolled back",
        f"  first import in a fresh process: {result['cold_s']:.1f} s "
        f"({rows / result['cold_s']:,.0f} rows/s)",
        f"  median of {len(result['warm_all'])}: {warm:.1f} s ({rows / warm:,.0f} rows/s) "
        f"[{', '.join(f'{s:.1f}' for s in result['warm_all'])}] — target < {IMPORT_TARGET_S} s: {verdict}",
        f"  stored: {result['stored']['feedback']:,} feedback, {result['stored']['tags']:,} tags, "
        f"{result['stored']['recoveries']:,} recovery actions; {result['statements']:,} SQL statements",
        f"  dry run (decode, parse, validate, look up external ids): {result['dry_s']:.1f} s",
        f"  the same file again right after (all {rows:,} found, nothing written): {result['again_s']:.1f} s",
        f"  where the time goes (one instrumented run, {result['split_total_s']:.1f} s):",
    ]
    split = result["split"]
    accounted = 0.0
    sql_in_bulk = sum(seconds for name, (seconds, _n) in split.items() if name.startswith("sql: insert"))
    for name, (seconds, calls) in sorted(split.items(), key=lambda item: -item[1][0]):
        if name.startswith("sql: insert"):
            note = " (inside bulk_create)"
        else:
            accounted += seconds
            note = ""
        lines.append(f"    {name:<34} {seconds:6.2f} s  {calls:>7,} calls{note}")
    rest = result["split_total_s"] - accounted
    lines.append(f"    {'rest (Python between the steps)':<34} {rest:6.2f} s")
    lines.append(f"    (SQL inserts inside bulk_create: {sql_in_bulk:.2f} s)")
    return "\n".join(lines)


def report_dashboard(result: dict[str, Any], runs: int) -> str:
    lines = [
        f"Voice dashboard, {result['locations']:,} locations × {result['feedback']:,} feedback rows "
        f"({result['tags']:,} tags), as an HQ analyst; median of {runs} runs after a warm-up"
    ]
    if "generated" in result:
        lines.append(f"  generated with COPY in {result['generated']['seconds']:.0f} s")
    for name, entry in result["cases"].items():
        text = f"  {name:<58} {entry['api_ms']:9.1f} ms  {entry['queries']:>3} queries"
        if entry.get("floor_ms"):
            text += f" · floor {entry['floor_ms']:8.1f} ms · ×{entry['api_ms'] / entry['floor_ms']:.2f}"
        lines.append(text)
    if result.get("parts"):
        lines.append("  the dashboard page's parts (selectors called directly, median):")
        for name, entry in result["parts"].items():
            lines.append(f"    {name:<40} {entry['ms']:8.1f} ms  {entry['queries']:>3} queries")
    return "\n".join(lines)
