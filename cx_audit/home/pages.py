"""The home page: each brand the user belongs to, with the size of the chain they can see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.views.generic import TemplateView

from locations.models import Brand, Location, OutletType


class HomeView(LoginRequiredMixin, TemplateView):
    """Each brand the user belongs to, with the size of the chain they can see."""

    template_name = "cx_audit/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = Location.objects.visible_to(user)
        context["brands"] = (
            Brand.objects.visible_to(user)
            .annotate(
                location_count=Count("locations", filter=Q(locations__in=visible), distinct=True),
                direct_count=Count(
                    "locations",
                    filter=Q(locations__in=visible, locations__outlet_type=OutletType.DIRECT),
                    distinct=True,
                ),
            )
            .order_by("name")
        )
        context["policy_exception_count"] = visible.policy_exceptions().count()
        return context
