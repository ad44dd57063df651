"""Location import files for the benchmark and the tests: N clean rows, or with K known-bad rows.

Each bad row breaks exactly one rule, so a check that reports every problem must answer
exactly the (line, column) pairs listed in ``expected``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from locations.import_file import COLUMNS

Row = dict[str, str]
CITIES = (
    ("Shanghai", 1, 31.2304, 121.4737),
    ("Suzhou", 2, 31.2990, 120.5853),
    ("Luoyang", 3, 34.6197, 112.4540),
)


@dataclass(frozen=True)
class BadKind:
    """One way to break a row: the column that must be reported and how to break it."""

    column: str
    breaks: Callable[[Row, Row, str], None]  # (row, the file's first row, a franchisee code)


def _set(column: str, value: str) -> Callable[[Row, Row, str], None]:
    def breaks(row: Row, first: Row, franchisee: str) -> None:
        row[column] = value

    return breaks


def _authorized_without_franchisee(row: Row, first: Row, franchisee: str) -> None:
    row.update(outlet_type="authorized", franchisee="")


def _direct_with_franchisee(row: Row, first: Row, franchisee: str) -> None:
    row.update(outlet_type="direct", franchisee=franchisee)


def _duplicate_code(row: Row, first: Row, franchisee: str) -> None:
    row["code"] = first["code"]


BAD_KINDS: tuple[BadKind, ...] = (
    BadKind("city_tier", _set("city_tier", "7")),
    BadKind("city_tier", _set("city_tier", "big")),
    BadKind("outlet_type", _set("outlet_type", "shop")),
    BadKind("status", _set("status", "gone")),
    BadKind("latitude", _set("latitude", "95")),
    BadKind("longitude", _set("longitude", "")),
    BadKind("latitude", _set("latitude", "north")),
    BadKind("franchisee", _authorized_without_franchisee),
    BadKind("franchisee", _direct_with_franchisee),
    BadKind("franchisee", _set("franchisee", "NO-SUCH-PARTNER")),
    BadKind("region", _set("region", "NO-SUCH-REGION")),
    BadKind("floor_area", _set("floor_area", "-5")),
    BadKind("annual_revenue", _set("annual_revenue", "-1")),
    BadKind("opening_date", _set("opening_date", "2024-13-01")),
    BadKind("name", _set("name", "")),
    BadKind("city", _set("city", "")),
    BadKind("code", _set("code", "X" * 41)),
    BadKind("country", _set("country", "CHN")),
    BadKind("code", _duplicate_code),
    BadKind("outlet_type", _set("outlet_type", "")),
)


@dataclass
class LocationFile:
    rows: list[Row]
    expected: list[tuple[int, str]]  # (line, column) of every bad row, header = line 1

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return out.getvalue()


def good_row(index: int, franchisees: Sequence[str], regions: Sequence[str], prefix: str = "S") -> Row:
    """A clean row; every third is a direct store in a tier-1 city, the others partner outlets."""
    city, tier, latitude, longitude = CITIES[0] if index % 3 == 0 else CITIES[index % len(CITIES)]
    direct = index % 3 == 0
    return {
        "code": f"{prefix}{index:05d}",
        "name": f"Store {index}",
        "outlet_type": "direct" if direct else "authorized",
        "franchisee": "" if direct else franchisees[index % len(franchisees)],
        "region": regions[index % len(regions)],
        "address": f"{index} Nanjing Road",
        "city": city,
        "country": "CN",
        "latitude": f"{latitude + index / 100000:.6f}",
        "longitude": f"{longitude + index / 100000:.6f}",
        "city_tier": str(tier),
        "status": "open",
        "opening_date": (date(2015, 1, 1) + timedelta(days=index)).isoformat(),
        "floor_area": f"{80 + index % 200}.5",
        "annual_revenue": f"{1_000_000 + index * 1000}.00",
    }


def location_file(rows: int, bad: int, franchisees: Sequence[str], regions: Sequence[str]) -> LocationFile:
    """``rows`` rows of which ``bad`` (spread through the file) each break one rule."""
    if bad > rows - 1:
        raise ValueError("At least one row must stay clean (duplicates point at the first row).")
    data = [good_row(index, franchisees, regions) for index in range(rows)]
    step = max(1, (rows - 1) // max(bad, 1))
    expected: list[tuple[int, str]] = []
    for number in range(bad):
        index = 1 + number * step
        kind = BAD_KINDS[number % len(BAD_KINDS)]
        kind.breaks(data[index], data[0], franchisees[0])
        expected.append((index + 2, kind.column))
    return LocationFile(data, expected)
