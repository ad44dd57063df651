"""The HQ dashboard's key figures for the filtered selection, in a fixed handful of queries.

- **Average score**: the mean of each audited location's latest score (each location once).
- **Pooled points**: 100 × Σ earned ÷ Σ possible over the same audits' scored standards.
- **Coverage**: open locations (today's, matching the filters) with a counted audit in the window.
- **Due now / overdue**: by the brand's audit plans (`cx_audit.planning`), against each open
  location's last counted audit (self-assessments never reset the clock): due when the plan's
  interval has run out (or it was never audited), overdue when it ran out before today.
- **Critical failures**: locations whose latest audit failed a critical standard.
- **Consistency index**: 100 − IQR of the latest scores (`consistency.chain_consistency`).
- **Regressions**: locations whose latest score fell more than the brand's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from locations.models import OutletType

from .. import planning
from ..models import AuditKind, AuditPlan, AuditStatus, SectionResult
from .consistency import ChainConsistency, chain_consistency
from .filters import InsightQuery
from .latest import latest_audits
from .maths import mean, pooled_pct, rounded, share
from .rankings import regressions


@dataclass(frozen=True)
class Summary:
    brand_id: int
    brand: str
    date_from: date
    date_to: date
    locations_audited: int
    open_locations: int
    coverage_pct: Decimal | None
    due_now: int
    overdue: int
    average_score: Decimal | None
    pooled_pct: Decimal | None
    critical_failures: int
    critical_share: Decimal | None
    failed_items: int
    repeat_findings: int
    consistency_index: Decimal | None
    direct_locations: int
    direct_average_score: Decimal | None
    direct_pooled_pct: Decimal | None
    direct_consistency_index: Decimal | None
    authorized_locations: int
    authorized_average_score: Decimal | None
    authorized_pooled_pct: Decimal | None
    authorized_consistency_index: Decimal | None
    regressions: int
    regression_threshold: Decimal


def _pct(fraction: object) -> Decimal | None:
    return None if fraction is None else rounded(fraction * 100)


def summary(query: InsightQuery, consistency: ChainConsistency | None = None) -> Summary:
    latest = latest_audits(query)
    by_type = {
        row["outlet_type"]: row
        for row in latest.values("outlet_type")
        .annotate(
            n=Count("pk"),
            total=Sum("score"),
            critical=Count("pk", filter=Q(critical_failure=True)),
            failed=Sum("failed_count"),
            repeats=Sum("repeat_count"),
        )
        .order_by()
    }
    points = {
        row["audit__outlet_type"]: (row["earned"] or 0, row["possible"] or 0)
        for row in SectionResult.objects.filter(audit__in=latest)
        .values("audit__outlet_type")
        .annotate(earned=Sum("earned"), possible=Sum("possible"))
        .order_by()
    }
    consistency = consistency or chain_consistency(query)
    n = sum(row["n"] for row in by_type.values())
    total = sum((row["total"] or 0 for row in by_type.values()), Decimal(0))
    critical = sum(row["critical"] for row in by_type.values())
    earned = sum((e for e, _ in points.values()), Decimal(0))
    possible = sum((p for _, p in points.values()), Decimal(0))
    open_locations, due_now, overdue = coverage(query)
    _, regressed = regressions(query).page(0, 1)

    def typed(outlet_type: str) -> tuple[int, Decimal | None, Decimal | None]:
        row = by_type.get(outlet_type, {"n": 0, "total": 0})
        got = points.get(outlet_type, (0, 0))
        return row["n"], rounded(mean(row["total"] or 0, row["n"])), rounded(pooled_pct(*got))

    direct_n, direct_mean, direct_pooled = typed(OutletType.DIRECT)
    auth_n, auth_mean, auth_pooled = typed(OutletType.AUTHORIZED)
    return Summary(
        brand_id=query.brand.pk,
        brand=query.brand.name,
        date_from=query.date_from,
        date_to=query.date_to,
        locations_audited=n,
        open_locations=open_locations,
        coverage_pct=_pct(share(n, open_locations)),
        due_now=due_now,
        overdue=overdue,
        average_score=rounded(mean(total, n)),
        pooled_pct=rounded(pooled_pct(earned, possible)),
        critical_failures=critical,
        critical_share=_pct(share(critical, n)),
        failed_items=sum(row["failed"] or 0 for row in by_type.values()),
        repeat_findings=sum(row["repeats"] or 0 for row in by_type.values()),
        consistency_index=consistency.all.consistency,
        direct_locations=direct_n,
        direct_average_score=direct_mean,
        direct_pooled_pct=direct_pooled,
        direct_consistency_index=consistency.direct.consistency,
        authorized_locations=auth_n,
        authorized_average_score=auth_mean,
        authorized_pooled_pct=auth_pooled,
        authorized_consistency_index=consistency.authorized.consistency,
        regressions=regressed,
        regression_threshold=rounded(query.brand.regression_threshold),
    )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def coverage(query: InsightQuery) -> tuple[int, int, int]:
    """(open locations, due now, overdue) by the brand's plans, as of ``query.today`` (two queries)."""
    plans = [
        planning.PlanRule(plan.interval_days, plan.outlet_type or None, plan.city_tier)
        for plan in AuditPlan.objects.filter(brand=query.brand)
    ]
    due, late = Q(last__isnull=True), Q()
    for outlet_type in OutletType.values:
        for tier in (1, 2, 3, 4):
            interval = planning.interval_for(outlet_type, tier, plans)
            cutoff = query.today - timedelta(days=interval)
            group = Q(outlet_type=outlet_type, city_tier=tier)
            due |= group & Q(last__lt=_midnight(cutoff + timedelta(days=1)))
            late |= group & Q(last__lt=_midnight(cutoff))
    counted = Q(audits__status=AuditStatus.SUBMITTED) & ~Q(audits__kind=AuditKind.SELF_ASSESSMENT)
    figures = query.locations.annotate(last=Max("audits__submitted_at", filter=counted)).aggregate(
        open=Count("pk"), due=Count("pk", filter=due), overdue=Count("pk", filter=late)
    )
    return figures["open"], figures["due"], figures["overdue"]
