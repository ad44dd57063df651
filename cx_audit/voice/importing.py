"""Feedback in bulk: a CSV file checked as a whole, then stored as a whole or not at all, and the
API's records, checked the same way.

Everything a record may name — the brand's locations, its framework's touchpoints and dimensions —
is loaded once per file or request, so checking costs the same few queries however many rows come;
each row is then checked in plain Python (`cx_audit.voice.import_file.check_record`). Storing goes
through `feedback_ingest` alone, which skips external ids already stored: importing a file twice
stores it once.

A file or batch that repeats an external id is refused, naming both lines (or records): the two
copies usually differ — a corrected export appended to the first — and silently keeping one would
hide that the other was dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from cx_audit.core.permissions import administered_by
from cx_audit.voice.choices import FeedbackSource
from cx_audit.voice.import_file import (
    COLUMNS,
    EXPECT_PREFIX,
    Problem,
    RecordRules,
    check_record,
    parse_csv,
)
from cx_audit.voice.models import Feedback
from cx_audit.voice.services import FeedbackIn, IngestResult, feedback_ingest
from journeys.models import Dimension, FrameworkStatus, Touchpoint
from locations.import_file import FileProblem, ImportIssue, decode
from locations.models import Brand, Location

MAX_REPORTED = 1000  # issues listed in a report; the count says how many there were
LOOKUP_CHUNK = 2000  # external ids per "already stored?" query


def rules_for(brand: Brand) -> RecordRules:
    """The codes of the brand's published framework (three queries; one without a framework)."""
    framework = brand.frameworks.filter(status=FrameworkStatus.PUBLISHED).values_list("pk", flat=True).first()
    touchpoints = Touchpoint.objects.filter(stage__journey__framework_id=framework).values_list(
        "code", flat=True
    )
    dimensions = Dimension.objects.filter(framework_id=framework).values_list("code", flat=True)
    return RecordRules(
        brand_slug=brand.slug,
        touchpoints=frozenset(touchpoints) if framework else frozenset(),
        dimensions=frozenset(dimensions) if framework else frozenset(),
        published=framework is not None,
        zone=timezone.get_default_timezone(),
    )


