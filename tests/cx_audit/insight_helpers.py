"""Building chains for the insight tests: real audits through the services, and bulk ones for size.

`audit_at` goes through `audit_create` / `answers_upsert` / `audit_submit`, so the hand-built
chains are scored by the real engine. `bulk_locations` writes many locations with audits and
results straight into the tables (the shape `audit_submit` writes), for the query-count tests
only: their numbers are not checked, only that the queries do not grow with them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cx_audit.audits.choices import AuditKind, AuditStatus
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import DimensionResult, ItemResult, SectionResult
from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create, audit_submit
from journeys.models import Framework
from locations.models import Brand, Franchisee, Location, OutletType, Region
from tests.cx_audit.audit_helpers import answers_for


def days_ago(days: float, hour: int = 12) -> datetime:
    """A moment ``days`` before now, at a fixed local hour (so day boundaries never flake)."""
    moment = timezone.localtime() - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def audit_at(
    location: Location,
    user: Any,
    when: datetime,
    kind: str = AuditKind.SCHEDULED,
    answers: list[AnswerInput] | None = None,
    **changes: AnswerInput,
) -> Audit:
    """A submitted audit of ``location`` at ``when``: passing answers except ``changes``."""
    audit, _ = audit_create(location=location, user=user, kind=kind)
    answers_upsert(audit=audit, user=user, answers=answers or answers_for(location, **changes))
    return audit_submit(audit=audit, user=user, submitted_at=when)


NO = {"SIG_02": AnswerInput(item="SIG-02", yes=False)}  # fails the lit-logo standard
CHEAP_DIRECT = {"DIS_02": AnswerInput(item="DIS-02", number=Decimal("95"), list_price=Decimal("100"))}
RATING_3 = {"DIS_03": AnswerInput(item="DIS-03", number=Decimal("3"))}
NA = {"DIS_03": AnswerInput(item="DIS-03", kind="na")}
FAKE_SIGN = {"SIG_01": AnswerInput(item="SIG-01", text="Aurora 体验店 Authorized Dealer")}  # critical


def bulk_locations(
    brand: Brand,
    framework: Framework,
    user: Any,
    count: int,
    *,
    regions: list[Region],
    franchisees: list[Franchisee],
    prefix: str = "B",
    audits_per_location: int = 2,
) -> list[Location]:
    """``count`` locations of ``brand``, each with ``audits_per_location`` submitted audits and results."""
    locations = Location.objects.bulk_create(
        Location(
            brand=brand,
            code=f"{prefix}{n:04d}",
            name=f"Bulk store {prefix}{n:04d}",
            outlet_type=OutletType.DIRECT if n % 3 == 0 else OutletType.AUTHORIZED,
            franchisee=None if n % 3 == 0 else franchisees[n % len(franchisees)],
            region=regions[n % len(regions)],
            city=f"City {n % 7}",
            city_tier=1 + n % 4,
            latitude=Decimal("31.2"),
            longitude=Decimal("121.4"),
        )
        for n in range(count)
    )
    items = list(framework.items.select_related("section", "dimension"))
    sections = list(framework.sections.all())
    dimensions = list(framework.dimensions.all())
    audits = Audit.objects.bulk_create(
        Audit(
            brand=brand,
            location=location,
            framework=framework,
            auditor=user,
            kind=AuditKind.SCHEDULED,
            status=AuditStatus.SUBMITTED,
            started_at=days_ago(90 * slot + 5 + n % 20),
            submitted_at=days_ago(90 * slot + 5 + n % 20),
            outlet_type=location.outlet_type,
            franchisee_id=location.franchisee_id,
            region_id=location.region_id,
            city_tier=location.city_tier,
            score=Decimal(40 + (n * 7 + slot * 13) % 60),
            raw_score=Decimal(40 + (n * 7 + slot * 13) % 60),
            critical_failure=n % 9 == 0,
            band="Good",
            failed_count=n % 5,
            repeat_count=n % 2,
        )
        for n, location in enumerate(locations)
        for slot in range(audits_per_location)
    )
    results, section_rows, dimension_rows = [], [], []
    for n, audit in enumerate(audits):
        for m, item in enumerate(items):
            failed = (n + m) % 4 == 0
            results.append(
                ItemResult(
                    audit=audit,
                    item=item,
                    item_code=item.code,
                    section_code=item.section.code,
                    dimension_code=item.dimension.code if item.dimension else "",
                    outcome="fail" if failed else "pass",
                    earned=Decimal(0) if failed else Decimal(1),
                    possible=Decimal(1),
                    fraction=Decimal(0) if failed else Decimal(1),
                    reason="no → 0" if failed else "yes → 1",
                    repeat=failed and n % 2 == 1,
                )
            )
        for section in sections:
            section_rows.append(
                SectionResult(
                    audit=audit,
                    section=section,
                    section_code=section.code,
                    earned=Decimal(2),
                    possible=Decimal(3),
                    score=Decimal("66.67"),
                    weight=Decimal(1),
                    failed=n % 2,
                )
            )
        for dimension in dimensions:
            dimension_rows.append(
                DimensionResult(
                    audit=audit,
                    dimension=dimension,
                    dimension_code=dimension.code,
                    earned=Decimal(1),
                    possible=Decimal(2),
                    experience=Decimal(5),
                    importance=dimension.importance,
                    expectation=dimension.expectation,
                    ideal=dimension.ideal,
                    satisfaction=Decimal(-2),
                    weighted_satisfaction=Decimal(-16),
                    ideal_gap=Decimal(-4),
                    key_rank=1,
                )
            )
    ItemResult.objects.bulk_create(results)
    SectionResult.objects.bulk_create(section_rows)
    DimensionResult.objects.bulk_create(dimension_rows)
    return locations
