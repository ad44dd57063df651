"""Each location's latest audit in the window — the row set every ranking starts from.

The latest audit is chosen among the counted audits submitted before the window *closes* and
kept when it was submitted after the window *opens*: a location whose last audit is older
than the window is simply not in it, and the audit before the latest may lie before the window —
it still tells how much the location changed.

Three forms of the same set, one query each whatever the size of the chain:
- `latest_audits` (an Audit queryset, for the aggregates over results: standards, consistency):
  on PostgreSQL ``DISTINCT ON (location_id)`` over the (location, status, submitted_at) index,
  elsewhere ``ROW_NUMBER() OVER (PARTITION BY location)`` (SQLite has window functions since 3.25);
- `latest_sql` (SQL text, for the league and the regressions): the same rows with the previous
  audit's score, date and id from ``LAG`` in the same pass — then ranked by ``RANK()`` over them.
  The ORM cannot rank rows that a window function picked (that needs a window over a window), so
  the selector wraps the ORM's own SQL for the filtered audits in a CTE; the filters, the user's
  scope and the parameters all still come from the ORM;
- `latest_set` (rows, for the figures over whole audits: key figures, chain consistency,
  comparisons): `latest_sql` with each audit's section points, read **once per request** and
  grouped in Python by every table that needs it. A page showing several such tables (the
  dashboard) picks the latest audits once instead of once per table, and the aggregates over
  results that come after it select by the ids it read (`of_latest`).
Ties on the submission time go to the later-created audit, in all three.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import QuerySet

from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import SectionResult
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.sums import AuditSums, sums_by
from cx_audit.insights.tables import db_decimal

LATEST_FIRST = ("-submitted_at", "-pk")

AUDIT_COLUMNS = (
    "id",
    "location_id",
    "score",
    "band",
    "critical_failure",
    "failed_count",
    "repeat_count",
    "submitted_at",
    "outlet_type",
    "franchisee_id",
    "region_id",
    "na_count",
    "cannot_check_count",
)


def latest_ids(audits: QuerySet) -> QuerySet:
    """The id of each location's latest audit among ``audits`` (a subquery)."""
    return audits.latest_ids()


def latest_audits(query: InsightQuery) -> QuerySet:
    """Each location's latest counted audit in the window: one row per location audited."""
    return Audit.objects.filter(pk__in=latest_ids(query.audits), submitted_at__gte=query.start)


PREVIOUS = {"score": "previous_score", "submitted_at": "previous_at", "id": "previous_id"}


def latest_sql(
    query: InsightQuery,
    *,
    previous: tuple[str, ...] = tuple(PREVIOUS),
    columns: tuple[str, ...] = AUDIT_COLUMNS,
) -> tuple[str, list]:
    """SQL for the latest audits in the window, with columns of the audit before each one:
    ``previous_score``, ``previous_at``, ``previous_id`` for the ``previous`` score, submitted_at, id.

    Columns: ``columns`` (which must include id, location_id, score and submitted_at; the fewer,
    the lighter the sort), then the previous ones asked for. Use it as a CTE.
    """
    history, params = query.audits.order_by().values(*columns).query.sql_with_params()
    before = window = ""
    if previous:
        before = "".join(f", LAG(h.{column}) OVER w AS {PREVIOUS[column]}" for column in previous)
        window = " WINDOW w AS (PARTITION BY h.location_id ORDER BY h.submitted_at, h.id)"
    if connection.vendor == "postgresql":
        picked = (
            f"SELECT DISTINCT ON (h.location_id) h.*{before} FROM ({history}) h{window} "
            "ORDER BY h.location_id, h.submitted_at DESC, h.id DESC"
        )
    else:
        picked = (
            f"SELECT * FROM (SELECT h.*{before}, ROW_NUMBER() OVER ("
            "PARTITION BY h.location_id ORDER BY h.submitted_at DESC, h.id DESC) AS newest "
            f"FROM ({history}) h{window}) numbered WHERE newest = 1"
        )
    start = connection.ops.adapt_datetimefield_value(query.start)
    return f"SELECT * FROM ({picked}) picked WHERE submitted_at >= %s", [*params, start]


