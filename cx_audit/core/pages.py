"""Page building blocks shared by every app: scoped detail pages and filtered lists."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet


class ScopedViewMixin(LoginRequiredMixin):
    """For pages, CSV and PDF: the queryset is what the signed-in user may see, nothing more.

    Someone else's object is then "not found" (404), never "forbidden".
    """

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]


class FilteredListMixin(ScopedViewMixin):
    """A list page filtered by the same FilterSet class as the API (STYLE §2)."""

    filterset_class: Any = None

    def get_queryset(self) -> QuerySet:
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=super().get_queryset(), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["filterset"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context
