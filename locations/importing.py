"""The location import: a CSV file checked as a whole, then written as a whole, or not at all.

A person fixing a file wants every problem at once, each with the line they see in their
editor and the column to fix, so the checks never stop at the first error. The rules are the
model's own (field validators, choices and ``Location.clean()``); only what needs the chain
(franchisee and region codes, duplicate codes) is checked here, against dictionaries loaded
once, so checking a file costs the same few queries however long it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from cx_audit.core.history import bulk_create_tracked, bulk_update_tracked
from locations.geocoding import (
    AddressQuery,
    Geocoder,
    Progress,
    cached_answers,
    no_progress,
    quantize_coordinate,
)
from locations.import_file import (
    COLUMNS,
    FileProblem,
    ImportIssue,
    RawRow,
    decode,
    parse_csv,
)
from locations.models import CITY_TIERS, Brand, Franchisee, Location, Region

LOOKUP_COLUMNS = {"franchisee": Franchisee, "region": Region}
COORDINATE_COLUMNS = ("latitude", "longitude")
ADDRESS_FIELDS = ("address", "city", "country")
# Checked here against the chain, not by the model (its check would be one query per row).
NOT_MODEL_CHECKED = ["brand", "franchisee", "region"]
WRITE_BATCH = 500


@dataclass
class ImportReport:
    """What an import did, or with ``dry_run`` would do; ``errors`` non-empty means nothing was written."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # existing locations the file repeats exactly; not written
    geocoded: int = 0
    geocode_pending: int = 0  # rows left without coordinates for the geocoding task
    dry_run: bool = False
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "geocoded": self.geocoded,
            "geocode_pending": self.geocode_pending,
            "dry_run": self.dry_run,
            "warnings": [issue.as_dict() for issue in self.warnings],
        }


@dataclass
class ChainIndex:
    """The brand's franchisees, regions and locations by code, loaded once for the whole file."""

    brand: Brand
    franchisees: dict[str, Franchisee]
    regions: dict[str, Region]
    locations: dict[str, Location]

    @classmethod
    def load(cls, brand: Brand) -> ChainIndex:
        return cls(
            brand=brand,
            franchisees={f.code: f for f in Franchisee.objects.filter(brand=brand)},
            regions={r.code: r for r in Region.objects.filter(brand=brand)},
            locations={
                loc.code: loc
                for loc in Location.objects.filter(brand=brand).select_related("franchisee", "region")
            },
        )


@dataclass
class Candidate:
    """One checked row: the location as it would be saved, and whether it needs geocoding."""

    line: int
    location: Location
    is_new: bool
    issues: list[ImportIssue]
    original: dict[str, Any] = field(default_factory=dict)  # an existing location's stored values
    address_query: AddressQuery | None = None

    def changed_fields(self) -> list[str]:
        """The columns whose value differs from what is stored (all of them for a new location)."""
        return [name for name in COLUMNS if self.original.get(name, _NEW) != _stored(self.location, name)]


_NEW = object()


def _stored(location: Location, name: str) -> Any:
    return getattr(location, Location._meta.get_field(name).attname)


def check_row(row: RawRow, columns: tuple[str, ...], chain: ChainIndex, *, geocode: bool) -> Candidate:
    """Apply one row to a new or existing location and validate it with the model's own rules."""
    existing = chain.locations.get(row.values["code"])
    location = existing or Location(brand=chain.brand)
    location.brand = chain.brand  # so the model's rules read the brand without a query
    original = {name: _stored(location, name) for name in COLUMNS} if existing else {}
    issues = _apply_values(location, row, columns, chain)
    issues += _model_issues(location, row.line, skip={issue.column for issue in issues})
    candidate = Candidate(row.line, location, existing is None, issues, original)
    if not any(row.values.get(name) for name in COORDINATE_COLUMNS):
        _plan_coordinates(candidate, geocode=geocode)
    return candidate


def _apply_values(
    location: Location, row: RawRow, columns: tuple[str, ...], chain: ChainIndex
) -> list[ImportIssue]:
    """Set the row's values on the location; a column the file lacks leaves the field as it is."""
    issues: list[ImportIssue] = []
    for name in columns:
        raw = row.values[name]
        if name in LOOKUP_COLUMNS:
            issue = _apply_lookup(location, name, raw, chain, row.line)
            issues += [issue] if issue else []
        else:
            setattr(location, name, _model_value(name, raw))
    return issues


def _apply_lookup(
    location: Location, name: str, code: str, chain: ChainIndex, line: int
) -> ImportIssue | None:
    """Franchisee and region are given by their code within the brand."""
    known: dict[str, Any] = getattr(chain, f"{name}s")
    setattr(location, name, known.get(code) if code else None)
    if code and code not in known:
        label = LOOKUP_COLUMNS[name]._meta.verbose_name
        message = gettext("no %(kind)s with code “%(code)s” in brand %(brand)s")
        return ImportIssue(line, name, message % {"kind": label, "code": code, "brand": chain.brand.slug})
    return None


