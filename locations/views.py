"""Pages of the chain: the locations list and detail, and the policy check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from cx_audit.core.pages import FilteredListMixin, ScopedViewMixin
from locations.filtersets import LocationFilterSet
from locations.models import Location


class LocationListView(FilteredListMixin, ListView):
    """The locations the user may see, filtered by the API's own filterset (same query parameters)."""

    model = Location
    filterset_class = LocationFilterSet
    paginate_by = 50
    template_name = "locations/location_list.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("brand", "region", "franchisee")


class LocationDetailView(ScopedViewMixin, DetailView):
    """One outlet; someone else's answers 404 because the queryset never contains it.

    Features built on the chain add their part of the page (the audit history) through
    `context_providers`, registered when the app is ready, so the chain never imports them.
    """

    model = Location
    template_name = "locations/location_detail.html"
    context_providers: ClassVar[list[Callable[[Any, Location], dict[str, Any]]]] = []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for provide in self.context_providers:
            context.update(provide(self.request.user, self.object))
        return context

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("brand", "region__parent", "franchisee")


class PolicyExceptionListView(FilteredListMixin, ListView):
    """Direct stores in cities whose tier the brand does not allow for direct stores."""

    model = Location
    filterset_class = LocationFilterSet
    paginate_by = 100
    template_name = "locations/policy_exceptions.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().policy_exceptions().select_related("brand", "region")
