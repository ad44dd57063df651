"""Names for the codes the results are grouped by, one query each, whatever the chain's size.

Results are grouped by *code* (item, section, touchpoint), not by row id, so that a standard lines
up across framework versions (a new version copies an item under the same code). Its wording is
taken from the newest version that has the code, published versions before drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, When

from cx_audit.insights.regions import RegionNode
from journeys.models import Dimension, FrameworkStatus, Item, Section, Touchpoint
from locations.models import Brand, Region

if TYPE_CHECKING:
    from cx_audit.insights.filters import InsightQuery


@dataclass(frozen=True)
class ItemLabel:
    code: str
    question: str
    section_code: str
    critical: bool
    order: tuple[int, int]  # (section order, item order): checklist order


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    order: int


def _first_per_code(rows: list[dict]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for row in rows:
        found.setdefault(row["code"], row)
    return found


def item_labels(brand: Brand) -> dict[str, ItemLabel]:
    rows = (
        Item.objects.filter(framework__brand=brand)
        .annotate(
            draft=Case(
                When(framework__status=FrameworkStatus.DRAFT, then=1), default=0, output_field=IntegerField()
            )
        )
        .order_by("code", "draft", "-framework__version")
        .values("code", "question", "critical", "order", "section__code", "section__order")
    )
    return {
        code: ItemLabel(
            code=code,
            question=row["question"],
            section_code=row["section__code"],
            critical=row["critical"],
            order=(row["section__order"], row["order"]),
        )
        for code, row in _first_per_code(list(rows)).items()
    }


def _labels(model: type, brand: Brand, framework_path: str) -> dict[str, Label]:
    rows = (
        model.objects.filter(**{f"{framework_path}__brand": brand})
        .annotate(
            draft=Case(
                When(**{f"{framework_path}__status": FrameworkStatus.DRAFT}, then=1),
                default=0,
                output_field=IntegerField(),
            )
        )
        .order_by("code", "draft", f"-{framework_path}__version")
        .values("code", "name", "order")
    )
    return {
        code: Label(code=code, name=row["name"], order=row["order"])
        for code, row in _first_per_code(list(rows)).items()
    }


def section_labels(brand: Brand) -> dict[str, Label]:
    return _labels(Section, brand, "framework")


def dimension_labels(brand: Brand) -> dict[str, Label]:
    return _labels(Dimension, brand, "framework")


def touchpoint_labels(brand: Brand) -> dict[str, Label]:
    return _labels(Touchpoint, brand, "stage__journey__framework")


def query_regions(query: InsightQuery) -> list[RegionNode]:
    """The brand's regions, read once per request (a page's breadcrumbs, comparisons, trends…)."""
    return query.once("regions", lambda: region_nodes(query.brand))


def region_nodes(brand: Brand) -> list[RegionNode]:
    return [
        RegionNode(id=pk, parent_id=parent_id, code=code, name=name)
        for pk, parent_id, code, name in Region.objects.filter(brand=brand)
        .order_by("code")
        .values_list("pk", "parent_id", "code", "name")
    ]