def _model_value(name: str, raw: str) -> Any:
    """The cell as the model field expects it before validation; an empty cell means the default."""
    model_field = Location._meta.get_field(name)
    if name in ("outlet_type", "status"):
        raw = "_".join(raw.lower().split())
    elif name == "country":
        raw = raw.upper()
    elif name in COORDINATE_COLUMNS and raw:
        # GIS tools and geocoders give more decimals than the six the model keeps (0.1 m).
        number = quantize_coordinate(raw)
        return raw if number is None else number
    elif isinstance(model_field, models.DecimalField) and raw:
        return _without_trailing_zeros(raw, model_field.decimal_places)
    if raw:
        return raw
    if model_field.has_default():
        return model_field.get_default()
    return "" if isinstance(model_field, models.CharField) and not model_field.null else None


def _without_trailing_zeros(raw: str, places: int) -> Any:
    """Spreadsheets write 120.50 for 120.5; only zeros are dropped, a real extra digit stays an error."""
    try:
        number = Decimal(raw)
        short = number.quantize(Decimal(1).scaleb(-places))
    except (InvalidOperation, ValueError):
        return raw
    return short if short == number else raw


def _model_issues(location: Location, line: int, skip: set[str | None]) -> list[ImportIssue]:
    """The model's field validators, choices and clean(); unique checks and constraints are
    left out because Django runs them as one query each, per row."""
    try:
        location.full_clean(exclude=NOT_MODEL_CHECKED, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            ImportIssue(line, column, _readable(column, item))
            for name, items in error.error_dict.items()
            for column in [None if name == NON_FIELD_ERRORS else name]
            if column not in skip
            for item in items
        ]
    return []


def _readable(column: str | None, error: ValidationError) -> str:
    """The model's message, said the way a person filling a spreadsheet needs it."""
    if error.code in ("blank", "null"):
        return gettext("is required")
    if column == "city_tier" and error.code in ("min_value", "max_value"):
        return gettext("must be %s") % _one_of(str(tier) for tier in CITY_TIERS)
    if error.code == "invalid_choice" and column:
        choices = Location._meta.get_field(column).choices or []
        return gettext("“%(value)s” is not valid; use %(choices)s") % {
            "value": error.params["value"],
            "choices": _one_of(str(value) for value, _label in choices),
        }
    return "; ".join(_as_clause(message) for message in error.messages)


def _as_clause(message: str) -> str:
    """Django's "Ensure this value ….", said like ours: "ensure this value …" after the column."""
    message = message.strip().removesuffix(".")
    if len(message) > 1 and message[0].isupper() and message[1].islower():
        message = message[0].lower() + message[1:]
    return message


