"""/history/: the change history as a filtered table, for HQ admins (others: 403, like insights)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from cx_audit.history.filtersets import HistoryFilterSet
from cx_audit.history.selectors import can_read_history, entries, filtered_history
from cx_audit.history.tracked import BY_KEY


class HistoryListView(LoginRequiredMixin, ListView):
    """Who changed what and when, before and after, filtered by the API's own filterset."""

    paginate_by = 50
    template_name = "cx_audit/history/history_list.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not can_read_history(request.user):
            raise PermissionDenied(_("The change history is for HQ admins."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        none = BY_KEY["brand"].history.objects.none()
        # Always bound (an empty query cleans to "no filter"), so the selector has cleaned data.
        self.filterset = HistoryFilterSet(self.request.GET, queryset=none, request=self.request)
        if not self.filterset.is_valid():
            return none.values("history_id")
        return filtered_history(self.request.user, self.filterset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["entries"] = entries(list(context["object_list"])) if not self.filterset.errors else []
        context["filterset"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context
