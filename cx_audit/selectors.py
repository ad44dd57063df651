"""Reads of stored audit results that span relations, with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from .models import Audit, DimensionResult, ItemResult, SectionResult


def score_data(audit: Audit) -> dict[str, Any]:
    """The breakdown of one audit from its stored results: three queries."""
    dimensions = list(DimensionResult.objects.filter(audit=audit).select_related("dimension"))
    return {
        "audit": audit,
        "sections": SectionResult.objects.filter(audit=audit).select_related("section"),
        "dimensions": dimensions,
        "key_experiences": key_experiences(dimensions),
        "items": ItemResult.objects.filter(audit=audit)
        .select_related("item")
        .order_by("item__section__order", "item__order", "item_id"),
    }


def key_experiences(dimensions: list[DimensionResult]) -> list[str]:
    ranked = sorted((d for d in dimensions if d.key_rank is not None), key=lambda d: d.key_rank)
    return [d.dimension_code for d in ranked]
