"""Reading a location CSV file (no database): encoding, header and rows, each problem by line and column.

Every problem is collected, never only the first, so a person fixing a file fixes it in one go."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "outlet_type",
    "franchisee",
    "region",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "city_tier",
    "status",
    "opening_date",
    "floor_area",
    "annual_revenue",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("code", "name", "outlet_type", "city", "city_tier")


@dataclass(frozen=True)
class ImportIssue:
    """One problem, where a person would look for it: the physical line (header = 1) and column."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is not None and self.column:
            return gettext("line %(line)s, column %(column)s: %(message)s") % self.as_dict()
        if self.line is not None:
            return gettext("line %(line)s: %(message)s") % self.as_dict()
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}

    def sort_key(self) -> tuple[int, int]:
        position = COLUMNS.index(self.column) if self.column in COLUMNS else -1
        return (self.line or 0, position)


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, header); no row is looked at."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, str]


@dataclass
class ParsedFile:
    columns: tuple[str, ...]
    rows: list[RawRow]
    issues: list[ImportIssue]


# --- reading the file (no database) -------------------------------------------------------------


def decode(data: bytes | str) -> str:
    """UTF-8 text, with or without a byte-order mark (Excel writes one)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = gettext(
            "the file is not UTF-8 text (bad byte at position %(position)s); "
            "save it as “CSV UTF-8” and upload it again"
        ) % {"position": error.start}
        raise FileProblem([ImportIssue(None, None, message)]) from None


def check_header(header: Sequence[str]) -> tuple[str, ...]:
    """The header's column names, normalised; unknown, repeated or missing columns are fatal."""
    columns = tuple(name.strip().lower() for name in header)
    if len(columns) == 1 and any(sep in columns[0] for sep in ";\t|"):
        message = gettext("the columns must be separated by commas (this file uses another separator)")
        raise FileProblem([ImportIssue(1, None, message)])
    issues = [
        ImportIssue(1, name, gettext("unknown column; the columns are: %s") % ", ".join(COLUMNS))
        for name in columns
        if name and name not in COLUMNS
    ]
    issues += [
        ImportIssue(1, None, gettext("column %s has no name") % position)
        for position, name in enumerate(columns, start=1)
        if not name
    ]
    issues += [
        ImportIssue(1, name, gettext("the column appears more than once"))
        for name in dict.fromkeys(columns)
        if name in COLUMNS and columns.count(name) > 1
    ]
    issues += [
        ImportIssue(1, name, gettext("required column is missing"))
        for name in REQUIRED_COLUMNS
        if name not in columns
    ]
    if issues:
        raise FileProblem(issues)
    return columns


def parse_csv(text: str) -> ParsedFile:
    """Rows keyed by column, each with the physical line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise FileProblem(
                [ImportIssue(None, None, gettext("the file is empty; the first line must name the columns"))]
            )
        columns = check_header(header)
        rows, issues = _read_rows(reader, columns)
    except csv.Error as error:
        raise FileProblem([ImportIssue(reader.line_num, None, str(error))]) from None
    if not rows and not issues:
        raise FileProblem([ImportIssue(None, None, gettext("the file has a header but no rows"))])
    return ParsedFile(columns, rows, issues)


# Control characters no cell may hold: PostgreSQL refuses NUL in text (the import used to pass
# its dry run, then fail on saving), and the others are never meant in a name or an address.
# Tab, line feed and carriage return stay allowed (a quoted address may span lines).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_issues(line: int, values: dict[str, str]) -> list[ImportIssue]:
    """One issue per cell holding a control character, naming the first one as U+XXXX."""
    issues = []
    for column, value in values.items():
        if found := CONTROL_CHARACTERS.search(value):
            message = gettext(
                "contains the control character U+%(code)04X, which cannot be stored; remove it"
            ) % {"code": ord(found.group())}
            issues.append(ImportIssue(line, column, message))
    return issues


def _read_rows(reader: Any, columns: tuple[str, ...]) -> tuple[list[RawRow], list[ImportIssue]]:
    """The rows, and a problem for each row of the wrong width or holding a control character
    (such a row is left out of every further check: its values must not reach the database)."""
    rows: list[RawRow] = []
    issues: list[ImportIssue] = []
    line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            if len(cells) == len(columns):
                values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
                bad = control_character_issues(line, values)
                issues += bad
                if not bad:
                    rows.append(RawRow(line, values))
            else:
                message = gettext("has %(found)s values, but the header names %(expected)s columns")
                issues.append(
                    ImportIssue(line, None, message % {"found": len(cells), "expected": len(columns)})
                )
        line = reader.line_num + 1
    return rows, issues


# --- checking rows against the model and the chain (no query per row) --------------------------
