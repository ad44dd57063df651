"""Filters of corrective actions and routing rules, shared by the API and the pages (STYLE §2)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.actions.models import ActionStatus, CorrectiveAction, Department, RoutingRule, Severity
from locations.filtersets import visible_brands, visible_franchisees, visible_locations


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
