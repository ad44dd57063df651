"""Filters for audits, shared by the API and the pages (STYLE §2).

Outlet type, franchisee and region filter on the audit's snapshot — what the store was when it
was audited — so a store that changed hands keeps its history with its former operator.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cx_audit.audits.choices import AuditKind, AuditStatus
from cx_audit.audits.models.audits import Audit
from cx_audit.core.filters import BoundedIsoDateTimeFilter
from locations.filtersets import visible_brands, visible_franchisees, visible_locations, visible_regions
from locations.models import OutletType, Region


class AuditFilterSet(django_filters.FilterSet):
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands, label=_("Brand"))
    location = django_filters.ModelChoiceFilter(queryset=visible_locations, label=_("Location"))
    region = django_filters.ModelChoiceFilter(
        queryset=visible_regions, method="in_region", label=_("Region (with sub-regions)")
    )
    outlet_type = django_filters.ChoiceFilter(choices=OutletType.choices, label=_("Outlet type"))
    franchisee = django_filters.ModelChoiceFilter(queryset=visible_franchisees, label=_("Franchisee"))
    kind = django_filters.MultipleChoiceFilter(choices=AuditKind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=AuditStatus.choices, label=_("Status"))
    critical_failure = django_filters.BooleanFilter(label=_("Critical failure"))
    outside_geofence = django_filters.BooleanFilter(label=_("Checked in outside the geofence"))
    submitted_after = BoundedIsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="gte", label=_("Submitted on or after")
    )
    submitted_before = BoundedIsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="lt", label=_("Submitted before")
    )

    class Meta:
        model = Audit
        fields = [
            "brand",
            "location",
            "region",
            "outlet_type",
            "franchisee",
            "kind",
            "status",
            "critical_failure",
            "outside_geofence",
            "submitted_after",
            "submitted_before",
        ]

    def in_region(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        regions = Region.objects.with_descendants([value.pk])
        # Drafts have no snapshot yet; they are where their location is today.
        return queryset.filter(
            Q(region_id__in=regions) | Q(status=AuditStatus.DRAFT, location__region_id__in=regions)
        )
