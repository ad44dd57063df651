"""Read-only pages of the framework: the versions, and one version by journey and by section."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from cx_audit.core.pages import ScopedViewMixin
from journeys.api.views import framework_tree_queryset
from journeys.models import Framework, Item
from locations.models import OutletType


@dataclass(frozen=True)
class OutletRule:
    """What one standard asks of one outlet type, ready to show in a table cell.

    The two outlet types are held to different standards (DESIGN §2), so the viewer shows
    them side by side; the template then needs no per-type branching.
    """

    outlet_type: str
    applies: bool
    target: Decimal | None
    price_min: Decimal | None
    price_max: Decimal | None

    @classmethod
    def of(cls, item: Item, outlet_type: str) -> OutletRule:
        low, high = item.price_band_for(outlet_type)
        return cls(outlet_type, item.applies_to(outlet_type), item.target_for(outlet_type), low, high)

    @property
    def single_price(self) -> bool:
        return self.price_min is not None and self.price_min == self.price_max


class FrameworkListView(ScopedViewMixin, ListView):
    model = Framework
    template_name = "journeys/framework_list.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("brand").order_by("brand__name", "-version")


class FrameworkDetailView(ScopedViewMixin, DetailView):
    """One version, shown both ways an HQ admin thinks about it, with outlet-type applicability."""

    model = Framework
    template_name = "journeys/framework_detail.html"

    def get_queryset(self) -> QuerySet:
        return framework_tree_queryset().visible_to(self.request.user).select_related("brand")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        framework = self.object
        sections = list(framework.sections.all())
        items = [item for section in sections for item in section.items.all()]
        by_touchpoint: dict[int | None, list[Item]] = {}
        for item in items:
            by_touchpoint.setdefault(item.touchpoint_id, []).append(item)
        dimensions = {d.pk: d for d in framework.dimensions.all()}
        for item in items:
            item.dimension_name = dimensions[item.dimension_id].name if item.dimension_id else ""
            item.outlet_rules = [OutletRule.of(item, kind) for kind in OutletType.values]
        journeys = list(framework.journeys.all())
        for journey in journeys:
            for stage in journey.stages.all():
                for touchpoint in stage.touchpoints.all():
                    touchpoint.checklist = by_touchpoint.get(touchpoint.pk, [])
        context.update(
            sections=sections,
            journeys=journeys,
            unmapped_items=by_touchpoint.get(None, []),
            item_count=len(items),
            direct_count=sum(item.applies_to_direct for item in items),
            authorized_count=sum(item.applies_to_authorized for item in items),
            critical_count=sum(item.critical for item in items),
            view_mode="journeys" if self.request.GET.get("view") == "journeys" else "sections",
        )
        return context
