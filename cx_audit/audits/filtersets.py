"""Filters for audits, shared by the API and the pages (STYLE §2).

Outlet type, franchisee and region filter on the audit's snapshot — what the store was when it
was audited — so a store that changed hands keeps its history with its former operator.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.actions.models import ActionStatus, CorrectiveAction, Department, RoutingRule, Severity
from cx_audit.audits.models.audits import Audit, AuditKind, AuditStatus
from locations.filtersets import visible_brands, visible_franchisees, visible_regions
from locations.models import Location, OutletType, Region


def visible_locations(request: object) -> QuerySet:
    return Location.objects.visible_to(getattr(request, "user", None))


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
    submitted_after = django_filters.IsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="gte", label=_("Submitted on or after")
    )
    submitted_before = django_filters.IsoDateTimeFilter(
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


class CorrectiveActionFilterSet(django_filters.FilterSet):
    """Filters of corrective actions, for the API and the /actions/ page alike. ``franchisee`` is the
    operator the action was opened for (who ran the store at the audit)."""

    brand = django_filters.ModelChoiceFilter(queryset=visible_brands, label=_("Brand"))
    location = django_filters.ModelChoiceFilter(queryset=visible_locations, label=_("Location"))
    franchisee = django_filters.ModelChoiceFilter(queryset=visible_franchisees, label=_("Franchisee"))
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("Severity"))
    department = django_filters.MultipleChoiceFilter(choices=Department.choices, label=_("Department"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("due_date", "due"),
            ("severity_rank", "severity"),
            ("opened_at", "found"),
            ("location__code", "location"),
            ("status", "status"),
        ),
        field_labels={
            "due": _("Due"),
            "severity": _("Severity"),
            "found": _("Found"),
            "location": _("Location"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = CorrectiveAction
        fields = ["brand", "location", "franchisee", "status", "severity", "department", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Q(status=ActionStatus.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class RoutingRuleFilterSet(django_filters.FilterSet):
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands, label=_("Brand"))
    department = django_filters.ChoiceFilter(choices=Department.choices, label=_("Department"))

    class Meta:
        model = RoutingRule
        fields = ["brand", "department"]
