"""Insight tables as rows: one shape for the page, the JSON API and the CSV export.

A table is a list of frozen dataclass rows; its columns are the dataclass fields, in order, so
the API, the CSV header and the OpenAPI schema can never disagree. Values are already rounded
where they are made; here they are only written out: decimals as exact text ("75.00"), times
in the brand's local time (ISO 8601), tuples as lists (JSON) or "a; b" (CSV), nothing as null
(JSON) or an empty cell (CSV).

Long tables are read a page at a time: `QueryRows` asks the database for one page with the total
alongside (``COUNT(*) OVER ()``), so a page is one query however long the table is. `read_page`
is the one paging of every table, page and API alike; what a request may ask of a table (its
ordering, ``by``…) is read by the table's declaration (`catalogue`), and anything it cannot read
is a `BadParameter` naming the parameter (a 400 on either side).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import Any, Protocol

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cx_audit.core.csvsafe import safe_cell

PAGE_SIZE = 50  # rows on a page of any table, unless it says otherwise


class BadParameter(ValueError):
    """A query parameter a table cannot read: a 400 naming ``field`` (the API's JSON, the page's form)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class UnknownOrdering(BadParameter):
    """An ``ordering`` the table does not offer; the message lists those it does."""

    def __init__(self, value: str, allowed: Iterable[str]) -> None:
        super().__init__("ordering", f"Unknown ordering {value!r}; use one of: {', '.join(allowed)}.")


class PastTheEnd(LookupError):
    """A page after the last one (404)."""


def whole_number(
    params: Mapping[str, str], name: str, default: int, *, message: str, highest: int | None = None
) -> int:
    """A paging parameter (``page``, ``page_size``): ``default`` when absent, else 1 to ``highest``."""
    raw = params.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (highest is not None and int(raw) > highest):
        raise BadParameter(name, message)
    return int(raw)


class RowSource(Protocol):
    def page(self, offset: int, limit: int | None) -> tuple[list[Any], int]:
        """Rows [offset, offset + limit) (all from offset when limit is None) and the table's length."""


@dataclasses.dataclass
class ListRows:
    """A table already computed in full (a few hundred rows at most: one per standard, region…)."""

    rows: Sequence[Any]

    def page(self, offset: int, limit: int | None) -> tuple[list[Any], int]:
        end = None if limit is None else offset + limit
        return list(self.rows[offset:end]), len(self.rows)


@dataclasses.dataclass
class QueryRows:
    """A table read from the database a page at a time.

    ``queryset`` yields dicts (``.values()``) carrying the table length in a ``total`` column
    (``Window(Count("pk"))``); ``convert`` makes a row of each; ``enrich`` may add to the rows of
    one page with one more query (key experiences, say) — never one per row.
    """

    queryset: QuerySet
    convert: Callable[[dict], Any]
    enrich: Callable[[list[Any]], list[Any]] | None = None

    def page(self, offset: int, limit: int | None) -> tuple[list[Any], int]:
        end = None if limit is None else offset + limit
        values = list(self.queryset[offset:end])
        # Past the end, or an empty table, the length needs asking.
        total = values[0]["total"] if values else self.queryset.count() if offset else 0
        rows = [self.convert(value) for value in values]
        return (self.enrich(rows) if self.enrich and rows else rows), total


@dataclasses.dataclass
class RowsPage:
    """One page of a table (shaped like Django's paginator page, for includes/pagination.html)."""

    rows: list[Any]
    number: int
    size: int
    count: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def paginator(self) -> RowsPage:
        return self

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size


def read_page(source: RowSource, number: int, size: int) -> RowsPage:
    """Page ``number`` (from 1) of ``size`` rows; `PastTheEnd` for an empty page after the first."""
    rows, total = source.page((number - 1) * size, size)
    if not rows and number > 1:
        raise PastTheEnd(number)
    return RowsPage(rows, number, size, total)


@cache
def _names(row_type: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(row_type))


@dataclasses.dataclass
class SqlRows:
    """A table read with SQL text a page at a time; the last column of each row is the table's length."""

    sql: str
    params: list
    convert: Callable[[tuple], Any]
    enrich: Callable[[list[Any]], list[Any]] | None = None

    def page(self, offset: int, limit: int | None) -> tuple[list[Any], int]:
        sql, params = self.sql, list(self.params)
        if limit is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        elif offset:
            sql, params = (
                f"{sql} LIMIT -1 OFFSET %s" if connection.vendor == "sqlite" else f"{sql} OFFSET %s",
                [
                    *params,
                    offset,
                ],
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            values = cursor.fetchall()
            if values:
                total = values[0][-1]
            elif offset:
                cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) counted", self.params)
                total = cursor.fetchone()[0]
            else:
                total = 0
        rows = [self.convert(value) for value in values]
        return (self.enrich(rows) if self.enrich and rows else rows), total


_PLACES = {2: Decimal("0.01"), 4: Decimal("0.0001")}


def db_decimal(value: Any, places: int = 2) -> Decimal | None:
    """A decimal column (a score: two places; points: four) as fetched by raw SQL: a Decimal on
    PostgreSQL, an int or float on SQLite (rounded back to the column's places)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(_PLACES[places])


def db_datetime(value: Any) -> datetime | None:
    """A timestamp as fetched by raw SQL: aware on PostgreSQL; on SQLite UTC, as text or (for a
    column read straight from a table) a naive datetime."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return parse_datetime(value).replace(tzinfo=UTC)