def stored_ids(brand_id: int, external_ids: Iterable[str]) -> dict[str, int]:
    """External id → feedback id of those the brand already has (a query per 2,000 ids)."""
    wanted = list(dict.fromkeys(external_ids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        found.update(
            Feedback.objects.filter(brand_id=brand_id, external_id__in=chunk).values_list("external_id", "pk")
        )
    return found


# --- the CSV import -------------------------------------------------------------------------------


@dataclass
class FeedbackImportReport:
    """What an import did, or with ``dry_run`` would do; ``errors`` non-empty means nothing was written.

    ``errors`` lists the first `MAX_REPORTED` problems in file order; ``error_count`` counts them all.
    """

    rows: int = 0
    created: int = 0
    existing: int = 0  # external ids already stored: skipped, never duplicated nor changed
    recoveries: int = 0
    dry_run: bool = False
    errors: list[ImportIssue] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and self.created > 0

    def fail(self, issues: Sequence[ImportIssue]) -> FeedbackImportReport:
        ordered = sorted(issues, key=_position)
        self.errors, self.error_count = ordered[:MAX_REPORTED], len(ordered)
        self.created = self.existing = self.recoveries = 0
        return self

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "existing": self.existing,
            "recoveries": self.recoveries,
            "dry_run": self.dry_run,
        }


def _position(issue: ImportIssue) -> tuple[int, int]:
    order = (*COLUMNS, "expectations")
    column = issue.column or ""
    rank = order.index(column) if column in order else len(order) + column.startswith(EXPECT_PREFIX)
    return (issue.line or 0, rank)


def feedback_import(*, brand: Brand, file: IO[bytes] | IO[str], dry_run: bool) -> FeedbackImportReport:
    """Check a CSV file of feedback as a whole and, if every row is clean, store the new records.

    Guarantees: every problem is reported in one pass (line, column, reason); nothing is written
    unless the whole file is clean (`feedback_ingest` is one transaction); rows whose external id
    the brand already has are counted as existing and left as stored, so a re-import creates none.
    The checks take a fixed number of queries; the rows are checked in plain Python.
    """
    report = FeedbackImportReport(dry_run=dry_run)
    rules = rules_for(brand)
    try:
        parsed = parse_csv(decode(file.read()), rules)
    except FileProblem as problem:
        return report.fail(problem.issues)
    report.rows = len(parsed.rows)
    location_of = dict(Location.objects.filter(brand=brand).values_list("code", "pk"))
    records, issues = _check_rows(parsed.rows, rules, location_of, brand.slug)
    if issues := parsed.issues + issues:
        return report.fail(issues)
    if dry_run:
        report.existing = len(stored_ids(brand.pk, (record.external_id for record in records)))
        report.created = len(records) - report.existing
        return report
    try:
        result = feedback_ingest(brand=brand, records=records, source=FeedbackSource.CSV)
    except ValidationError as error:  # a location deleted between the check and the write
        return report.fail([ImportIssue(None, "location_code", "; ".join(error.messages))])
    report.created, report.existing, report.recoveries = result.created, result.existing, result.recoveries
    return report


def _check_rows(
    rows: Sequence[Any], rules: RecordRules, location_of: Mapping[str, int], brand_slug: str
) -> tuple[list[FeedbackIn], list[ImportIssue]]:
    records: list[FeedbackIn] = []
    issues: list[ImportIssue] = []
    first_line: dict[str, int] = {}
    for row in rows:
        code = row.values["location_code"].strip()
        location_id = location_of.get(code)
        record, problems = check_record(row.values, rules, location_id or 0)
        if location_id is None:
            problems.insert(0, Problem("location_code", _no_location(code, brand_slug)))
        external_id = row.values["external_id"].strip()
        if external_id and (line := first_line.setdefault(external_id, row.line)) != row.line:
            problems.append(Problem("external_id", _repeated(external_id, gettext("line"), line)))
        issues += [ImportIssue(row.line, problem.field, problem.message) for problem in problems]
        if record is not None and not problems:
            records.append(record)
    return records, issues


def _no_location(code: str, brand_slug: str) -> str:
    if not code:
        return gettext("is required")
    return gettext("no location with code “%(code)s” in brand %(brand)s") % {
        "code": code,
        "brand": brand_slug,
    }


def _repeated(external_id: str, where: str, first: int) -> str:
    return gettext("external id “%(id)s” is already used on %(where)s %(first)s") % {
        "id": external_id,
        "where": where,
        "first": first,
    }


# --- the API's records ----------------------------------------------------------------------------

API_FIELDS = frozenset({*COLUMNS, "location", "expectations"})


@dataclass(frozen=True)
class RecordProblem:
    """One problem of one record of a request: its index in the batch (0 for a single record)."""

    index: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "message": self.message}


