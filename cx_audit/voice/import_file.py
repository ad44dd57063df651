"""Reading feedback (no database): one check of a record, whatever way it came in, and the CSV file.

`check_record` is the one validation of every way in: a CSV row (all strings) and a JSON record of
the API go through it alike and come out as a `FeedbackIn` or as problems naming the field and the
reason. It is plain Python on purpose: a file of 100,000 rows is checked in about a second, where a
DRF serializer per row would take most of a minute. What needs the database — which location a
code names, which touchpoints and dimensions the brand's framework has — is looked up once per file
or request (`cx_audit.voice.importing`) and handed in as `RecordRules` and a location id.

The CSV reading follows the location import (`locations.import_file`): every problem is collected,
each by its physical line (header = 1) and column, so a person fixes a file in one go.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.utils.translation import gettext

from cx_audit.core.filters import EARLIEST, LATEST
from cx_audit.voice.choices import FeedbackChannel, Language
from cx_audit.voice.services import FeedbackIn
from locations.import_file import CONTROL_CHARACTERS, FileProblem, ImportIssue

COLUMNS: tuple[str, ...] = (
    "location_code",
    "channel",
    "external_id",
    "received_at",
    "nps",
    "csat",
    "effort",
    "comment",
    "language",
    "touchpoint_code",
    "customer_ref",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("location_code", "channel", "external_id", "received_at")
EXPECT_PREFIX = "expect_"  # one column per dimension asked: expect_service, expect_price, …
MAX_EXTERNAL_ID = 120  # Feedback.external_id
MAX_COMMENT = 4000
MAX_CUSTOMER_REF = 200
SCALES = {"nps": (0, 10), "csat": (1, 5), "effort": (1, 7)}
ONE_DECIMAL = Decimal("0.1")


class Problem(NamedTuple):
    """What is wrong with one field of one record (a CSV column, or a key of a JSON record)."""

    field: str
    message: str


@dataclass(frozen=True)
class RecordRules:
    """What a record of one brand may name: the touchpoint and dimension codes of the brand's
    published framework (none without one), and the site's time zone for times without an offset."""

    brand_slug: str
    touchpoints: frozenset[str]
    dimensions: frozenset[str]
    published: bool
    zone: tzinfo


# --- one record -----------------------------------------------------------------------------------


def check_record(
    values: Mapping[str, Any], rules: RecordRules, location_id: int
) -> tuple[FeedbackIn | None, list[Problem]]:
    """The record as `feedback_ingest` takes it, or every problem of its fields (never only the first).

    ``values`` is a CSV row (strings; an empty cell is a missing value) or a JSON object (numbers
    may be numbers, ``null`` is missing). The location is resolved by the caller, which knows
    whether the record names it by code or by id; ``expectations`` come as a JSON object or as
    ``expect_<dimension>`` cells.
    """
    problems: list[Problem] = []

    def keep(name: str, checked: tuple[Any, str | None]) -> Any:
        value, problem = checked
        if problem:
            problems.append(Problem(name, problem))
        return value

    record = {
        "channel": keep("channel", _channel(values.get("channel"))),
        "external_id": keep("external_id", _text(values.get("external_id"), MAX_EXTERNAL_ID, required=True)),
        "received_at": keep("received_at", _moment(values.get("received_at"), rules.zone)),
        "comment": keep("comment", _text(values.get("comment"), MAX_COMMENT)),
        "language": keep("language", _language(values.get("language"))),
        "touchpoint_code": keep("touchpoint_code", _touchpoint(values.get("touchpoint_code"), rules)),
        "customer_ref": keep("customer_ref", _text(values.get("customer_ref"), MAX_CUSTOMER_REF)),
        **{name: keep(name, _whole(values.get(name), *scale)) for name, scale in SCALES.items()},
    }
    expectations, bad = _expectations(values, rules)
    problems += bad
    if problems:
        return None, problems
    return FeedbackIn(location_id=location_id, expectations=expectations, **record), []


