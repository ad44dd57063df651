"""The feedback import at 100,000 rows, through the real path, with where the time goes.

`measure_import` writes the file (`voice_data.feedback_csv`), then times
`cx_audit.voice.importing.feedback_import` — what ``manage.py import_feedback`` and the API upload
call — on it, each run in a transaction rolled back:

- **cold**: the first import of the process: jieba loads its dictionary and the brand's tagger is
  built (`tagging.tagger_for`), as the first import after a worker starts;
- **warm**: the median of ``runs`` more;
- **dry run**: the checks alone (``dry_run=True``: decode, parse, validate, the "already stored?"
  lookups), median of ``runs``;
- **again**: the same file once more right after importing it (every external id found, nothing
  written), in the same transaction;
- **split**: one more run with timers around the steps — decoding, parsing and validating the
  file, masking, language detection, hashing, tagging (`Tagger.analyse`), each model's
  `bulk_create` (of which SQL) and the other SQL — the rest being Python between them (building
  the model objects, the recovery rules). The timers cost about a microsecond a call.
"""

from __future__ import annotations

import io
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock


class Clock:
    """Seconds and calls per step, and SQL statements with their time."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, name: str, function: Callable) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - start
                self.calls[name] += 1

        return timed

    def sql(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        """A `connection.execute_wrapper`: each statement's time, by kind."""
        head = sql.lstrip()[:60].upper()
        kind = "sql: other"
        for table in ("feedbacktag", "recoveryaction", "feedback"):
            if head.startswith("INSERT") and table.upper() in sql[:80].upper():
                kind = f"sql: insert {table}"
                break
        else:
            if head.startswith("SELECT"):
                kind = "sql: select"
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[kind] += time.perf_counter() - start
            self.calls[kind] += 1


@contextmanager
def instrumented(clock: Clock) -> Iterator[None]:
    """Timers around the import's steps (module attributes as the code looks them up)."""
    from django.db import connection
    from django.db.models.query import QuerySet

    from cx_audit.voice import importing, pii, services, tagging

    original_bulk = QuerySet.bulk_create

    def bulk_create(self: QuerySet, *args: Any, **kwargs: Any) -> Any:
        return clock.wrap(f"bulk_create {self.model.__name__}", original_bulk)(self, *args, **kwargs)

    patches = [
        mock.patch.object(importing, "decode", clock.wrap("decode the file", importing.decode)),
        mock.patch.object(importing, "parse_csv", clock.wrap("parse the CSV", importing.parse_csv)),
        mock.patch.object(importing, "_check_rows", clock.wrap("validate the rows", importing._check_rows)),
        mock.patch.object(pii, "mask", clock.wrap("mask phone numbers and e-mails", pii.mask)),
        mock.patch.object(pii, "hash_customer", clock.wrap("hash customer refs", pii.hash_customer)),
        mock.patch.object(
            services, "detect_language", clock.wrap("detect the language", services.detect_language)
        ),
        mock.patch.object(
            tagging.Tagger, "analyse", clock.wrap("tag (Tagger.analyse)", tagging.Tagger.analyse)
        ),
        mock.patch.object(QuerySet, "bulk_create", bulk_create),
    ]
    with ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        stack.enter_context(connection.execute_wrapper(clock.sql))
        yield


def vacuum() -> None:
    """Clear the dead rows a rolled-back import leaves (the benchmark server may run without
    autovacuum): each run meets the tables and indexes a production database would have."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("cx_audit_feedback", "cx_audit_feedbacktag", "cx_audit_recoveryaction"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _run(action: Callable[[], Any], *, keep: Callable[[], Any] | None = None) -> tuple[float, Any, Any]:
    """``action()`` in a transaction rolled back, on vacuumed tables: (seconds, its result, ``keep()``
    before the rollback)."""
    from django.db import transaction

    vacuum()
    with transaction.atomic():
        start = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - start
        kept = keep() if keep else None
        transaction.set_rollback(True)
    return seconds, result, kept


class Statements:
    """A `connection.execute_wrapper` counting statements."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure_import(rows: int, runs: int) -> dict[str, Any]:
    from django.db import connection

    from benchmarks.voice_data import chain_of, feedback_csv
    from cx_audit.voice.importing import feedback_import
    from cx_audit.voice.models import Feedback, FeedbackTag, RecoveryAction
    from locations.models import Brand

    brand = Brand.objects.get(slug="bench")
    chain = chain_of(brand)
    start = time.perf_counter()
    text = feedback_csv(chain, rows)
    generated = time.perf_counter() - start
    data = text.encode()

    def importer(dry_run: bool = False) -> Callable[[], Any]:
        return lambda: feedback_import(brand=brand, file=io.BytesIO(data), dry_run=dry_run)

    def stored() -> dict[str, int]:
        return {
            "feedback": Feedback.objects.filter(brand=brand).count(),
            "tags": FeedbackTag.objects.filter(brand=brand).count(),
            "recoveries": RecoveryAction.objects.filter(brand=brand).count(),
        }

    assert not Feedback.objects.filter(brand=brand).exists(), "the import database must hold no feedback"
    statements = Statements()
    with connection.execute_wrapper(statements):
        cold, report, counts = _run(importer(), keep=stored)
    assert report.ok, report.errors[:5]
    assert report.created == rows
    assert counts["feedback"] == rows
    warm = [_run(importer())[0] for _ in range(runs)]
    dry = [_run(importer(dry_run=True))[0] for _ in range(runs)]

    def twice() -> Any:
        importer()()
        start = time.perf_counter()
        again = importer()()
        return time.perf_counter() - start, again

    _seconds, (again_seconds, again), _ = _run(twice)
    assert again.created == 0
    assert again.existing == rows
    clock = Clock()
    with instrumented(clock):
        split_total, _report, _ = _run(importer())
    return {
        "rows": rows,
        "bytes": len(data),
        "generated_s": generated,
        "cold_s": cold,
        "warm_s": statistics.median(warm),
        "warm_all": warm,
        "dry_s": statistics.median(dry),
        "again_s": again_seconds,
        "statements": statements.count,
        "stored": counts,
        "recoveries": report.recoveries,
        "split_total_s": split_total,
        "split": {name: [clock.seconds[name], clock.calls[name]] for name in clock.seconds},
    }
