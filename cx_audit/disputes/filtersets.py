"""Filters of disputes, shared by the disputes page and the API (STYLE §2)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from cx_audit.disputes.models import Dispute, DisputeStatus
from locations.filtersets import visible_brands, visible_franchisees, visible_locations


class DisputeFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=DisputeStatus.choices, label=_("Status"), empty_label=_("Any")
    )
    brand = django_filters.ModelChoiceFilter(
        field_name="audit__brand", queryset=visible_brands, label=_("Brand"), empty_label=_("Any")
    )
    location = django_filters.ModelChoiceFilter(
        field_name="audit__location", queryset=visible_locations, label=_("Location"), empty_label=_("Any")
    )
    franchisee = django_filters.ModelChoiceFilter(
        field_name="audit__franchisee",
        queryset=visible_franchisees,
        label=_("Franchisee"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Dispute
        fields = ["status", "brand", "location", "franchisee"]