Checked = tuple[Any, str | None]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any, max_length: int, *, required: bool = False) -> Checked:
    """A string (a JSON integer is taken as its digits: CRMs number their records), stripped. Control
    characters are refused as in the location import: PostgreSQL cannot store a NUL, and a NUL in a
    customer reference (hashed, never stored) still means a broken export."""
    if _blank(value):
        return "", gettext("is required") if required else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return "", gettext("must be text")
    value = value.strip()
    if found := CONTROL_CHARACTERS.search(value):
        return "", gettext(
            "contains the control character U+%(code)04X, which cannot be stored; remove it"
        ) % {"code": ord(found.group())}
    if len(value) > max_length:
        return "", gettext("is %(length)s characters long; at most %(max)s") % {
            "length": len(value),
            "max": max_length,
        }
    return value, None


def _whole(value: Any, low: int, high: int) -> Checked:
    """A whole number in range: ``7`` or ``"7"``; ``"4.5"``, ``4.0`` and ``true`` are refused."""
    if _blank(value):
        return None, None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not low <= number <= high:
        shown = value if isinstance(value, str) else _json(value)
        return None, gettext("“%(value)s” is not a whole number from %(low)s to %(high)s") % {
            "value": shown,
            "low": low,
            "high": high,
        }
    return number, None