def standing(query: InsightQuery, score: Decimal) -> tuple[int, int]:
    """(rank, of how many): where a latest score stands among all latest audits in the window.

    Rank as in the league: 1 + the number of locations scoring strictly more; of how many: the
    locations with a score (a visit without one is not ranked).
    """
    latest, params = latest_sql(query, previous=(), columns=("id", "location_id", "score", "submitted_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            # in whole hundredths, so that SQLite's floating point cannot split a tie
            "SELECT COALESCE(SUM(CASE WHEN ROUND(latest.score * 100) > %s THEN 1 ELSE 0 END), 0), "
            "COUNT(latest.score) "
            f"FROM ({latest}) latest",
            [int(score * 100), *params],
        )
        higher, ranked = cursor.fetchone()
    return int(higher) + 1, ranked


class LatestAudit(NamedTuple):
    """One location's latest audit in the window, as the figures over whole audits read it.

    A named tuple rather than a dataclass: a chain of 10,000 locations makes 10,000 per request.
    """

    id: int
    location_id: int
    score: Decimal | None  # None: visited, not scored (`cx_audit.audits.noscore`)
    critical_failure: bool
    failed_count: int
    repeat_count: int
    outlet_type: str
    franchisee_id: int | None
    region_id: int | None
    city_tier: int | None
    previous_score: Decimal | None  # the audit before it, within the filters (None for a first audit)
    earned: Decimal  # Σ points earned over its sections (for pooled points)
    possible: Decimal  # Σ points possible over its sections


_SET_COLUMNS = (
    "id",
    "location_id",
    "score",
    "critical_failure",
    "failed_count",
    "repeat_count",
    "submitted_at",
    "outlet_type",
    "franchisee_id",
    "region_id",
    "city_tier",
)
_SET_KEY = "latest_set"


def latest_set(query: InsightQuery) -> list[LatestAudit]:
    """Each location's latest audit in the window with its section points, by audit id.

    One query, read once per request (`InsightQuery.once`): the key figures, the chain
    consistency index and every comparison are sums over these rows, so a page that shows
    several of them (the dashboard) does not pick the latest audits again for each.
    """
    return query.once(_SET_KEY, lambda: _read_set(query))


def grouped(query: InsightQuery, name: str, key: Callable[[LatestAudit], Any]) -> dict[Hashable, AuditSums]:
    """The latest audits summed per group (``key`` of each), once per request for each ``name``.

    The dashboard's key figures and its comparison of outlet types group the same way: one pass.
    """
    return query.once(f"sums:{name}", lambda: sums_by(latest_set(query), key))


def _read_set(query: InsightQuery) -> list[LatestAudit]:
    latest, params = latest_sql(query, previous=("score",), columns=_SET_COLUMNS)
    sections = connection.ops.quote_name(SectionResult._meta.db_table)
    # Each audit's section points looked up beside it (by the index on audit_id): a join to the
    # grouped sections made PostgreSQL misjudge the size and compile the query (JIT), slower.
    earned, possible = (
        f"COALESCE((SELECT SUM(s.{column}) FROM {sections} s WHERE s.audit_id = latest.id), 0)"
        for column in ("earned", "possible")
    )
    sql = (
        f"WITH latest AS ({latest}) "
        "SELECT latest.id, latest.location_id, latest.score, latest.critical_failure, latest.failed_count, "
        "latest.repeat_count, latest.outlet_type, latest.franchisee_id, latest.region_id, latest.city_tier, "
        f"latest.previous_score, {earned}, {possible} FROM latest ORDER BY latest.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":  # the driver already hands back decimals and booleans
        return [LatestAudit._make(row) for row in rows]
    return [_typed(row) for row in rows]


def _typed(row: tuple) -> LatestAudit:
    """A row as SQLite returns it (numbers as floats, booleans as 0/1), typed as PostgreSQL's."""
    return LatestAudit(
        *row[:2],
        db_decimal(row[2]),
        bool(row[3]),
        *row[4:10],
        db_decimal(row[10]),
        db_decimal(row[11], 4),
        db_decimal(row[12], 4),
    )


def of_latest(results: QuerySet, query: InsightQuery) -> QuerySet:
    """``results`` (item, section or dimension results) of each location's latest audit only.

    Once this request has read `latest_set` (the dashboard has, before its gap ranking), on
    PostgreSQL they are selected by its ids rather than by picking the latest audits again.
    Otherwise by the latest-audit subquery (SQLite also limits how many values one statement may
    carry).
    """
    known = known_latest(query)
    if known is not None:
        return results.filter(audit_id__in=[row.id for row in known])
    return results.filter(audit__in=latest_audits(query))


def known_latest(query: InsightQuery) -> list[LatestAudit] | None:
    """`latest_set` if this request has read it already and the database takes long lists of ids in
    one statement (PostgreSQL; SQLite limits a statement's parameters), else None."""
    return query.memo.get(_SET_KEY) if connection.vendor == "postgresql" else None
