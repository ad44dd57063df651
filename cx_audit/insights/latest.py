"""Each location's latest audit in the window — the row set every ranking starts from.

The latest audit is chosen among the counted audits submitted before the window *closes* and
kept when it was submitted after the window *opens*: a location whose last audit is older
than the window is simply not in it, and the audit before the latest may lie before the window —
it still tells how much the location changed.

Two forms of the same set, one query each whatever the size of the chain:
- `latest_audits` (an Audit queryset, for the aggregates: standards, consistency, comparisons):
  on PostgreSQL ``DISTINCT ON (location_id)`` over the (location, status, submitted_at) index,
  elsewhere ``ROW_NUMBER() OVER (PARTITION BY location)`` (SQLite has window functions since 3.25);
- `latest_sql` (SQL text, for the league and the regressions): the same rows with the previous
  audit's score, date and id from ``LAG`` in the same pass — then ranked by ``RANK()`` over them.
  The ORM cannot rank rows that a window function picked (that needs a window over a window), so
  the selector wraps the ORM's own SQL for the filtered audits in a CTE; the filters, the user's
  scope and the parameters all still come from the ORM.
Ties on the submission time go to the later-created audit, in both.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from ..models import Audit
from .filters import InsightQuery

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
)


def latest_ids(audits: QuerySet) -> QuerySet:
    """The id of each location's latest audit among ``audits`` (a subquery)."""
    return audits.latest_ids()


def latest_audits(query: InsightQuery) -> QuerySet:
    """Each location's latest counted audit in the window: one row per location audited."""
    return Audit.objects.filter(pk__in=latest_ids(query.audits), submitted_at__gte=query.start)


def latest_sql(
    query: InsightQuery, *, previous: bool = True, columns: tuple[str, ...] = AUDIT_COLUMNS
) -> tuple[str, list]:
    """SQL for the latest audits in the window, with (``previous``) the audit before each one:
    ``previous_score``, ``previous_at``, ``previous_id``.

    Columns: ``columns`` (which must include id, location_id, score and submitted_at; the fewer,
    the lighter the sort), then the previous ones if asked. Use it as a CTE.
    """
    history, params = query.audits.order_by().values(*columns).query.sql_with_params()
    before = window = ""
    if previous:
        before = (
            ", LAG(h.score) OVER w AS previous_score, LAG(h.submitted_at) OVER w AS previous_at, "
            "LAG(h.id) OVER w AS previous_id"
        )
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

    Rank as in the league: 1 + the number of locations scoring strictly more.
    """
    latest, params = latest_sql(query, previous=False, columns=("id", "location_id", "score", "submitted_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            # in whole hundredths, so that SQLite's floating point cannot split a tie
            "SELECT COALESCE(SUM(CASE WHEN ROUND(latest.score * 100) > %s THEN 1 ELSE 0 END), 0), COUNT(*) "
            f"FROM ({latest}) latest",
            [int(score * 100), *params],
        )
        higher, ranked = cursor.fetchone()
    return int(higher) + 1, ranked
