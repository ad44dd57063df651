"""The framework and the answers as the scoring engine sees them (model rows → dataclasses).

The engine (`cx_audit.audits.scoring`) never touches Django; this module is the one place that reads
a framework version and an audit's answers and hands them over, with a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from cx_audit.audits import amendments, scoring
from cx_audit.audits.choices import FAILED_OUTCOMES
from cx_audit.audits.models.audits import Answer, Audit
from journeys.models import Dimension, Framework, Item, Section
from locations.models import OutletType


@dataclass(frozen=True)
class FrameworkRules:
    """A framework version in the engine's terms, with its rows by code for writing results."""

    sections: tuple[scoring.SectionRule, ...]
    items: tuple[scoring.ItemRule, ...]
    dimensions: tuple[scoring.DimensionRule, ...]
    section_rows: Mapping[str, Section]
    item_rows: Mapping[str, Item]
    dimension_rows: Mapping[str, Dimension]


def item_rule(item: Item, section_code: str, dimension_code: str | None) -> scoring.ItemRule:
    """One item as a rule; targets and price bands keyed by outlet type."""
    kinds = OutletType.values
    targets = {kind: item.target_for(kind) for kind in kinds if item.target_for(kind) is not None}
    bands = {
        kind: item.price_band_for(kind)
        for kind in kinds
        if None not in item.price_band_for(kind)  # a half-given band is no band
    }
    return scoring.ItemRule(
        code=item.code,
        section=section_code,
        answer_type=item.answer_type,
        weight=Decimal(item.weight),
        critical=item.critical,
        applies_to=frozenset(kind for kind in kinds if item.applies_to(kind)),
        targets=targets,
        pass_fail=item.pass_fail,
        price_bands=bands,
        required_terms=tuple(item.required_terms or ()),
        forbidden_terms=tuple(item.forbidden_terms or ()),
        dimension=dimension_code,
        na_allowed=item.na_allowed,
        cannot_check_allowed=item.cannot_check_allowed,
        photo_required=item.photo_required,
        question=item.question,
    )


def framework_rules(framework: Framework) -> FrameworkRules:
    """Read a version's sections, items and dimensions: three queries, whatever its size."""
    sections = list(Section.objects.filter(framework=framework).order_by("order", "pk"))
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("order", "pk"))
    items = list(
        Item.objects.filter(framework=framework).order_by("section__order", "section_id", "order", "pk")
    )
    section_code = {section.pk: section.code for section in sections}
    dimension_code = {dimension.pk: dimension.code for dimension in dimensions}
    return FrameworkRules(
        sections=tuple(
            scoring.SectionRule(code=s.code, weight=Decimal(s.weight), name=s.name) for s in sections
        ),
        items=tuple(
            item_rule(item, section_code[item.section_id], dimension_code.get(item.dimension_id))
            for item in items
        ),
        dimensions=tuple(
            scoring.DimensionRule(
                code=d.code,
                importance=Decimal(d.importance),
                expectation=Decimal(d.expectation),
                ideal=Decimal(d.ideal),
                name=d.name,
            )
            for d in dimensions
        ),
        section_rows={s.code: s for s in sections},
        item_rows={item.code: item for item in items},
        dimension_rows={d.code: d for d in dimensions},
    )


def as_answer(answer: Answer, photos: int = 0) -> scoring.Answer:
    return scoring.Answer(
        kind=scoring.AnswerKind(answer.kind),
        yes=answer.yes,
        number=answer.number,
        list_price=answer.list_price,
        text=answer.text,
        photos=photos,
    )


def audit_answers(audit: Audit) -> dict[str, scoring.Answer]:
    """The audit's answers by item code, each with its number of photos: one query."""
    rows = Answer.objects.filter(audit=audit).select_related("item").annotate(photo_count=Count("photos"))
    return {row.item.code: as_answer(row, row.photo_count) for row in rows}


def previous_failures(audit: Audit) -> frozenset[str]:
    """Codes of the items failed in the location's previous submitted audit: one query.

    Codes, not item ids, so a finding repeats across framework versions. An auditor's visit is
    compared with the previous auditor's visit; self-assessments are kept apart (DESIGN §4).
    """
    from cx_audit.audits.choices import COUNTED_KINDS, AuditStatus
    from cx_audit.audits.models.results import ItemResult

    previous = Audit.objects.filter(location_id=audit.location_id, status=AuditStatus.SUBMITTED)
    if audit.kind in COUNTED_KINDS:
        # A franchisee's own check between two visits neither breaks nor makes a repeat finding.
        previous = previous.filter(kind__in=COUNTED_KINDS)
    previous = (
        previous.exclude(pk=audit.pk)
        .filter(submitted_at__lt=audit.submitted_at or audit.started_at)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    codes: Iterable[str] = ItemResult.objects.filter(
        audit_id__in=previous, outcome__in=FAILED_OUTCOMES
    ).values_list("item_code", flat=True)
    return frozenset(codes)


def audit_rulings(audit: Audit) -> tuple[amendments.ItemRuling, ...]:
    """HQ's rulings on the audit's accepted disputes, for scoring it again: one query."""
    from cx_audit.audits.models.amendments import Amendment

    return tuple(
        amendments.ItemRuling(code=code, ruling=ruling, reason=reason, fraction=fraction)
        for code, ruling, reason, fraction in Amendment.objects.filter(audit=audit)
        .order_by("amended_at", "pk")
        .values_list("item_code", "ruling", "reason", "fraction")
    )
