"""The HQ dashboard's key figures for the filtered selection, in a fixed handful of queries.

- **Average score**: the mean of each audited location's latest score (each location once), over
  the locations whose latest audit has a score: a visit without one (every applicable item "cannot
  check") is counted in ``unscored_visits`` and left out, never taken as 0.
- **Pooled points**: 100 × Σ earned ÷ Σ possible over the same audits' scored standards.
- **Coverage**: open locations (today's, matching the filters) with a counted audit in the window.
- **Due now / overdue**: by the brand's audit plans (`cx_audit.audits.planning`), against each open
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
from operator import attrgetter

from django.db.models import Count, Max, Q
from django.utils import timezone

from cx_audit.audits import planning
from cx_audit.audits.choices import COUNTED_KINDS, AuditStatus
from cx_audit.audits.models.planning import AuditPlan
from cx_audit.insights.consistency import ChainConsistency, chain_consistency
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.latest import grouped, latest_set
from cx_audit.insights.maths import dropped, mean, pooled_pct, rounded, share
from cx_audit.insights.sums import AuditSums, total
from locations.models import OutletType


@dataclass(frozen=True)
class Summary:
    brand_id: int
    brand: str
    date_from: date
    date_to: date
    locations_audited: int  # visited in the window, scored or not
    scored_locations: int  # of them, with a score: what the averages are taken over
    unscored_visits: int  # of them, whose latest audit has no score
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
    """The key figures: sums over the latest audits (`latest_set`, shared with the other tables of
    the page) and the coverage (two queries)."""
    by_type = grouped(query, "outlet_type", attrgetter("outlet_type"))
    whole = total(by_type.values())
    consistency = consistency or chain_consistency(query)
    threshold = rounded(query.brand.regression_threshold)
    regressed = sum(1 for audit in latest_set(query) if dropped(audit.score, audit.previous_score, threshold))
    open_locations, due_now, overdue = coverage(query)

    def typed(outlet_type: str) -> tuple[int, Decimal | None, Decimal | None]:
        sums = by_type.get(outlet_type, AuditSums())
        return (
            sums.locations,
            rounded(mean(sums.score, sums.scored)),
            rounded(pooled_pct(sums.earned, sums.possible)),
        )

    direct_n, direct_mean, direct_pooled = typed(OutletType.DIRECT)
    auth_n, auth_mean, auth_pooled = typed(OutletType.AUTHORIZED)
    n = whole.locations
    return Summary(
        brand_id=query.brand.pk,
        brand=query.brand.name,
        date_from=query.date_from,
        date_to=query.date_to,
        locations_audited=n,
        scored_locations=whole.scored,
        unscored_visits=whole.unscored,
        open_locations=open_locations,
        coverage_pct=_pct(share(n, open_locations)),
        due_now=due_now,
        overdue=overdue,
        average_score=rounded(mean(whole.score, whole.scored)),
        pooled_pct=rounded(pooled_pct(whole.earned, whole.possible)),
        critical_failures=whole.critical,
        critical_share=_pct(share(whole.critical, n)),
        failed_items=whole.failed,
        repeat_findings=whole.repeats,
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
        regression_threshold=threshold,
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
    counted = Q(audits__status=AuditStatus.SUBMITTED) & Q(audits__kind__in=COUNTED_KINDS)
    figures = query.locations.annotate(last=Max("audits__submitted_at", filter=counted)).aggregate(
        open=Count("pk"), due=Count("pk", filter=due), overdue=Count("pk", filter=late)
    )
    return figures["open"], figures["due"], figures["overdue"]