def _json(value: Any) -> str:
    return {True: "true", False: "false"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _moment(value: Any, zone: tzinfo) -> Checked:
    """An ISO 8601 date and time; without an offset it is the site's local time. Days outside
    2000–2100 are refused (as in every date filter): a typo there would skew every trend."""
    if _blank(value):
        return None, gettext("is required")
    example = "2024-05-01T14:30:00+08:00"
    if not isinstance(value, str):
        return None, gettext("must be an ISO 8601 date and time such as %s") % example
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, gettext("“%(value)s” is not an ISO 8601 date and time such as %(example)s") % {
            "value": value.strip(),
            "example": example,
        }
    if not EARLIEST <= moment.date() <= LATEST:
        return None, gettext("must lie between %(earliest)s and %(latest)s") % {
            "earliest": EARLIEST.isoformat(),
            "latest": LATEST.isoformat(),
        }
    return (moment.replace(tzinfo=zone) if moment.tzinfo is None else moment), None


def _channel(value: Any) -> Checked:
    if _blank(value):
        return "", gettext("is required")
    code = "_".join(str(value).strip().lower().replace("-", " ").split()) if isinstance(value, str) else None
    if code not in FeedbackChannel.values:
        return "", gettext("“%(value)s” is not a channel; use %(choices)s") % {
            "value": value,
            "choices": ", ".join(FeedbackChannel.values),
        }
    return code, None


def _language(value: Any) -> Checked:
    """zh or en; empty means "detect it from the comment"."""
    if _blank(value):
        return "", None
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in Language.values:
        return "", gettext(
            "“%(value)s” is not a language; use %(choices)s, or leave it empty to detect it"
        ) % {
            "value": value,
            "choices": " or ".join(Language.values),
        }
    return code, None


def _touchpoint(value: Any, rules: RecordRules) -> Checked:
    if _blank(value):
        return "", None
    code = value.strip() if isinstance(value, str) else str(value)
    if code in rules.touchpoints:
        return code, None
    if not rules.published:
        return "", gettext("“%(code)s”: brand %(brand)s has no published framework, so no touchpoint") % {
            "code": code,
            "brand": rules.brand_slug,
        }
    return "", gettext("unknown touchpoint “%(code)s” (not in the published framework of %(brand)s)") % {
        "code": code,
        "brand": rules.brand_slug,
    }


def _expectations(values: Mapping[str, Any], rules: RecordRules) -> tuple[dict[str, Decimal], list[Problem]]:
    """From a JSON ``expectations`` object, or from ``expect_<dimension>`` cells (empty: not asked)."""
    given = values.get("expectations")
    if given is not None and not isinstance(given, Mapping):
        return {}, [Problem("expectations", gettext("must be an object of dimension code → 0–10"))]
    if given is not None:
        cells = [("expectations", str(code), value) for code, value in given.items()]
    else:
        cells = [
            (name, name.removeprefix(EXPECT_PREFIX), value)
            for name, value in values.items()
            if name.startswith(EXPECT_PREFIX)
        ]
    found: dict[str, Decimal] = {}
    problems = []
    for field, code, value in cells:
        number, problem = _expectation(code, value, rules)
        if problem:
            problems.append(Problem(field, problem))
        elif number is not None:
            found[code] = number
    return found, problems


def _expectation(code: str, value: Any, rules: RecordRules) -> Checked:
    if code not in rules.dimensions:
        return None, gettext("unknown dimension “%(code)s” (not in the published framework of %(brand)s)") % {
            "code": code,
            "brand": rules.brand_slug,
        }
    if _blank(value):
        return None, None
    number = None
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
    if (
        number is None
        or not number.is_finite()
        or not 0 <= number <= 10
        or number != number.quantize(ONE_DECIMAL)
    ):
        return None, gettext("%(code)s: “%(value)s” is not a number from 0 to 10 (one decimal at most)") % {
            "code": code,
            "value": value,
        }
    return number.quantize(ONE_DECIMAL).normalize() + 0, None


# --- the CSV file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, str]


@dataclass
class ParsedFile:
    columns: tuple[str, ...]
    rows: list[RawRow]
    issues: list[ImportIssue]


def check_header(header: Sequence[str], rules: RecordRules) -> tuple[str, ...]:
    """The header's column names, normalised; unknown, repeated or missing columns are fatal, and so
    is an ``expect_`` column naming a dimension the brand's framework does not have."""
    columns = tuple(name.strip().lower() for name in header)
    if len(columns) == 1 and any(sep in columns[0] for sep in ";\t|"):
        message = gettext("the columns must be separated by commas (this file uses another separator)")
        raise FileProblem([ImportIssue(1, None, message)])
    issues = [_header_issue(position, name, rules) for position, name in enumerate(columns, start=1)]
    issues += [
        ImportIssue(1, name, gettext("the column appears more than once"))
        for name in dict.fromkeys(columns)
        if name and columns.count(name) > 1
    ]
    issues += [
        ImportIssue(1, name, gettext("required column is missing"))
        for name in REQUIRED_COLUMNS
        if name not in columns
    ]
    if found := [issue for issue in issues if issue is not None]:
        raise FileProblem(found)
    return columns


def _header_issue(position: int, name: str, rules: RecordRules) -> ImportIssue | None:
    if not name:
        return ImportIssue(1, None, gettext("column %s has no name") % position)
    if name.startswith(EXPECT_PREFIX):
        _value, problem = _expectation(name.removeprefix(EXPECT_PREFIX), "", rules)
        return ImportIssue(1, name, problem) if problem else None
    if name not in COLUMNS:
        known = ", ".join([*COLUMNS, EXPECT_PREFIX + "<dimension>"])
        return ImportIssue(1, name, gettext("unknown column; the columns are: %s") % known)
    return None


def parse_csv(text: str, rules: RecordRules) -> ParsedFile:
    """Rows keyed by column, each with the physical line it starts on (a quoted comment may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise FileProblem(
                [ImportIssue(None, None, gettext("the file is empty; the first line must name the columns"))]
            )
        columns = check_header(header, rules)
        rows, issues = _read_rows(reader, columns)
    except csv.Error as error:
        raise FileProblem([ImportIssue(reader.line_num, None, str(error))]) from None
    if not rows and not issues:
        raise FileProblem([ImportIssue(None, None, gettext("the file has a header but no rows"))])
    return ParsedFile(columns, rows, issues)


def _read_rows(reader: Any, columns: tuple[str, ...]) -> tuple[list[RawRow], list[ImportIssue]]:
    """The rows, and a problem for each row of the wrong width (left out of every further check);
    blank lines (a spreadsheet's trailing ",,,,") are skipped."""
    rows: list[RawRow] = []
    issues: list[ImportIssue] = []
    width = len(columns)
    line = reader.line_num + 1
    for cells in reader:
        filled = any(cell.strip() for cell in cells)
        if filled and len(cells) == width:
            rows.append(RawRow(line, dict(zip(columns, cells, strict=True))))
        elif filled:
            message = gettext("has %(found)s values, but the header names %(expected)s columns")
            issues.append(ImportIssue(line, None, message % {"found": len(cells), "expected": width}))
        line = reader.line_num + 1
    return rows, issues