@dataclass
class CheckedRecords:
    """The records of a request, by brand (the brand is the location's), with their index."""

    by_brand: dict[int, list[tuple[int, FeedbackIn]]] = field(default_factory=dict)
    brands: dict[int, Brand] = field(default_factory=dict)
    problems: list[RecordProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Stored:
    """What became of one record: the stored feedback's id, and whether this request created it."""

    index: int
    id: int
    external_id: str
    created: bool


MAX_ID = 2**63 - 1  # the largest primary key a database column holds (a larger one overflows the query)


def _an_id(value: Any) -> bool:
    """An integer that could be a row's id (JSON's true is not 1, and 10**30 is no id)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


class _Locations:
    """The locations the records name, among those the user may add feedback to (one query).

    A record names its location by ``location`` (the id) or ``location_code``; a code that several
    of the user's brands use is ambiguous and must be given by id. Another brand's location is
    answered exactly like one that does not exist.
    """

    def __init__(self, user: Any, items: Sequence[Mapping[str, Any]]) -> None:
        ids = {item.get("location") for item in items} - {None}
        codes = {item.get("location_code") for item in items} - {None}
        wanted = Q(pk__in=[i for i in ids if _an_id(i)])
        wanted |= Q(code__in=[c.strip() for c in codes if isinstance(c, str)])
        rows = administered_by(Location.objects.filter(wanted), user).values_list("pk", "code", "brand_id")
        self.brand_of: dict[int, int] = {}
        self.by_code: dict[str, list[int]] = {}
        for pk, code, brand_id in rows:
            self.brand_of[pk] = brand_id
            self.by_code.setdefault(code, []).append(pk)

    def find(self, item: Mapping[str, Any]) -> tuple[int | None, Problem | None]:
        by_id, code = item.get("location"), item.get("location_code")
        if (by_id is None) == (code is None):
            return None, Problem("location", gettext("give either location (the id) or location_code"))
        if by_id is not None:
            if _an_id(by_id) and by_id in self.brand_of:
                return by_id, None
            return None, Problem(
                "location", gettext("no location with id “%s” you may add feedback to") % by_id
            )
        found = self.by_code.get(code.strip(), []) if isinstance(code, str) else []
        if len(found) == 1:
            return found[0], None
        if found:
            return None, Problem(
                "location_code", gettext("several of your brands use this code; give location")
            )
        return None, Problem(
            "location_code", gettext("no location with code “%s” you may add feedback to") % code
        )


def records_check(*, user: Any, items: Sequence[Any]) -> CheckedRecords:
    """Check a request's records (JSON objects) for a user who may add feedback: each problem by
    the record's index and field. Queries: one for the locations, then four per brand named (`rules_for`)."""
    checked = CheckedRecords()
    mappings = [item if isinstance(item, Mapping) else {} for item in items]
    locations = _Locations(user, mappings)
    rules: dict[int, RecordRules] = {}
    first_index: dict[tuple[int, str], int] = {}
    for index, (item, values) in enumerate(zip(items, mappings, strict=True)):
        if not isinstance(item, Mapping):
            checked.problems.append(RecordProblem(index, "non_field_errors", gettext("must be an object")))
            continue
        problems = [Problem(name, gettext("unknown field")) for name in values if name not in API_FIELDS]
        location_id, problem = locations.find(values)
        brand_id = locations.brand_of.get(location_id) if location_id else None
        if brand_id is not None and brand_id not in rules:
            checked.brands[brand_id] = Brand.objects.get(pk=brand_id)
            rules[brand_id] = rules_for(checked.brands[brand_id])
        record, more = check_record(values, rules[brand_id], location_id) if brand_id else (None, [])
        problems += ([problem] if problem else []) + more
        if record is not None and not problems:
            key = (brand_id, record.external_id)
            if (first := first_index.setdefault(key, index)) != index:
                problems.append(
                    Problem("external_id", _repeated(record.external_id, gettext("record"), first))
                )
            else:
                checked.by_brand.setdefault(brand_id, []).append((index, record))
        checked.problems += [RecordProblem(index, p.field, p.message) for p in problems]
    return checked


def records_ingest(checked: CheckedRecords) -> tuple[IngestResult, list[Stored]]:
    """Store clean records, all brands in one transaction (all or nothing), and say per record
    which feedback holds it and whether it is new."""
    created = existing = recoveries = 0
    stored: list[Stored] = []
    with transaction.atomic():
        for brand_id, indexed in checked.by_brand.items():
            records = [record for _index, record in indexed]
            result = feedback_ingest(
                brand=checked.brands[brand_id], records=records, source=FeedbackSource.API
            )
            created, existing = created + result.created, existing + result.existing
            recoveries += result.recoveries
            new = set(result.created_ids)
            ids = stored_ids(brand_id, (record.external_id for record in records))
            stored += [
                Stored(index, ids[record.external_id], record.external_id, ids[record.external_id] in new)
                for index, record in indexed
            ]
    stored.sort(key=lambda item: item.index)
    return IngestResult(created, existing, recoveries, tuple(s.id for s in stored if s.created)), stored
