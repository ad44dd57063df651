"""Read-only pages of the framework: the versions, and one version by journey and by section."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from cx_audit.views import ScopedViewMixin
from locations.models import OutletType

from .api.views import framework_tree_queryset
from .models import Framework


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
        by_touchpoint: dict[int, list] = {}
        for item in items:
            by_touchpoint.setdefault(item.touchpoint_id, []).append(item)
        dimensions = {d.pk: d for d in framework.dimensions.all()}
        for item in items:
            item.dimension_name = dimensions[item.dimension_id].name if item.dimension_id else ""
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
            outlet_types=OutletType,
            view_mode=self.request.GET.get("view", "sections"),
        )
        return context