def columns(row_type: type) -> list[str]:
    return list(_names(row_type))


_PLAIN = (str, int, bool, float, type(None))


def _json(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")  # "0.00", never "0E-2": the schema's DECIMAL_PATTERN
    if isinstance(value, datetime):
        return value.astimezone(timezone.get_current_timezone()).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_json(part) for part in value]
    if isinstance(value, dict):
        return {key: _json(part) for key, part in value.items()}
    return value


def record(row: Any) -> dict[str, Any]:
    """A row as JSON-ready values, in column order."""
    return {name: _json(getattr(row, name)) for name in _names(type(row))}


def _joined(value: Any) -> str:
    return "; ".join(str(part) for part in value)


def _cell(value: Any) -> Any:
    """What the csv module should write for a value (it writes None as "" and str()s the rest)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(timezone.get_current_timezone()).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return _joined(value)
    return value


# Declared types whose values are never text a person typed: left as they are (a negative change
# stays a number). Every other column goes through `safe_cell`.
_NOT_TEXT = frozenset({"int", "float", "Decimal", "bool", "datetime", "date", "None"})


@cache
def _text_columns(row_type: type, header: tuple[str, ...]) -> tuple[int, ...]:
    """The columns that may hold text (names, codes, reasons, joined lists), by their declared types;
    a column the row does not declare counts as text."""
    hints = {field.name: str(field.type) for field in dataclasses.fields(row_type)}
    return tuple(
        index
        for index, name in enumerate(header)
        if name not in hints or not set(hints[name].replace(" ", "").split("|")) <= _NOT_TEXT
    )


@cache
def _special_columns(row_type: type, header: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """The columns the csv module would misspell (bools, times, lists), by their declared types."""
    hints = {field.name: str(field.type) for field in dataclasses.fields(row_type)}
    kinds = ("bool", "datetime", "date", "tuple", "list", "dict")  # datetime before date
    found = []
    for index, name in enumerate(header):
        kind = next((kind for kind in kinds if hints.get(name, "").startswith(kind)), None)
        if kind:
            found.append((index, kind))
    return tuple(found)


def csv_text(header: Sequence[str], rows: Iterable[Any]) -> str:
    """CSV (RFC 4180, with a header row) of dataclass rows, or of dicts keyed by the header's names.

    Dataclass rows are written straight from their fields (the csv module writes None as "" and
    numbers and text as they are), converting only bools, times and lists: an export of the whole
    chain is 10,000 rows, and every microsecond per row shows (docs/benchmarks.md).

    Every cell that may hold text — the header too, whose codes HQ names — goes through
    `cx_audit.core.csvsafe.safe_cell`, so a location named "=HYPERLINK(…)" is never a formula in
    the spreadsheet (numbers are left alone: only text columns are looked at).
    """
    rows = list(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    if not rows or isinstance(rows[0], dict):
        writer.writerows([safe_cell(_cell(entry.get(name))) for name in header] for entry in rows)
        return out.getvalue()
    tz = timezone.get_current_timezone()
    convert = {
        "bool": lambda value: "" if value is None else "true" if value else "false",
        "datetime": lambda value: "" if value is None else value.astimezone(tz).isoformat(),
        "date": lambda value: "" if value is None else value.isoformat(),
        "tuple": _joined,
        "list": _joined,
        "dict": str,
    }
    header = tuple(header)
    getter = attrgetter(*header) if len(header) > 1 else (lambda row: (getattr(row, header[0]),))
    special = [(index, convert[kind]) for index, kind in _special_columns(type(rows[0]), header)]
    text = _text_columns(type(rows[0]), header)
    for row in rows:
        values = list(getter(row))
        for index, change in special:
            values[index] = change(values[index])
        for index in text:
            values[index] = safe_cell(values[index])
        writer.writerow(values)
    return out.getvalue()


DECIMAL_PATTERN = r"^-?\d+(?:\.\d+)?$"


@cache
def schema_serializer(row_type: type) -> type:
    """A DRF serializer describing ``row_type`` for the OpenAPI document (never used to render)."""
    from drf_spectacular.utils import extend_schema_field
    from rest_framework import serializers

    # Decimals are JSON strings ("85.62"), as DRF writes every DecimalField (COERCE_DECIMAL_TO_STRING):
    # exact, unlike a binary float. OpenApiTypes.DECIMAL would say "number".
    @extend_schema_field({"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN})
    class DecimalText(serializers.CharField):
        pass

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    class TextList(serializers.CharField):
        pass

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string", "format": "decimal", "nullable": True}}
    )
    class DecimalsByCode(serializers.CharField):
        """Scores keyed by a code (section or region), e.g. {"signage": "80.00", "display": null}."""

    kinds = {
        "int": serializers.IntegerField,
        "str": serializers.CharField,
        "bool": serializers.BooleanField,
        "Decimal": DecimalText,
        "datetime": serializers.DateTimeField,
        "date": serializers.DateField,
        "tuple[str, ...]": TextList,
        "dict[str, Decimal | None]": DecimalsByCode,
    }
    fields = {}
    for field in dataclasses.fields(row_type):
        hint = str(field.type)
        nullable = hint.endswith(" | None") and not hint.startswith("dict")
        kind = kinds.get(
            hint if hint.startswith("dict") else hint.removesuffix(" | None"), serializers.CharField
        )
        fields[field.name] = kind(allow_null=nullable, read_only=True)
    return type(f"Insight{row_type.__name__}Serializer", (serializers.Serializer,), fields)