def _one_of(values: Iterable[str]) -> str:
    items = list(values)
    return gettext("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _plan_coordinates(candidate: Candidate, *, geocode: bool) -> None:
    """Without coordinates in the file: keep the known ones if the address did not change,
    else ask the geocoder (if allowed and the address is valid)."""
    location, before = candidate.location, candidate.original
    known = not candidate.is_new and before["latitude"] is not None
    if known and all(getattr(location, name) == before[name] for name in ADDRESS_FIELDS):
        location.latitude, location.longitude = before["latitude"], before["longitude"]
        return
    location.latitude = location.longitude = None
    bad_columns = {issue.column for issue in candidate.issues}
    if geocode and location.address and not bad_columns & set(ADDRESS_FIELDS):
        candidate.address_query = AddressQuery(location.address, location.city, location.country)


def check_duplicates(rows: Iterable[RawRow]) -> list[ImportIssue]:
    """A code used twice in one file: reported on the second use, naming the first line."""
    first_line: dict[str, int] = {}
    issues: list[ImportIssue] = []
    for row in rows:
        code = row.values["code"]
        if code in first_line:
            message = gettext("code “%(code)s” is already used on line %(line)s")
            issues.append(ImportIssue(row.line, "code", message % {"code": code, "line": first_line[code]}))
        elif code:
            first_line[code] = row.line
    return issues


def policy_warnings(candidates: Iterable[Candidate]) -> list[ImportIssue]:
    """Direct stores in cities the brand does not allow them in: imported, but HQ should see them."""
    message = gettext(
        "a direct store in a tier-%(tier)s city; the brand allows direct stores up to tier %(max)s"
    )
    return [
        ImportIssue(
            c.line,
            "city_tier",
            message % {"tier": c.location.city_tier, "max": c.location.brand.direct_max_city_tier},
        )
        for c in candidates
        if not c.issues and c.location.breaks_city_policy
    ]


# --- the service --------------------------------------------------------------------------------


def locations_import(
    *,
    brand: Brand,
    file: IO[bytes] | IO[str],
    dry_run: bool,
    geocode: bool = True,
    geocode_later: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a CSV file of locations as a whole and, if every row is clean, upsert them by code.

    Guarantees: every problem is reported in one pass (line, column, reason); nothing is written
    unless the whole file is clean (one transaction); coordinates in the file win over geocoding;
    each address is geocoded at most once, ever (the cache survives failed and dry runs).
    With ``geocode_later`` (web requests) only cached answers are used here: the other rows are
    saved without coordinates and a Celery task looks them up after the commit.
    """
    progress = progress or no_progress
    report = ImportReport(dry_run=dry_run)
    try:
        parsed = parse_csv(decode(file.read()))
    except FileProblem as problem:
        report.errors = problem.issues
        return report
    report.rows = len(parsed.rows)
    chain = ChainIndex.load(brand)
    rows = progress(parsed.rows, total=len(parsed.rows), desc=gettext("Checking rows"))
    candidates = [check_row(row, parsed.columns, chain, geocode=geocode) for row in rows]
    if geocode_later:
        report.geocoded, report.geocode_pending = _geocode_from_cache(candidates)
    else:
        report.geocoded = _geocode(candidates, progress)
    issues = parsed.issues + check_duplicates(parsed.rows) + [i for c in candidates for i in c.issues]
    report.errors = sorted(issues, key=ImportIssue.sort_key)
    report.warnings = policy_warnings(candidates)
    report.created = sum(c.is_new for c in candidates)
    report.updated = sum(not c.is_new and bool(c.changed_fields()) for c in candidates)
    report.unchanged = len(candidates) - report.created - report.updated
    if report.ok and not dry_run:
        _write(candidates, report)
        if geocode_later and report.ok:
            _queue_geocoding(candidates)
    return report


def _geocode(candidates: list[Candidate], progress: Progress) -> int:
    """Fill in coordinates from the geocoder; an address it cannot place is an error on the row."""
    pending = [(c, c.address_query) for c in candidates if c.address_query is not None]
    if not pending:
        return 0
    answers = Geocoder().geocode_many([query for _c, query in pending], progress=progress)
    geocoded = 0
    for candidate, query in pending:
        answer = answers[query.key]
        if answer.found:
            candidate.location.latitude, candidate.location.longitude = answer.latitude, answer.longitude
            geocoded += 1
        else:
            candidate.issues.append(ImportIssue(candidate.line, "address", answer.error or _not_found(query)))
    return geocoded


def _geocode_from_cache(candidates: list[Candidate]) -> tuple[int, int]:
    """What the cache already knows (no network): coordinates, or "no such place" as a row error
    like the inline lookup's. Returns (placed, left for the task)."""
    pending = [(c, c.address_query) for c in candidates if c.address_query is not None]
    answers = cached_answers(query.key for _c, query in pending)
    placed = left = 0
    for candidate, query in pending:
        answer = answers.get(query.key)
        if answer is None:
            left += 1
        elif answer.found:
            candidate.location.latitude, candidate.location.longitude = answer.latitude, answer.longitude
            placed += 1
        else:
            candidate.issues.append(ImportIssue(candidate.line, "address", _not_found(query)))
    return placed, left


def _queue_geocoding(candidates: list[Candidate]) -> None:
    """The written rows still without coordinates go to the geocoding task (after the commit)."""
    from locations.tasks import geocode_later  # Celery is loaded only when a request needs it

    geocode_later(
        [c.location.pk for c in candidates if c.address_query is not None and c.location.latitude is None]
    )


def _not_found(query: AddressQuery) -> str:
    return gettext(
        "no place found for “%(query)s”; check the address and city, or give latitude and longitude"
    ) % {"query": query.text}


def _write(candidates: list[Candidate], report: ImportReport) -> None:
    """Everything or nothing, in a few bulk statements (not one save per row).

    Only changed rows are updated, and only in the columns that changed somewhere: Django's
    bulk_update builds one CASE branch per row and field, which is what costs time.
    """
    now = timezone.now()
    new = [c.location for c in candidates if c.is_new]
    changed = {c.location.pk: c.changed_fields() for c in candidates if not c.is_new}
    fields = [name for name in COLUMNS if any(name in names for names in changed.values())]
    existing = [c.location for c in candidates if changed.get(c.location.pk)]
    if not new and not existing:
        return
    for location in existing:
        location.updated_at = now  # bulk_update skips auto_now
    try:
        with transaction.atomic():
            # With one change-history row per location, written in bulk too (issue 12, finding 10).
            bulk_create_tracked(Location, new, batch_size=WRITE_BATCH)
            if existing:
                bulk_update_tracked(Location, existing, [*fields, "updated_at"], batch_size=WRITE_BATCH)
    except IntegrityError as error:
        # Someone changed the brand's chain between the check and the write (e.g. a parallel import).
        message = gettext(
            "the brand's locations changed during the import; nothing was imported, run it again"
        )
        report.errors = [ImportIssue(None, None, f"{message} ({error})")]
        report.created = report.updated = report.unchanged = 0
