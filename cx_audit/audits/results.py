"""Writing what the scoring engine computed: the only code that stores derived scores."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cx_audit.audits import scoring
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import DimensionResult, ItemResult, SectionResult

POINTS = Decimal("0.0001")
FRACTION = Decimal("0.0001")


def points(value: Decimal) -> Decimal:
    return Decimal(value).quantize(POINTS)


def item_rows(audit: Audit, result: scoring.AuditScore, framework_rules: Any) -> list[ItemResult]:
    return [
        ItemResult(
            audit=audit,
            item=framework_rules.item_rows[item.code],
            item_code=item.code,
            section_code=item.section,
            dimension_code=item.dimension or "",
            outcome=str(item.outcome),
            earned=points(item.earned),
            possible=points(item.possible),
            fraction=None if item.fraction is None else Decimal(item.fraction).quantize(FRACTION),
            reason=item.reason,
            matched_required=list(item.matched_required),
            matched_forbidden=list(item.matched_forbidden),
            critical_failed=item.critical_failed,
            repeat=item.repeat,
        )
        for item in result.items
    ]


def section_rows(audit: Audit, result: scoring.AuditScore, framework_rules: Any) -> list[SectionResult]:
    return [
        SectionResult(
            audit=audit,
            section=framework_rules.section_rows[section.code],
            section_code=section.code,
            earned=points(section.earned),
            possible=points(section.possible),
            score=section.score,
            weight=section.weight,
            passed=section.passed,
            failed=section.failed,
            na=section.na,
            cannot_check=section.cannot_check,
        )
        for section in result.sections
    ]


def dimension_rows(audit: Audit, result: scoring.AuditScore, framework_rules: Any) -> list[DimensionResult]:
    return [
        DimensionResult(
            audit=audit,
            dimension=framework_rules.dimension_rows[dimension.code],
            dimension_code=dimension.code,
            earned=points(dimension.earned),
            possible=points(dimension.possible),
            experience=dimension.experience,
            importance=dimension.importance,
            expectation=dimension.expectation,
            ideal=dimension.ideal,
            satisfaction=dimension.satisfaction,
            weighted_satisfaction=dimension.weighted_satisfaction,
            ideal_gap=dimension.ideal_gap,
            key_rank=dimension.key_rank,
        )
        for dimension in result.dimensions
    ]


def summary_fields(result: scoring.AuditScore) -> dict[str, Any]:
    """The audit's own result columns."""
    return {
        "score": result.score,
        "raw_score": result.raw_score,
        "critical_failure": result.critical_failure,
        "band": result.band,
        "na_count": result.na_count,
        "cannot_check_count": result.cannot_check_count,
        "repeat_count": result.repeat_count,
        "failed_count": sum(1 for item in result.items if item.failed),
    }


def results_write(
    *, audit: Audit, result: scoring.AuditScore, framework_rules: Any, replace: bool = False
) -> None:
    """Store ``result`` as the audit's results: three inserts and one update (plus three deletes
    when ``replace``-ing earlier results). The caller holds the transaction.
    """
    if replace:
        ItemResult.objects.filter(audit=audit).delete()
        SectionResult.objects.filter(audit=audit).delete()
        DimensionResult.objects.filter(audit=audit).delete()
    ItemResult.objects.bulk_create(item_rows(audit, result, framework_rules))
    SectionResult.objects.bulk_create(section_rows(audit, result, framework_rules))
    DimensionResult.objects.bulk_create(dimension_rows(audit, result, framework_rules))
    for name, value in summary_fields(result).items():
        setattr(audit, name, value)
    audit.save()
